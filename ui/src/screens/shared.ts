// Pieces several screens use.

import { toCommandError, type CommandError } from "../api";
import { el } from "../dom";
import type { Translator } from "../i18n";
import { errorMessage } from "../view";

/** A translated error box for a failed load. */
export function errorBox(tr: Translator, error: CommandError, testid = "load-error"): HTMLElement {
  return el("p", { class: "form-error", role: "alert", "data-testid": testid, "data-error-code": error.code }, errorMessage(error, tr));
}

/** Records that could not be read, each with its translated reason. */
export function damagedList(tr: Translator, heading: string, errors: unknown[]): HTMLElement | string {
  if (errors.length === 0) return "";
  const list = el("ul", {});
  for (const e of errors) list.append(el("li", {}, errorMessage(toCommandError(e), tr)));
  return el("div", { class: "form-error", role: "alert", "data-testid": "damaged" }, el("p", {}, heading), list);
}

export function loading(tr: Translator): HTMLElement {
  return el("p", { class: "muted", "data-testid": "loading" }, tr.t("common.loading"));
}
