// Pieces several screens use.

import { toCommandError, type CommandError } from "../api";
import { el } from "../dom";
import { formatBytes } from "../evidence";
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

/** The originals of a bundle, each with its SHA-256 in full. */
export function itemsTable(tr: Translator, items: { id: string; session: string; file: string; sha256: string; bytes: number }[], testid: string): HTMLElement {
  return el(
    "table",
    { class: "hashes", "data-testid": testid },
    el(
      "thead",
      {},
      el("tr", {}, el("th", { scope: "col" }, tr.t("export.item")), el("th", { scope: "col" }, tr.t("export.item_file")), el("th", { scope: "col" }, tr.t("export.item_size")), el("th", { scope: "col" }, "SHA-256")),
    ),
    el(
      "tbody",
      {},
      ...items.map((i) =>
        el(
          "tr",
          { "data-testid": "bundle-item", "data-item": i.id },
          el("td", {}, i.id, el("span", { class: "muted" }, ` · ${i.session}`)),
          el("td", {}, el("code", {}, i.file)),
          el("td", { class: "num" }, formatBytes(i.bytes, tr.locale)),
          el("td", {}, el("code", { class: "hash-cell", "data-testid": "bundle-item-sha256", translate: "no" }, i.sha256)),
        ),
      ),
    ),
  );
}
