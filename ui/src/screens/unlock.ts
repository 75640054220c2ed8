// Later runs: open the vault with a login name and passphrase. Names cannot
// be listed before unlocking (slots store a keyed hash of the name, see
// docs/ARCHITECTURE.md), so the name is typed.

import { api } from "../api";
import { card, el, field, formError, input, showCommandError, showProblems, value } from "../dom";
import { checkUnlockForm } from "../forms";
import type { Ctx } from "./context";
import { vaultCard } from "./status";

export function unlockScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "unlock-form", novalidate: "" });
  const pass = input("password", { autocomplete: "current-password" });
  const submit = el("button", { type: "submit", class: "primary", "data-testid": "unlock-submit" }, tr.t("unlock.submit"));
  const working = el("p", { class: "working", hidden: "" }, tr.t("unlock.working"));
  form.append(
    field({
      name: "name",
      label: tr.t("unlock.name"),
      hint: tr.t("unlock.name_hint"),
      control: input("text", { autocomplete: "username", spellcheck: "false", value: ctx.lastName }),
    }),
    field({ name: "passphrase", label: tr.t("unlock.passphrase"), control: pass }),
    formError("unlock-error"),
    el("div", { class: "actions" }, submit),
    working,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = value(form, "name");
    const problems = checkUnlockForm(name, pass.value);
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;
    submit.disabled = true;
    working.hidden = false;
    const r = await api.unlockVault(name, pass.value);
    submit.disabled = false;
    working.hidden = true;
    if (r.ok) {
      await ctx.reload();
    } else {
      pass.value = "";
      // Under the form, not a field: it must not say which of the two was wrong.
      showCommandError(form, r.error, undefined, tr);
      pass.focus();
    }
  });

  const notice =
    ctx.lockedBecause === "idle"
      ? el("p", { class: "notice", "data-testid": "lock-notice" }, tr.t("unlock.locked_idle", { minutes: ctx.idleMinutes }))
      : "";
  queueMicrotask(() => form.querySelector<HTMLInputElement>(value(form, "name") ? '[name="passphrase"]' : '[name="name"]')?.focus());
  return el(
    "div",
    { class: "stack", "data-testid": "unlock-screen" },
    notice,
    card(tr.t("unlock.heading"), "unlock-card", form),
    vaultCard(tr, { ok: true, value: ctx.status }, true),
  );
}
