// Exporting an evidence bundle: which sessions of the case, why and for
// whom, and how it is packaged; then where it was written and the hashes
// to write on the paper custody form. The export owns the vault while it
// runs, so a lock asked for meanwhile waits until it ends (see main.ts).

import { api, MIN_PASSPHRASE_CHARS, type CaseView, type ExportedView, type SessionView } from "../api";
import { groupHash } from "../capture";
import { copyText, el, field, formatDate, formError, input, showCommandError, showProblems, value } from "../dom";
import { checkExportForm, exportFieldOfError, handedOverHash, isPackagingKind, mayExport, parseRecipients, PACKAGING_KINDS, type PackagingKind } from "../evidence";
import type { MessageKey } from "../i18n";
import type { Ctx } from "./context";
import { errorBox, itemsTable, loading } from "./shared";
import { suggestVerifyPath } from "./verify";
import { bundleWork } from "../bundle-work";
import { DEFAULT_REPLACEMENT, readRedaction } from "../redaction";

/** The export that may be running; see `bundle-work.ts`. */
export const exportWork = bundleWork();

const PACKAGING_LABEL: Record<PackagingKind, MessageKey> = {
  folder: "export.packaging_folder",
  zip: "export.packaging_zip",
  age_keys: "export.packaging_age_keys",
  age_passphrase: "export.packaging_age_passphrase",
};
const PACKAGING_HINT: Record<PackagingKind, MessageKey> = {
  folder: "export.packaging_folder_hint",
  zip: "export.packaging_zip_hint",
  age_keys: "export.packaging_age_keys_hint",
  age_passphrase: "export.packaging_age_passphrase_hint",
};

export function exportScreen(ctx: Ctx, sessionId: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "export-screen" }, loading(tr));
  void (async () => {
    const s = await api.getSession(sessionId);
    if (!s.ok) return screen.replaceChildren(errorBox(tr, s.error));
    const [c, list] = await Promise.all([api.getCase(s.value.case_id), api.listSessions(s.value.case_id)]);
    if (!c.ok) return screen.replaceChildren(errorBox(tr, c.error));
    if (!list.ok) return screen.replaceChildren(errorBox(tr, list.error));
    const back = el("a", { href: `#/sessions/${encodeURIComponent(sessionId)}`, class: "back", "data-testid": "back-to-session" }, tr.t("export.back", { code: s.value.child_code }));
    const probe = ctx.status.probe;
    if (probe.state === "unlocked" && !mayExport(probe.me.role)) {
      return screen.replaceChildren(back, el("p", { class: "notice", "data-testid": "export-not-permitted" }, tr.t("export.not_permitted")));
    }
    const result = el("div", { "data-testid": "export-result-slot" });
    const formCard = exportCard(ctx, c.value, list.value.sessions, s.value, (done) => {
      formCard.hidden = true;
      result.replaceChildren(doneCard(ctx, done, () => {
        result.replaceChildren();
        formCard.hidden = false;
      }));
      result.querySelector<HTMLElement>("h2")?.focus();
    });
    screen.replaceChildren(back, formCard, result);
  })();
  return screen;
}

function exportCard(ctx: Ctx, c: CaseView, sessions: SessionView[], current: SessionView, onDone: (v: ExportedView) => void): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "export-form", novalidate: "" });

  // Sessions of the case, newest first, the current one checked.
  const rows = [...sessions].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const checks = el("div", { class: "checks single", role: "group", "aria-labelledby": "export-sessions-label" });
  for (const s of rows) {
    const id = `export-session-${s.id}`;
    const box = el("input", { type: "checkbox", id, name: `export_session_${s.id}`, "data-session-id": s.id, "data-testid": "export-session" });
    box.checked = s.id === current.id;
    checks.append(
      el(
        "span",
        { class: "check" },
        box,
        el("label", { for: id }, el("strong", {}, s.child_code), " ", el("span", { class: "muted" }, `· ${tr.t("session.age_value", { age: s.age_years })} · ${formatDate(s.created_at, tr.locale)}`)),
      ),
    );
  }
  const sessionsField = el(
    "div",
    { class: "field", "data-field": "sessions" },
    el("span", { class: "label", id: "export-sessions-label" }, tr.t("export.sessions")),
    checks,
    el("p", { class: "hint" }, tr.t("export.sessions_hint")),
    el("p", { class: "field-error", "data-testid": "sessions-error", role: "alert", hidden: "" }),
  );

  // Packaging: four choices, the zip by default (one file, one hash for the form).
  const choices = el("div", { class: "choices", role: "radiogroup", "aria-labelledby": "export-packaging-label" });
  for (const kind of PACKAGING_KINDS) {
    const id = `export-packaging-${kind}`;
    const radio = el("input", { type: "radio", id, name: "packaging", value: kind, "data-testid": `packaging-${kind}`, "aria-describedby": `${id}-hint` });
    radio.checked = kind === "zip";
    choices.append(
      el(
        "div",
        { class: "choice" },
        radio,
        el("div", {}, el("label", { for: id }, tr.t(PACKAGING_LABEL[kind])), el("p", { class: "hint", id: `${id}-hint` }, tr.t(PACKAGING_HINT[kind]))),
      ),
    );
  }
  const packagingField = el(
    "div",
    { class: "field", "data-field": "packaging" },
    el("span", { class: "label", id: "export-packaging-label" }, tr.t("export.packaging")),
    choices,
    el("p", { class: "field-error", "data-testid": "packaging-error", role: "alert", hidden: "" }),
  );

  const recipients = el("textarea", { rows: "3", spellcheck: "false", autocomplete: "off", placeholder: "age1…" });
  const keysField = field({ name: "age_recipients", label: tr.t("export.age_recipients"), hint: tr.t("export.age_recipients_hint"), control: recipients });
  const passField = field({
    name: "age_passphrase",
    label: tr.t("export.age_passphrase"),
    hint: tr.t("export.age_passphrase_hint", { min: MIN_PASSPHRASE_CHARS }),
    control: input("password", { autocomplete: "new-password" }),
  });
  const confirmField = field({ name: "age_confirm", label: tr.t("export.age_confirm"), control: input("password", { autocomplete: "new-password" }) });
  const plainWarning = el("p", { class: "notice warn", "data-testid": "export-plain-warning" }, tr.t("export.plain_warning"));

  const kind = (): PackagingKind => {
    const v = form.querySelector<HTMLInputElement>('input[name="packaging"]:checked')?.value ?? "zip";
    return isPackagingKind(v) ? v : "zip";
  };
  const showPackaging = () => {
    const k = kind();
    keysField.hidden = k !== "age_keys";
    passField.hidden = k !== "age_passphrase";
    confirmField.hidden = k !== "age_passphrase";
    plainWarning.hidden = k === "age_keys" || k === "age_passphrase";
  };
  choices.addEventListener("change", showPackaging);

  // An optional redacted version for disclosure, beside the untouched originals.
  const redactionBlock = el(
    "details",
    { class: "subtle-fieldset", "data-testid": "export-redaction" },
    el("summary", {}, tr.t("redact.summary")),
    el("p", { class: "hint" }, tr.t("redact.hint")),
    field({
      name: "redact_phrases",
      label: tr.t("redact.phrases"),
      hint: tr.t("redact.phrases_hint"),
      optional: tr.t("common.optional"),
      control: el("textarea", { rows: "3", spellcheck: "false", autocomplete: "off" }),
    }),
    field({ name: "redact_replacement", label: tr.t("redact.replacement"), optional: tr.t("common.optional"), control: input("text", { placeholder: DEFAULT_REPLACEMENT }) }),
    field({
      name: "redact_silences",
      label: tr.t("redact.silences"),
      hint: tr.t("redact.silences_hint"),
      optional: tr.t("common.optional"),
      control: el("textarea", { rows: "2", spellcheck: "false", autocomplete: "off", placeholder: "00:01:02 - 00:01:05" }),
    }),
    field({ name: "redact_reason", label: tr.t("redact.reason"), hint: tr.t("redact.reason_hint"), control: input("text") }),
  );
  const textOf = (name: string) => form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)?.value ?? "";

  const submit = el("button", { type: "submit", class: "primary", "data-testid": "export-submit" }, tr.t("export.submit"));
  const working = el("p", { class: "working", role: "status", "data-testid": "export-working", hidden: "" });
  const fields = el(
    "fieldset",
    { class: "plain-fieldset" },
    sessionsField,
    field({ name: "purpose", label: tr.t("export.purpose"), hint: tr.t("export.purpose_hint"), optional: tr.t("common.optional"), control: input("text") }),
    field({ name: "recipient", label: tr.t("export.recipient"), hint: tr.t("export.recipient_hint"), optional: tr.t("common.optional"), control: input("text") }),
    packagingField,
    keysField,
    passField,
    confirmField,
    plainWarning,
    redactionBlock,
  );
  form.append(fields, formError("export-error"), working, el("div", { class: "actions" }, submit));
  showPackaging();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (exportWork.isRunning()) return;
    const selected = [...form.querySelectorAll<HTMLInputElement>("input[data-session-id]:checked")].map((i) => i.dataset.sessionId!);
    const values = { sessions: selected, packaging: kind(), recipients: recipients.value, passphrase: value(form, "age_passphrase"), confirm: value(form, "age_confirm") };
    const redaction = readRedaction({
      phrases: textOf("redact_phrases"),
      silences: textOf("redact_silences"),
      replacement: textOf("redact_replacement"),
      reason: textOf("redact_reason"),
      sessions: selected.length,
    });
    const problems = { ...checkExportForm(values, MIN_PASSPHRASE_CHARS), ...redaction.problems };
    if (Object.keys(redaction.problems).length > 0) redactionBlock.open = true;
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;

    fields.disabled = true;
    submit.disabled = true;
    const showWorking = (extra = exportWork.hasWaiter() ? tr.t("export.lock_after") : "") => {
      working.textContent = `${tr.t("export.working")} ${extra}`.trim();
    };
    working.hidden = false;
    form.setAttribute("aria-busy", "true");
    let r;
    try {
      r = await exportWork.run(
        () => {
          showWorking();
          return api.exportBundle(selected, value(form, "purpose") || null, value(form, "recipient") || null, {
            kind: values.packaging,
            age_recipients: values.packaging === "age_keys" ? parseRecipients(values.recipients) : [],
            age_passphrase: values.packaging === "age_passphrase" ? values.passphrase : null,
          }, redaction.request);
        },
        { waiting: () => showWorking(), closeRefused: () => showWorking(tr.t("export.close_refused")) },
      );
    } finally {
      fields.disabled = false;
      submit.disabled = false;
      working.hidden = true;
      form.removeAttribute("aria-busy");
    }
    if (r.ok) {
      // The passphrase has done its work; it should not linger in the page.
      for (const name of ["age_passphrase", "age_confirm"]) {
        const c = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
        if (c) c.value = "";
      }
      onDone(r.value);
    } else {
      showCommandError(form, r.error, exportFieldOfError(r.error), tr);
    }
  });

  return el(
    "section",
    { class: "card" },
    el("h2", { class: "page-title", "data-testid": "export-title" }, tr.t("export.heading")),
    el("p", { class: "lead" }, tr.t("export.case", { reference: c.reference })),
    el("p", { class: "hint intro" }, tr.t("export.intro")),
    form,
  );
}

function doneCard(ctx: Ctx, v: ExportedView, again: () => void): HTMLElement {
  const { tr } = ctx;
  const handed = handedOverHash(v);
  const copyStatus = el("span", { class: "muted", "data-testid": "export-copy-status", "aria-live": "polite" });
  const copy = el("button", { type: "button", "data-testid": "export-copy-hash" }, tr.t("export.copy"));
  copy.addEventListener("click", async () => {
    copyStatus.textContent = (await copyText(handed.sha256)) ? tr.t("export.copied") : tr.t("about.copy_failed");
  });

  const facts = el("dl", { class: "facts" });
  const add = (label: string, v: string, testid: string, mono = true) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid, class: mono ? "" : "text" }, v));
  if (handed.label !== "export.hash_manifest") add(tr.t("export.manifest_sha256"), v.manifest_sha256, "export-manifest-hash");
  if (v.age_sha256 && v.zip_sha256) add(tr.t("export.inner_zip_sha256"), v.zip_sha256, "export-zip-hash");
  add(tr.t("export.files"), String(v.files), "export-files", false);

  const verify = el("button", { type: "button", "data-testid": "export-verify" }, tr.t("export.verify_it"));
  verify.addEventListener("click", () => {
    suggestVerifyPath(v.path);
    ctx.navigate({ name: "verify" });
  });
  const another = el("button", { type: "button", "data-testid": "export-again" }, tr.t("export.again"));
  another.addEventListener("click", again);

  const where = v.folder === "downloads" ? "export.saved_downloads" : "export.saved_home";
  return el(
    "section",
    { class: "card export-done", "data-testid": "export-result", role: "status" },
    el("h2", { class: "page-title", tabindex: "-1" }, tr.t("export.done")),
    el("p", {}, tr.t(where, { name: v.name })),
    el("p", { class: "path" }, el("code", { "data-testid": "export-path" }, v.path)),
    el(
      "div",
      { class: "hash-box" },
      el("p", { class: "hash-label", id: "handed-hash-label" }, tr.t(handed.label)),
      el("p", { class: "hash-note" }, tr.t("export.hash_for_form")),
      el("code", { class: "hash-value", "data-testid": "export-handed-hash", "data-sha256": handed.sha256, "aria-labelledby": "handed-hash-label", translate: "no" }, groupHash(handed.sha256)),
      el("div", { class: "actions left" }, copy, copyStatus),
    ),
    facts,
    el("h3", { class: "sub" }, tr.t("export.originals")),
    itemsTable(tr, v.items, "export-items"),
    v.redacted.length > 0
      ? el("p", { class: "notice", "data-testid": "export-redacted" }, tr.t("redact.done", { folders: v.redacted.join(", ") }))
      : "",
    el("p", { class: "hint" }, tr.t("export.logged")),
    v.age_sha256 ? "" : el("p", { class: "notice warn" }, tr.t("export.plain_done")),
    el("div", { class: "actions" }, another, verify),
  );
}
