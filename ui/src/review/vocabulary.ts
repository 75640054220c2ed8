// Adding and revising indicator codes, inside the Annotations panel, for
// administrators (`may_add_codes`). Collapsed until asked for. The vault
// keeps every revision and logs each save in custody (VOCABULARY_CODE_SAVED);
// once annotations use a code its meaning is fixed (the backend refuses a
// change with review.vocabulary_code_in_use).

import { api, type CodeView } from "../api";
import { el } from "../dom";
import type { MessageKey } from "../i18n";
import type { ReviewCtx } from "./context";
import { errorSlot, showError } from "./panel-common";
import {
  addedCodes,
  buildCodeInput,
  codeSlug,
  codesInUse,
  EXTENSIBLE_TIER,
  errorField,
  followLabel,
  MAX_CODE_CHARS,
  withCode,
  type CodeDraft,
  type VocabField,
} from "./vocabulary-model";

export interface VocabularyForm {
  /** The toggle button and the (collapsed) form. */
  element: HTMLElement;
  dispose(): void;
}

/**
 * `onSaved` runs after a save has put the entry into `ctx.data.vocabulary`
 * (in place, so every panel holding the list sees it).
 */
export function vocabularyForm(ctx: ReviewCtx, onSaved: (entry: CodeView) => void): VocabularyForm {
  const { tr } = ctx.app;
  const vocab = ctx.data.vocabulary;
  const labelOf = (c: CodeView) => (tr.locale === "en" ? c.label_en : c.label_es);

  /** The added code being revised; null while adding a new one. */
  let revising: string | null = null;
  /** The identifier last proposed from the Spanish label. */
  let lastProposal = "";

  const toggle = el(
    "button",
    { type: "button", class: "small", "data-testid": "vocab-add-open", "aria-expanded": "false", "aria-controls": "vocab-form" },
    tr.t("vocab.add_open"),
  );

  const text = (id: string, testid: string) => el("input", { type: "text", id, "data-testid": testid, autocomplete: "off" });
  const labelEs = text("vocab-label-es", "vocab-label-es");
  const labelEn = text("vocab-label-en", "vocab-label-en");
  const code = el("input", {
    type: "text",
    id: "vocab-code",
    class: "mono",
    "data-testid": "vocab-code",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: String(MAX_CODE_CHARS),
    "aria-describedby": "vocab-code-hint",
  });
  const codeHint = el("p", { class: "hint", id: "vocab-code-hint", "data-testid": "vocab-code-hint" });
  const definitionEs = el("textarea", { id: "vocab-definition-es", rows: "2", "data-testid": "vocab-definition-es" });
  const definitionEn = el("textarea", { id: "vocab-definition-en", rows: "2", "data-testid": "vocab-definition-en" });
  const controls: Record<VocabField, HTMLInputElement | HTMLTextAreaElement> = {
    label_es: labelEs,
    label_en: labelEn,
    code,
    definition_es: definitionEs,
    definition_en: definitionEn,
  };

  const heading = el("h3", { class: "panel-sub", "data-testid": "vocab-heading" });
  const error = errorSlot("vocab-error");
  const saved = el("p", { class: "panel-status", role: "status", "data-testid": "vocab-saved" });
  const cancel = el("button", { type: "button", "data-testid": "vocab-cancel", hidden: "" }, tr.t("annotations.cancel"));
  const save = el("button", { type: "button", class: "primary", "data-testid": "vocab-save" });
  const addedList = el("ul", { class: "panel-rows vocab-added", "data-testid": "vocab-added-list" });

  const labelled = (control: HTMLElement, key: MessageKey, ...after: HTMLElement[]) =>
    el("div", { class: "field" }, el("label", { for: control.id }, tr.t(key)), control, ...after);

  const box = el(
    "section",
    { class: "panel-form vocab-form", id: "vocab-form", "data-testid": "vocab-form", hidden: "" },
    heading,
    el("p", { class: "hint" }, tr.t("vocab.intro")),
    el("div", { class: "panel-grid" }, labelled(labelEs, "vocab.label_es"), labelled(labelEn, "vocab.label_en")),
    labelled(code, "vocab.code", codeHint),
    labelled(definitionEs, "vocab.definition_es"),
    labelled(definitionEn, "vocab.definition_en"),
    error,
    el("div", { class: "actions" }, cancel, save),
    saved,
    el("h3", { class: "panel-sub" }, tr.t("vocab.added_list")),
    el("p", { class: "hint" }, tr.t("vocab.fixed_note")),
    addedList,
  );

  const clearProblems = () => {
    showError(error, undefined, tr);
    delete error.dataset.problem;
    for (const c of Object.values(controls)) {
      c.classList.remove("invalid");
      c.removeAttribute("aria-invalid");
    }
  };
  const markInvalid = (field: VocabField | null) => {
    if (!field) return;
    controls[field].classList.add("invalid");
    controls[field].setAttribute("aria-invalid", "true");
  };

  const describeMode = () => {
    heading.textContent = revising ? tr.t("vocab.heading_revise", { code: revising }) : tr.t("vocab.heading_new");
    save.textContent = tr.t(revising ? "annotations.save_revision" : "vocab.save");
    cancel.hidden = revising === null;
    code.readOnly = revising !== null;
    codeHint.textContent = tr.t(revising ? "vocab.code_fixed_hint" : "vocab.code_hint");
  };

  const fill = (d: CodeDraft) => {
    labelEs.value = d.label_es;
    labelEn.value = d.label_en;
    code.value = d.code;
    definitionEs.value = d.definition_es;
    definitionEn.value = d.definition_en;
  };

  const resetForm = () => {
    revising = null;
    lastProposal = "";
    fill({ code: "", label_es: "", label_en: "", definition_es: "", definition_en: "" });
    clearProblems();
    describeMode();
    renderAdded();
  };

  const setOpen = (open: boolean) => {
    box.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) renderAdded();
  };

  /** Puts an added code in the form for a new revision. */
  const revise = (c: CodeView) => {
    revising = c.code;
    fill({ code: c.code, label_es: c.label_es, label_en: c.label_en, definition_es: c.definition_es, definition_en: c.definition_en });
    clearProblems();
    saved.textContent = "";
    describeMode();
    renderAdded();
    box.scrollIntoView({ block: "nearest" });
    labelEs.focus();
  };

  function renderAdded(): void {
    if (box.hidden) return;
    const used = codesInUse(ctx.annotations());
    const rows = addedCodes(vocab).map((c) => {
      const edit = el("button", { type: "button", class: "small", "data-testid": "vocab-edit" }, tr.t("annotations.edit"));
      edit.addEventListener("click", () => revise(c));
      const definition = tr.locale === "en" ? c.definition_en : c.definition_es;
      const head = el("div", { class: "ann-head" }, el("span", { class: "ann-code", title: definition }, labelOf(c)), el("code", { class: "vocab-id" }, c.code));
      if (used.has(c.code)) head.append(el("span", { class: "badge", "data-testid": "vocab-used" }, tr.t("vocab.used_here")));
      return el(
        "li",
        { class: `vocab-row${revising === c.code ? " editing" : ""}`, "data-testid": "vocab-added-row", "data-code": c.code },
        head,
        el("p", { class: "muted small vocab-definition" }, definition),
        el("div", { class: "row-actions" }, edit),
      );
    });
    addedList.replaceChildren(...rows);
    if (rows.length === 0) addedList.append(el("li", { class: "panel-empty muted" }, tr.t("vocab.added_none")));
  }

  const submit = async () => {
    if (save.disabled) return;
    clearProblems();
    saved.textContent = "";
    const built = buildCodeInput(
      { code: code.value, label_es: labelEs.value, label_en: labelEn.value, definition_es: definitionEs.value, definition_en: definitionEn.value },
      vocab,
      revising,
    );
    if (!built.ok) {
      error.textContent = tr.t(built.problem.key, built.problem.args);
      error.hidden = false;
      error.dataset.problem = built.problem.key;
      markInvalid(built.problem.field);
      controls[built.problem.field].focus();
      return;
    }
    save.disabled = true;
    const r = await api.saveVocabularyCode(EXTENSIBLE_TIER, built.code, built.texts);
    save.disabled = false;
    if (!r.ok) {
      // Everything typed stays, to correct and retry.
      showError(error, r.error, tr);
      markInvalid(errorField(r.error));
      return;
    }
    const wasRevising = revising !== null;
    // In place: the other panels hold this same list.
    vocab.splice(0, vocab.length, ...withCode(vocab, r.value));
    resetForm();
    saved.textContent = tr.t(wasRevising ? "vocab.revised" : "vocab.saved", { label: labelOf(r.value), code: r.value.code });
    onSaved(r.value);
  };

  toggle.addEventListener("click", () => {
    const open = box.hidden;
    setOpen(open);
    if (open) labelEs.focus();
  });
  labelEs.addEventListener("input", () => {
    if (revising !== null) return;
    const next = followLabel(code.value, lastProposal, labelEs.value);
    if (next !== code.value) {
      code.value = next;
      code.classList.remove("invalid");
      code.removeAttribute("aria-invalid");
    }
    lastProposal = codeSlug(labelEs.value);
  });
  for (const c of Object.values(controls)) {
    c.addEventListener("input", () => {
      c.classList.remove("invalid");
      c.removeAttribute("aria-invalid");
      showError(error, undefined, tr);
      delete error.dataset.problem;
      saved.textContent = "";
    });
  }
  cancel.addEventListener("click", resetForm);
  save.addEventListener("click", () => void submit());

  describeMode();
  const off = ctx.on("annotations-changed", renderAdded);

  return {
    element: el("div", { class: "vocab", "data-testid": "vocab" }, el("div", { class: "vocab-toggle" }, toggle), box),
    dispose: off,
  };
}
