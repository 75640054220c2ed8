// One session: its metadata and the way to the recording and review screens.

import { api, type SessionView } from "../api";
import { el, formatDate } from "../dom";
import { mayExport } from "../evidence";
import type { MessageKey } from "../i18n";
import type { Ctx } from "./context";
import { errorBox, loading } from "./shared";

export function sessionScreen(ctx: Ctx, id: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "session-screen" }, loading(tr));
  void (async () => {
    const s = await api.getSession(id);
    if (!s.ok) return screen.replaceChildren(errorBox(tr, s.error));
    const c = await api.getCase(s.value.case_id);
    const reference = c.ok ? c.value.reference : s.value.case_id;
    screen.replaceChildren(
      el("a", { href: `#/cases/${encodeURIComponent(s.value.case_id)}`, class: "back", "data-testid": "back-to-case" }, tr.t("session.back", { reference })),
      sessionCard(ctx, s.value),
    );
  })();
  return screen;
}

function sessionCard(ctx: Ctx, s: SessionView): HTMLElement {
  const { tr } = ctx;
  const none = tr.t("common.none");
  const facts = el("dl", { class: "facts plain" });
  const add = (label: string, v: string | null, testid: string) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid }, v || none));
  add(tr.t("session.age"), tr.t("session.age_value", { age: s.age_years }), "session-age");
  add(tr.t("session.language"), tr.t(`language.${s.language}` as MessageKey), "session-language");
  add(tr.t("session.present"), s.persons_present.map((r) => tr.t(`present.${r}` as MessageKey)).join(", "), "session-present");
  add(tr.t("session.protocol"), s.protocol, "session-protocol");
  add(tr.t("session.consent"), s.consent_reference, "session-consent");
  add(tr.t("session.location"), s.location, "session-location");
  add(tr.t("session.interviewer"), s.interviewer, "session-interviewer");
  add(tr.t("session.created_at"), formatDate(s.created_at, tr.locale), "session-created");

  const record = el("button", { type: "button", class: "primary large", "data-testid": "session-record" }, tr.t("session.record"));
  record.addEventListener("click", () => ctx.navigate({ name: "record", sessionId: s.id }));
  const review = el("button", { type: "button", class: "large", "data-testid": "session-review" }, tr.t("session.review"));
  review.addEventListener("click", () => ctx.navigate({ name: "review", sessionId: s.id }));
  const probe = ctx.status.probe;
  const exportLink =
    probe.state === "unlocked" && mayExport(probe.me.role)
      ? el("a", { href: `#/sessions/${encodeURIComponent(s.id)}/export`, class: "button push-left", "data-testid": "session-export" }, tr.t("session.export"))
      : "";
  return el(
    "section",
    { class: "card" },
    el("h2", { class: "page-title", "data-testid": "session-title" }, tr.t("session.heading", { code: s.child_code })),
    facts,
    el("div", { class: "actions" }, exportLink, review, record),
  );
}
