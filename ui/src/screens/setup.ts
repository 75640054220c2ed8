// First run: create the vault (organisation, administrator, passphrase with
// a strength meter). The recovery code follows in recovery.ts.

import { api, MIN_PASSPHRASE_CHARS } from "../api";
import { card, el, field, formError, input, showCommandError, showProblems, value } from "../dom";
import { checkVaultForm, fieldOfError } from "../forms";
import { assess } from "../strength";
import type { Ctx } from "./context";
import { vaultCard } from "./status";

/** zxcvbn's score (0..4) in a worker, started on first use; see strength.worker.ts. */
let worker: Worker | undefined;
let nextId = 0;
function score(text: string, inputs: string[]): Promise<number | undefined> {
  try {
    worker ??= new Worker(new URL("../strength.worker.ts", import.meta.url), { type: "module" });
  } catch {
    return Promise.resolve(undefined);
  }
  const w = worker;
  const id = ++nextId;
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent<{ id: number; score: number }>) => {
      if (e.data.id !== id) return;
      w.removeEventListener("message", onMessage);
      resolve(e.data.score);
    };
    w.addEventListener("message", onMessage);
    w.postMessage({ id, text, inputs });
  });
}

const FIELDS = ["organisation", "admin_name", "passphrase", "confirm"] as const;

export function setupScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const min = MIN_PASSPHRASE_CHARS;
  const form = el("form", { class: "form", "data-testid": "setup-form", novalidate: "" });
  const pass = input("password", { autocomplete: "new-password", spellcheck: "false" });
  const meterBar = el("div", { class: "meter", "data-testid": "strength-meter", "data-level": "empty", "aria-hidden": "true" });
  for (let i = 0; i < 4; i++) meterBar.append(el("span"));
  const meterText = el("p", { class: "meter-label", "data-testid": "strength-label", "aria-live": "polite" }, tr.t("strength.empty"));
  const submit = el("button", { type: "submit", class: "primary", "data-testid": "setup-submit" }, tr.t("setup.submit"));
  const working = el("p", { class: "working", hidden: "" }, tr.t("setup.working"));

  form.append(
    field({ name: "organisation", label: tr.t("setup.organisation"), hint: tr.t("setup.organisation_hint"), control: input("text", { autocomplete: "organization" }) }),
    field({ name: "admin_name", label: tr.t("setup.admin_name"), hint: tr.t("setup.admin_hint"), control: input("text", { autocomplete: "username" }) }),
    field({ name: "passphrase", label: tr.t("setup.passphrase"), hint: tr.t("setup.passphrase_hint", { min }), control: pass }),
    el("div", { class: "strength", role: "group", "aria-label": tr.t("strength.label") }, meterBar, meterText),
    field({ name: "confirm", label: tr.t("setup.confirm"), control: input("password", { autocomplete: "new-password" }) }),
    formError("setup-error"),
    el("div", { class: "actions" }, submit),
    working,
  );

  let current: number | undefined;
  const refresh = async () => {
    const text = pass.value;
    // zxcvbn's cost grows with length; its verdict settles well before 100.
    const result = text ? await score(text.slice(0, 100), [value(form, "organisation"), value(form, "admin_name"), "relato"]) : undefined;
    if (text !== pass.value) return; // typed on meanwhile
    current = result;
    const s = assess(text, current, min);
    meterBar.dataset.level = s.level;
    meterBar.querySelectorAll("span").forEach((seg, i) => seg.classList.toggle("on", i < s.segments));
    meterText.textContent = tr.t(s.label);
  };
  pass.addEventListener("input", () => void refresh());
  // A restored value (language switch) gets its meter too.
  queueMicrotask(() => void refresh());

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(FIELDS.map((f) => [f, value(form, f)])) as Record<(typeof FIELDS)[number], string>;
    const problems = checkVaultForm(values, assess(values.passphrase, current, min).acceptable, min);
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;
    submit.disabled = true;
    working.hidden = false;
    const r = await api.createVault(values.organisation, values.admin_name, values.passphrase);
    submit.disabled = false;
    working.hidden = true;
    if (r.ok) ctx.showRecovery(r.value.recovery_code, r.value.me);
    else showCommandError(form, r.error, fieldOfError(r.error, FIELDS), tr);
  });

  return el(
    "div",
    { class: "stack", "data-testid": "setup-screen" },
    vaultCard(tr, { ok: true, value: ctx.status }, true),
    card(tr.t("setup.heading"), "setup-card", el("p", { class: "lead" }, tr.t("setup.intro")), form),
  );
}
