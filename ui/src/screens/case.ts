// One case: its facts, its sessions, and a form for a new session with the
// vault's minimal metadata. There is no field for the child's name.

import { api, MAX_AGE_YEARS, PRESENT_ROLES, type CaseView, type SessionView } from "../api";
import { card, el, field, formatDate, formError, input, showCommandError, showProblems, value } from "../dom";
import { mayHandOver } from "../evidence";
import { checkSessionForm, fieldOfError, parseAge } from "../forms";
import type { MessageKey } from "../i18n";
import type { Ctx } from "./context";
import { damagedList, errorBox, loading } from "./shared";

const FIELDS = ["child_code", "age_years", "language", "persons_present", "protocol", "consent_reference", "location"] as const;

export function caseScreen(ctx: Ctx, id: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "case-screen" }, loading(tr));
  void (async () => {
    const [c, s] = await Promise.all([api.getCase(id), api.listSessions(id)]);
    if (!c.ok) return screen.replaceChildren(errorBox(tr, c.error));
    if (!s.ok) return screen.replaceChildren(errorBox(tr, s.error));
    screen.replaceChildren(
      el("a", { href: "#/cases", class: "back", "data-testid": "back-to-cases" }, tr.t("case.back")),
      caseCard(ctx, c.value),
      card(
        tr.t("case.sessions"),
        "sessions-card",
        damagedList(tr, tr.t("case.damaged"), s.value.damaged),
        sessionRows(ctx, s.value.sessions),
      ),
      card(tr.t("session.new"), "session-new-card", sessionForm(ctx, c.value)),
    );
  })();
  return screen;
}

function caseCard(ctx: Ctx, c: CaseView): HTMLElement {
  const { tr } = ctx;
  const facts = el("dl", { class: "facts plain" });
  const add = (label: string, v: string | null, testid: string) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid }, v ?? tr.t("common.none")));
  add(tr.t("case.place"), c.place, "case-place");
  add(tr.t("case.institution"), c.institution, "case-institution");
  add(tr.t("case.created_at"), formatDate(c.created_at, tr.locale), "case-created");
  // Hand-overs are of the whole case (the bundle may hold several sessions).
  const probe = ctx.status.probe;
  const handover =
    probe.state === "unlocked" && mayHandOver(probe.me.role)
      ? el("a", { href: `#/cases/${encodeURIComponent(c.id)}/handover`, class: "button", "data-testid": "case-handover" }, tr.t("case.handover"))
      : "";
  const custody = el("a", { href: `#/cases/${encodeURIComponent(c.id)}/custody`, class: "button", "data-testid": "case-custody" }, tr.t("case.custody"));
  return el(
    "section",
    { class: "card" },
    el("h2", { class: "page-title", "data-testid": "case-title" }, tr.t("case.heading", { reference: c.reference })),
    facts,
    el("div", { class: "actions left" }, custody, handover),
  );
}

function sessionRows(ctx: Ctx, sessions: SessionView[]): HTMLElement {
  const { tr } = ctx;
  if (sessions.length === 0) return el("p", { class: "muted", "data-testid": "sessions-empty" }, tr.t("case.no_sessions"));
  const rows = [...sessions].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return el(
    "ul",
    { class: "rows", "data-testid": "session-list" },
    ...rows.map((s) =>
      el(
        "li",
        { "data-session-id": s.id },
        el(
          "a",
          { href: `#/sessions/${encodeURIComponent(s.id)}`, class: "row-link", "data-testid": "session-link" },
          el("span", { class: "row-title", "data-testid": "session-code" }, s.child_code),
          el("span", { class: "row-meta" }, `${tr.t("session.age_value", { age: s.age_years })} · ${tr.t(`language.${s.language}` as MessageKey)}`),
          el("span", { class: "row-date" }, formatDate(s.created_at, tr.locale)),
        ),
      ),
    ),
  );
}

function sessionForm(ctx: Ctx, c: CaseView): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "session-form", novalidate: "" });
  const language = el(
    "select",
    {},
    el("option", { value: "es" }, tr.t("language.es")),
    el("option", { value: "en" }, tr.t("language.en")),
  );
  const roles = el("div", { class: "checks", role: "group", "aria-label": tr.t("session.present") });
  for (const role of PRESENT_ROLES) {
    const id = `present-${role}`;
    roles.append(
      el(
        "span",
        { class: "check" },
        el("input", { type: "checkbox", id, name: `present_${role}`, value: role, "data-testid": id }),
        el("label", { for: id }, tr.t(`present.${role}` as MessageKey)),
      ),
    );
  }
  const presentField = el(
    "div",
    { class: "field", "data-field": "persons_present" },
    el("span", { class: "label" }, tr.t("session.present")),
    roles,
    el("p", { class: "hint" }, tr.t("session.present_hint")),
    el("p", { class: "field-error", "data-testid": "persons_present-error", role: "alert", hidden: "" }),
  );
  const submit = el("button", { type: "submit", class: "primary", "data-testid": "session-submit" }, tr.t("session.create"));
  form.append(
    el(
      "div",
      { class: "row2" },
      field({ name: "child_code", label: tr.t("session.child_code"), hint: tr.t("session.child_code_hint"), control: input("text", { autocomplete: "off", spellcheck: "false" }) }),
      field({ name: "age_years", label: tr.t("session.age"), control: input("text", { inputmode: "numeric", autocomplete: "off", size: "4" }) }),
    ),
    field({ name: "language", label: tr.t("session.language"), control: language }),
    presentField,
    field({ name: "protocol", label: tr.t("session.protocol"), hint: tr.t("session.protocol_hint"), optional: tr.t("common.optional"), control: input("text") }),
    field({ name: "consent_reference", label: tr.t("session.consent"), hint: tr.t("session.consent_hint"), optional: tr.t("common.optional"), control: input("text") }),
    field({ name: "location", label: tr.t("session.location"), hint: tr.t("session.location_hint"), optional: tr.t("common.optional"), control: input("text") }),
    formError("session-error"),
    el("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = { child_code: value(form, "child_code"), age_years: value(form, "age_years"), language: value(form, "language") };
    const problems = checkSessionForm(values, MAX_AGE_YEARS);
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;
    const persons = [...form.querySelectorAll<HTMLInputElement>(".checks input:checked")].map((i) => i.value);
    submit.disabled = true;
    const r = await api.createSession({
      case_id: c.id,
      child_code: values.child_code,
      age_years: parseAge(values.age_years),
      language: values.language,
      persons_present: persons,
      protocol: value(form, "protocol") || null,
      consent_reference: value(form, "consent_reference") || null,
      location: value(form, "location") || null,
    });
    submit.disabled = false;
    if (r.ok) ctx.navigate({ name: "session", id: r.value.id });
    else showCommandError(form, r.error, fieldOfError(r.error, FIELDS), tr);
  });
  return form;
}
