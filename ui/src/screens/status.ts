// The vault card: where the vault is and what state it is in.

import type { Outcome, VaultStatus } from "../api";
import { el } from "../dom";
import type { Translator } from "../i18n";
import { describeStatus } from "../view";

export function vaultCard(tr: Translator, outcome: Outcome<VaultStatus> | undefined, compact = false): HTMLElement {
  const view = describeStatus(outcome, tr);
  const card = el("section", {
    class: `card state-${view.kind}${compact ? " compact" : ""}`,
    "data-testid": "vault-card",
    "data-state": view.kind,
    "aria-labelledby": "vault-heading",
  });
  card.append(el("h2", { id: "vault-heading", class: "card-heading" }, tr.t("vault.heading")));

  const status = el("div", { class: "status", role: view.kind === "error" ? "alert" : "status" });
  status.append(el("p", { class: "status-title", "data-testid": "vault-state" }, view.title));
  if (view.detail) {
    status.append(
      el(
        "p",
        {
          class: "status-detail",
          "data-testid": view.kind === "error" ? "vault-error" : "vault-detail",
          "data-error-code": view.errorCode,
        },
        view.detail,
      ),
    );
  }
  card.append(status);

  const facts = el("dl", { class: "facts" });
  if (view.path !== undefined) {
    facts.append(el("dt", {}, tr.t("vault.path")), el("dd", { class: "path", "data-testid": "vault-path" }, view.path));
  }
  for (const f of view.fields) facts.append(el("dt", {}, f.label), el("dd", { "data-testid": f.testid }, f.value));
  if (facts.childElementCount > 0) card.append(facts);
  if (view.codeLine) card.append(el("p", { class: "code-line", "data-testid": "vault-error-code" }, view.codeLine));
  return card;
}
