// The cases: search (accent-insensitive, in the window), open, create.

import { api, type CaseView } from "../api";
import { card, el, field, formatDate, formError, input, showCommandError, showProblems, value } from "../dom";
import { checkCaseForm, fieldOfError } from "../forms";
import { filterBy } from "../search";
import type { Ctx } from "./context";
import { damagedList, errorBox, loading } from "./shared";

const FIELDS = ["reference", "place", "institution"] as const;

export function casesScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const search = input("search", {
    "data-testid": "case-search",
    placeholder: tr.t("cases.search_placeholder"),
    "aria-label": tr.t("cases.search"),
    name: "case_search",
  });
  const count = el("span", { class: "muted", "data-testid": "case-count" });
  const listBox = el("div", { class: "list-box" }, loading(tr));
  const damagedBox = el("div");
  let all: CaseView[] = [];

  const row = (c: CaseView) => {
    const open = el("a", { href: `#/cases/${encodeURIComponent(c.id)}`, class: "row-link", "data-testid": "case-link" });
    open.append(
      el("span", { class: "row-title", "data-testid": "case-reference" }, c.reference),
      el("span", { class: "row-meta" }, [c.place, c.institution].filter(Boolean).join(" · ")),
      el("span", { class: "row-date" }, formatDate(c.created_at, tr.locale)),
    );
    return el("li", { "data-case-id": c.id }, open);
  };

  const show = () => {
    const query = search.value;
    const shown = filterBy(all, query, (c) => [c.reference, c.place, c.institution]);
    count.textContent = all.length ? tr.t("cases.count", { shown: shown.length, total: all.length }) : "";
    if (all.length === 0) listBox.replaceChildren(el("p", { class: "muted", "data-testid": "cases-empty" }, tr.t("cases.empty")));
    else if (shown.length === 0) listBox.replaceChildren(el("p", { class: "muted", "data-testid": "cases-no-match" }, tr.t("cases.no_match", { query })));
    else listBox.replaceChildren(el("ul", { class: "rows", "data-testid": "case-list" }, ...shown.map(row)));
  };
  search.addEventListener("input", show);

  const load = async () => {
    const r = await api.listCases();
    if (!r.ok) {
      listBox.replaceChildren(errorBox(tr, r.error));
      return;
    }
    all = [...r.value.cases].sort((a, b) => b.created_at.localeCompare(a.created_at));
    damagedBox.replaceChildren(damagedList(tr, tr.t("cases.damaged"), r.value.damaged));
    show();
  };
  void load();

  const form = el("form", { class: "form", "data-testid": "case-form", novalidate: "" });
  const submit = el("button", { type: "submit", class: "primary", "data-testid": "case-submit" }, tr.t("case.create"));
  form.append(
    field({ name: "reference", label: tr.t("case.reference"), hint: tr.t("case.reference_hint"), control: input("text") }),
    field({ name: "place", label: tr.t("case.place"), hint: tr.t("case.place_hint"), optional: tr.t("common.optional"), control: input("text") }),
    field({ name: "institution", label: tr.t("case.institution"), hint: tr.t("case.institution_hint"), optional: tr.t("common.optional"), control: input("text") }),
    formError("case-error"),
    el("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = { reference: value(form, "reference"), place: value(form, "place"), institution: value(form, "institution") };
    const problems = checkCaseForm(values);
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;
    submit.disabled = true;
    const r = await api.createCase({ reference: values.reference, place: values.place || null, institution: values.institution || null });
    submit.disabled = false;
    if (r.ok) ctx.navigate({ name: "case", id: r.value.id });
    else showCommandError(form, r.error, fieldOfError(r.error, FIELDS), tr);
  });

  const listCard = card(
    tr.t("cases.heading"),
    "cases-card",
    el("div", { class: "toolbar" }, search, count),
    damagedBox,
    listBox,
  );
  return el("div", { class: "stack", "data-testid": "cases-screen" }, listCard, card(tr.t("case.new"), "case-new-card", form));
}
