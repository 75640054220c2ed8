// Verifying an evidence bundle: a folder, a zip or an encrypted zip named
// by its path (the app has no file-dialog plugin), with the age key or
// passphrase when it is encrypted. The verdict is the same `relato verify`
// gives. Needs no unlocked vault: anyone may verify.

import { api, type VerifiedView } from "../api";
import { el, field, formatDate, formError, input, showCommandError, showProblems, value } from "../dom";
import { cleanTypedPath, verifyFieldOfError } from "../evidence";
import type { Ctx } from "./context";
import { ageKeyBlock, itemsTable } from "./shared";
import { errorMessage, roleName } from "../view";

/** A path to put in the field next time the screen opens (after an export). */
let suggested: string | undefined;

export function suggestVerifyPath(path: string): void {
  suggested = path;
}

export function verifyScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "verify-form", novalidate: "" });
  const pathInput = input("text", { autocomplete: "off", spellcheck: "false", placeholder: tr.t("verify.path_placeholder") });
  if (suggested) {
    pathInput.value = suggested;
    suggested = undefined;
  }
  pathInput.classList.add("wide");
  const submit = el("button", { type: "submit", class: "primary", "data-testid": "verify-submit" }, tr.t("verify.submit"));
  const working = el("p", { class: "working", role: "status", "data-testid": "verify-working", hidden: "" }, tr.t("verify.working"));
  // Folded away unless the bundle is encrypted (or a key was asked for).
  const encrypted = ageKeyBlock(tr, pathInput, "verify-encrypted");
  form.append(
    field({ name: "bundle_path", label: tr.t("verify.path"), hint: tr.t("verify.path_hint"), control: pathInput }),
    encrypted,
    formError("verify-form-error"),
    working,
    el("div", { class: "actions" }, submit),
  );
  const result = el("div", { "data-testid": "verify-result-slot" });
  const show = (verdict: HTMLElement) => {
    result.replaceChildren(verdict);
    verdict.scrollIntoView({ block: "nearest" });
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const path = cleanTypedPath(value(form, "bundle_path"));
    const identity = cleanTypedPath(value(form, "age_identity"));
    const passphrase = value(form, "age_passphrase");
    showProblems(form, path ? {} : { bundle_path: { key: "form.required" } }, tr);
    showCommandError(form, undefined, undefined, tr);
    result.replaceChildren();
    if (!path) return;
    submit.disabled = true;
    working.hidden = false;
    form.setAttribute("aria-busy", "true");
    const r = await api.verifyBundle(path, identity || null, identity ? null : passphrase || null);
    submit.disabled = false;
    working.hidden = true;
    form.removeAttribute("aria-busy");
    if (r.ok) {
      show(okBlock(ctx, r.value));
      return;
    }
    const fieldName = verifyFieldOfError(r.error, !identity && !!passphrase);
    if (fieldName) {
      if (fieldName !== "bundle_path") encrypted.open = true;
      showCommandError(form, r.error, fieldName, tr);
      return;
    }
    show(
      el(
        "section",
        { class: "verdict bad", role: "alert", "data-testid": "verify-failed" },
        el("h3", { "data-testid": "verify-verdict" }, tr.t("verify.failed")),
        el("p", { class: "verdict-reason", "data-testid": "verify-error", "data-error-code": r.error.code }, errorMessage(r.error, tr)),
        el("p", { class: "hint" }, tr.t("verify.failed_hint")),
        el("p", { class: "code-line" }, tr.t("status.error.code", { code: r.error.code })),
      ),
    );
  });

  return el(
    "div",
    { class: "stack", "data-testid": "verify-screen" },
    el(
      "section",
      { class: "card" },
      el("h2", { class: "page-title", "data-testid": "verify-title" }, tr.t("verify.heading")),
      el("p", { class: "lead" }, tr.t("verify.intro")),
      form,
    ),
    result,
  );
}

function okBlock(ctx: Ctx, v: VerifiedView): HTMLElement {
  const { tr } = ctx;
  const facts = el("dl", { class: "facts" });
  const add = (label: string, value: string, testid: string, mono = false) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid, class: mono ? "" : "text" }, value));
  add(tr.t("verify.case"), v.case_reference, "verify-case");
  add(tr.t("verify.exported_by"), `${v.exported_by} · ${roleName(v.exported_by_role, tr)} · ${v.exported_by_institution}`, "verify-exported-by");
  add(tr.t("verify.exported_at"), formatDate(v.exported_at, tr.locale), "verify-exported-at");
  if (v.purpose) add(tr.t("verify.purpose"), v.purpose, "verify-purpose");
  if (v.recipient) add(tr.t("verify.recipient"), v.recipient, "verify-recipient");
  add(tr.t("verify.organisation_key"), v.organisation_key, "verify-org-key", true);
  add(tr.t("verify.counts_label"), tr.t("verify.counts", { files: v.files, lines: v.custody_lines, items: v.items.length }), "verify-counts");
  return el(
    "section",
    { class: "verdict ok", role: "status", "data-testid": "verify-ok" },
    el("h3", { "data-testid": "verify-verdict" }, tr.t("verify.ok")),
    el("p", {}, tr.t("verify.ok_detail")),
    facts,
    el("h4", { class: "sub" }, tr.t("export.originals")),
    itemsTable(tr, v.items, "verify-items"),
  );
}
