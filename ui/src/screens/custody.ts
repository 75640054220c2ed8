// A case's whole chain of custody: every line the vault signed for it —
// the case, its sessions, recordings, listening, revisions, exports and
// hand-overs — oldest first, and the chain checked line by line (links,
// sequence, signatures, the signers' certificates) as `relato log verify
// --case` does. The head is the value a bundle of the case carries in
// custody/custody.head.

import { api, type CaseCustody } from "../api";
import { groupHash } from "../capture";
import { custodyList } from "../custody-list";
import { copyText, el } from "../dom";
import type { Translator } from "../i18n";
import "../review/panels.css";
import { errorSlot, showError } from "../review/panel-common";
import { errorMessage } from "../view";
import type { Ctx } from "./context";
import { errorBox, loading } from "./shared";

export function custodyScreen(ctx: Ctx, caseId: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "case-custody-screen" }, loading(tr));
  const lines = custodyList(tr);
  const check = el("div", { "data-testid": "custody-check-slot" });
  const heading = el("h2", { class: "page-title", "data-testid": "custody-title" });
  const refresh = el("button", { type: "button", class: "small", "data-testid": "custody-refresh" }, tr.t("custody.refresh"));
  const refreshError = errorSlot("custody-error");

  const load = async () => {
    refresh.disabled = true;
    const r = await api.caseCustody(caseId);
    refresh.disabled = false;
    if (!r.ok) {
      // Once shown, the screen stays: the refresh can be tried again.
      if (screen.contains(heading)) return showError(refreshError, r.error, tr);
      return screen.replaceChildren(errorBox(tr, r.error));
    }
    showError(refreshError, undefined, tr);
    const reference = r.value.reference ?? r.value.case_id;
    heading.textContent = tr.t("case_custody.heading", { reference });
    check.replaceChildren(checkNotice(tr, r.value));
    lines.show(r.value.entries);
    if (!screen.contains(heading)) {
      screen.replaceChildren(
        el("a", { href: `#/cases/${encodeURIComponent(caseId)}`, class: "back", "data-testid": "back-to-case" }, tr.t("case_custody.back", { reference })),
        heading,
        el("p", { class: "hint" }, tr.t("case_custody.intro")),
        check,
        el(
          "section",
          { class: "card panel custody-panel", "data-testid": "custody-panel" },
          el("div", { class: "panel-toolbar" }, lines.filter, refresh),
          refreshError,
          lines.count,
          lines.list,
        ),
      );
    }
  };
  refresh.addEventListener("click", () => void load());
  void load();
  return screen;
}

/** Whether the chain verifies, with its head to compare against a bundle's; or the first failing line. */
function checkNotice(tr: Translator, view: CaseCustody): HTMLElement {
  const { check } = view;
  if (check.failure || !check.head) {
    const reason = check.failure ? errorMessage(check.failure, tr) : "";
    return el(
      "section",
      { class: "verdict bad", role: "alert", "data-testid": "custody-check", "data-verified": "false", "data-error-code": check.failure?.code ?? "" },
      el("h3", {}, tr.t("case_custody.broken")),
      el("p", { class: "verdict-reason", "data-testid": "custody-check-error" }, reason),
      check.failure ? el("p", { class: "code-line" }, tr.t("status.error.code", { code: check.failure.code })) : "",
    );
  }
  const head = check.head;
  const copyStatus = el("span", { class: "muted small", "aria-live": "polite" });
  const copy = el("button", { type: "button", class: "small", "data-testid": "custody-copy-head" }, tr.t("export.copy"));
  copy.addEventListener("click", async () => {
    copyStatus.textContent = (await copyText(head)) ? tr.t("export.copied") : tr.t("about.copy_failed");
  });
  return el(
    "section",
    { class: "verdict ok", "data-testid": "custody-check", "data-verified": "true" },
    el("h3", {}, tr.t("case_custody.verified", { n: check.lines })),
    el("p", {}, tr.t("case_custody.head")),
    el("p", {}, el("code", { class: "hash", "data-testid": "custody-head", "data-sha256": head }, groupHash(head)), " ", copy, " ", copyStatus),
  );
}
