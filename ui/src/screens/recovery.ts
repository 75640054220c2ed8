// The recovery code, shown once after the vault is created: print it, save
// it to a file through the web view's download (no fs plugin), and confirm
// it was written down before going on.

import { onceDownloadFinished } from "../api";
import { card, el } from "../dom";
import type { Ctx } from "./context";

export function recoveryScreen(ctx: Ctx, code: string, onDone: () => void): HTMLElement {
  const { tr } = ctx;
  const codeBox = el("p", { class: "recovery-code", "data-testid": "recovery-code", translate: "no" }, code);
  const printable = el(
    "div",
    { class: "print-area" },
    el("p", { class: "print-title" }, tr.t("recovery.print_title")),
    codeBox,
  );

  const print = el("button", { type: "button", "data-testid": "recovery-print" }, tr.t("recovery.print"));
  print.addEventListener("click", () => window.print());

  const saved = el("p", { class: "hint saved", "data-testid": "recovery-saved", "aria-live": "polite" });
  const save = el("button", { type: "button", "data-testid": "recovery-save" }, tr.t("recovery.save"));
  save.addEventListener("click", async () => {
    const file = tr.t("recovery.file_name");
    saved.textContent = "";
    delete saved.dataset.result;
    // Say "saved" only once the shell has written it (it refuses other downloads).
    await onceDownloadFinished((d) => {
      const name = d.file_name ?? file;
      saved.dataset.result = d.success ? "saved" : "failed";
      saved.textContent = !d.success
        ? tr.t("recovery.save_failed")
        : tr.t(d.folder === "downloads" ? "recovery.saved" : "recovery.saved_home", { file: name });
    }).catch(() => undefined);
    const blob = new Blob([tr.t("recovery.file_text", { code })], { type: "text/plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: file, hidden: "" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });

  const check = el("input", { type: "checkbox", id: "recovery-confirm", "data-testid": "recovery-confirm" });
  const proceed = el("button", { type: "button", class: "primary", "data-testid": "recovery-continue", disabled: "" }, tr.t("recovery.continue"));
  check.addEventListener("change", () => {
    proceed.disabled = !check.checked;
  });
  proceed.addEventListener("click", () => {
    if (check.checked) onDone();
  });

  return el(
    "div",
    { class: "stack", "data-testid": "recovery-screen" },
    card(
      tr.t("recovery.heading"),
      "recovery-card",
      el("p", { class: "lead" }, tr.t("recovery.intro")),
      printable,
      el("p", {}, tr.t("recovery.advice")),
      el("div", { class: "actions left" }, print, save),
      saved,
      el("div", { class: "confirm" }, check, el("label", { for: "recovery-confirm" }, tr.t("recovery.confirm"))),
      el("div", { class: "actions" }, proceed),
    ),
  );
}
