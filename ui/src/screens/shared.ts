// Pieces several screens use.

import { toCommandError, type CommandError } from "../api";
import { el, field, input } from "../dom";
import { cleanTypedPath, formatBytes } from "../evidence";
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

/**
 * The age key or passphrase of an encrypted bundle (fields `age_identity`
 * and `age_passphrase`), folded away unless `pathInput` names a `.age`
 * file or a key was asked for.
 */
export function ageKeyBlock(tr: Translator, pathInput: HTMLInputElement, testid: string): HTMLDetailsElement {
  const block = el(
    "details",
    { class: "subtle-fieldset", "data-testid": testid },
    el("summary", {}, tr.t("verify.encrypted")),
    el("p", { class: "hint" }, tr.t("verify.encrypted_hint")),
    field({ name: "age_identity", label: tr.t("verify.age_identity"), hint: tr.t("verify.age_identity_hint"), optional: tr.t("common.optional"), control: input("text", { autocomplete: "off", spellcheck: "false" }) }),
    field({ name: "age_passphrase", label: tr.t("verify.age_passphrase"), optional: tr.t("common.optional"), control: input("password", { autocomplete: "off" }) }),
  );
  const openIfEncrypted = () => {
    if (cleanTypedPath(pathInput.value).toLowerCase().endsWith(".age")) block.open = true;
  };
  pathInput.addEventListener("input", openIfEncrypted);
  openIfEncrypted();
  return block;
}

/** Empties the passphrase fields of `form`: once used, it should not linger in the page. */
export function clearSecrets(form: HTMLElement, names: readonly string[]): void {
  for (const name of names) {
    const c = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
    if (c) c.value = "";
  }
}
