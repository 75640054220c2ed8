// Adding indicator codes (administrators), without DOM: the identifier
// proposed from the Spanish label, the checks the vault would make (so the
// form can say what to fix before saving), and keeping the loaded
// vocabulary up to date after a save.

import type { AddedCode, AnnotationView, CodeView, CommandError } from "../api";
import type { Locale, MessageKey } from "../i18n";
import { findCode } from "./panel-common";

/** The only tier that takes added codes (relato-review `EXTENSIBLE_TIERS`). */
export const EXTENSIBLE_TIER = "indicators" as const;
export const MIN_CODE_CHARS = 2;
export const MAX_CODE_CHARS = 48;
/** Put before a label that starts with a digit ("3 personas" → "c_3_personas"): a code starts with a letter. */
export const DIGIT_PREFIX = "c_";

const CODE_RE = /^[a-z][a-z0-9_]*$/;

/** A code identifier the vault accepts: 2–48 of a–z, 0–9 and _, starting with a letter. */
export function isValidCode(code: string): boolean {
  return code.length >= MIN_CODE_CHARS && code.length <= MAX_CODE_CHARS && CODE_RE.test(code);
}

/**
 * The identifier proposed for a label: lowercase, accents removed ("ñ" →
 * "n"), anything else than a–z and 0–9 → "_", repeats collapsed, no "_" at
 * either end, at most 48 characters. A label starting with a digit gets
 * the `c_` prefix. Empty when the label has no letter or digit; it may be
 * a single letter (too short: the form says so).
 */
export function codeSlug(label: string): string {
  let s = label
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") return "";
  if (/^[0-9]/.test(s)) s = DIGIT_PREFIX + s;
  return s.slice(0, MAX_CODE_CHARS).replace(/_+$/, "");
}

/**
 * What the code field holds after the Spanish label changed: it follows
 * the label while it is empty or still holds the last proposal; once the
 * administrator typed an identifier of their own, it is left alone.
 */
export function followLabel(current: string, lastProposal: string, label: string): string {
  return current.trim() === "" || current === lastProposal ? codeSlug(label) : current;
}

export type VocabField = "label_es" | "label_en" | "code" | "definition_es" | "definition_en";
/** In the form's order: the first empty or wrong one is the one reported. */
export const VOCAB_FIELDS: readonly VocabField[] = ["label_es", "label_en", "code", "definition_es", "definition_en"];

export interface CodeDraft {
  code: string;
  label_es: string;
  label_en: string;
  definition_es: string;
  definition_en: string;
}

export interface VocabProblem {
  key: MessageKey;
  field: VocabField;
  args?: Record<string, string>;
}

export type BuiltCode = { ok: true; code: string; texts: AddedCode } | { ok: false; problem: VocabProblem };

const REQUIRED: Record<Exclude<VocabField, "code">, MessageKey> = {
  label_es: "vocab.problem.label_es_required",
  label_en: "vocab.problem.label_en_required",
  definition_es: "vocab.problem.definition_es_required",
  definition_en: "vocab.problem.definition_en_required",
};

function texts(d: CodeDraft): AddedCode {
  return { label_es: d.label_es.trim(), label_en: d.label_en.trim(), definition_es: d.definition_es.trim(), definition_en: d.definition_en.trim() };
}

/** The texts of a vocabulary entry, as the form edits them. */
export function textsOf(entry: CodeView): AddedCode {
  return { label_es: entry.label_es, label_en: entry.label_en, definition_es: entry.definition_es, definition_en: entry.definition_en };
}

/**
 * The code and texts to save, or the first problem with the form.
 * `revising` is the added code being revised (its identifier is fixed),
 * null for a new code: a new code may not take a seeded identifier nor
 * one already added (that would silently revise another code's meaning).
 */
export function buildCodeInput(draft: CodeDraft, vocabulary: readonly CodeView[], revising: string | null): BuiltCode {
  const t = texts(draft);
  const code = revising ?? draft.code.trim();
  for (const field of VOCAB_FIELDS) {
    if (field === "code") {
      if (code === "") return { ok: false, problem: { key: "vocab.problem.code_required", field } };
      if (!isValidCode(code)) return { ok: false, problem: { key: "vocab.problem.code_format", field, args: { code } } };
      const existing = findCode(vocabulary, EXTENSIBLE_TIER, code);
      if (existing && !existing.added) return { ok: false, problem: { key: "vocab.problem.code_seeded", field, args: { code } } };
      if (existing && revising === null) return { ok: false, problem: { key: "vocab.problem.code_exists", field, args: { code } } };
    } else if (t[field] === "") {
      return { ok: false, problem: { key: REQUIRED[field], field } };
    }
  }
  if (revising !== null) {
    const current = findCode(vocabulary, EXTENSIBLE_TIER, revising);
    if (current && sameTexts(textsOf(current), t)) return { ok: false, problem: { key: "vocab.problem.unchanged", field: "label_es" } };
  }
  return { ok: true, code, texts: t };
}

function sameTexts(a: AddedCode, b: AddedCode): boolean {
  return (
    a.label_es.trim() === b.label_es.trim() &&
    a.label_en.trim() === b.label_en.trim() &&
    a.definition_es.trim() === b.definition_es.trim() &&
    a.definition_en.trim() === b.definition_en.trim()
  );
}

/** The form field a save error is about, if any. */
export function errorField(error: CommandError): VocabField | null {
  switch (error.code) {
    case "review.vocabulary_bad_code":
    case "review.vocabulary_code_seeded":
      return "code";
    case "review.vocabulary_text_required": {
      const f = error.args.field;
      return VOCAB_FIELDS.includes(f as VocabField) ? (f as VocabField) : null;
    }
    default:
      return null;
  }
}

/**
 * The vocabulary with `entry` in place of the code's earlier revision, or
 * added after the last code of its tier (where the vault lists it).
 */
export function withCode(list: readonly CodeView[], entry: CodeView): CodeView[] {
  const next = [...list];
  const i = next.findIndex((c) => c.tier === entry.tier && c.code === entry.code);
  if (i >= 0) {
    next[i] = entry;
    return next;
  }
  let last = -1;
  next.forEach((c, j) => {
    if (c.tier === entry.tier) last = j;
  });
  next.splice(last < 0 ? next.length : last + 1, 0, entry);
  return next;
}

/** The codes administrators added to the tier, in the vocabulary's order. */
export function addedCodes(list: readonly CodeView[], tier: string = EXTENSIBLE_TIER): CodeView[] {
  return list.filter((c) => c.tier === tier && c.added);
}

/** The added codes this session's annotations use (their meaning is fixed). */
export function codesInUse(annotations: readonly AnnotationView[]): Set<string> {
  return new Set(annotations.filter((a) => a.tier === EXTENSIBLE_TIER).map((a) => a.code));
}

/** A code as the code select lists it; `tag` ("agregado") marks added codes. */
export function codeChoiceText(c: CodeView, locale: Locale, tag: string): string {
  const label = locale === "en" ? c.label_en : c.label_es;
  return c.added ? `${label} (${tag})` : label;
}

/** A code's tooltip: its definition, and whether it was added. */
export function codeTooltip(c: CodeView | undefined, locale: Locale, tag: string): string {
  if (!c) return "";
  const definition = locale === "en" ? c.definition_en : c.definition_es;
  return c.added ? `${definition} (${tag})` : definition;
}
