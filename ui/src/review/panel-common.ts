// Pieces the review side panels share: vocabulary look-ups, segment
// look-ups, debouncing. Pure except `debounce` (timers) and `panelError`.

import type { AnnotationView, CodeView, CommandError, SegmentDoc, TranscriptDoc } from "../api";
import { el } from "../dom";
import type { Locale, MessageKey, Translator } from "../i18n";
import { errorMessage } from "../view";
import { formatClock, formatPrecise } from "./time";

export type TierId = AnnotationView["tier"];
export const TIERS: readonly TierId[] = ["indicators", "notes", "prompt-type"];
export type Speaker = SegmentDoc["speaker"];

/** The NICHD prompt types in the panel's order (the vocabulary's own order). */
export const PROMPT_CODES = ["invitation", "cued_invitation", "facilitator", "directive", "option_posing", "suggestive"] as const;
export type PromptCode = (typeof PROMPT_CODES)[number];

export function isTier(s: string): s is TierId {
  return (TIERS as readonly string[]).includes(s);
}

export function tierName(tier: string, tr: Translator): string {
  return isTier(tier) ? tr.t(`annotations.tier.${tier}` as MessageKey) : tier;
}

export function speakerName(speaker: string, tr: Translator): string {
  const key = `annotations.speaker.${speaker}` as MessageKey;
  const text = tr.t(key);
  return text === key ? speaker : text;
}

/** Who speaks a segment: its own label ("Mamá") when it has one, else the role. */
export function segmentSpeaker(s: Pick<SegmentDoc, "speaker" | "label">, tr: Translator): string {
  const label = s.label?.trim();
  return label ? label : speakerName(s.speaker, tr);
}

export function codesOfTier(vocabulary: readonly CodeView[], tier: TierId): CodeView[] {
  return vocabulary.filter((c) => c.tier === tier);
}

export function findCode(vocabulary: readonly CodeView[], tier: string, code: string): CodeView | undefined {
  return vocabulary.find((c) => c.tier === tier && c.code === code);
}

/** A code's label in the UI language; the raw code when the vocabulary lacks it. */
export function codeLabel(vocabulary: readonly CodeView[], tier: string, code: string, locale: Locale): string {
  const c = findCode(vocabulary, tier, code);
  if (!c) return code;
  return locale === "en" ? c.label_en : c.label_es;
}

export function codeDefinition(vocabulary: readonly CodeView[], tier: string, code: string, locale: Locale): string {
  const c = findCode(vocabulary, tier, code);
  if (!c) return "";
  return locale === "en" ? c.definition_en : c.definition_es;
}

export function segmentById(doc: TranscriptDoc, id: string | null | undefined): SegmentDoc | undefined {
  return id ? doc.segments.find((s) => s.id === id) : undefined;
}

/** The segments `ids` names, in the order given; ids no longer in the transcript are skipped. */
export function segmentsByIds(doc: TranscriptDoc, ids: readonly string[]): SegmentDoc[] {
  const byId = new Map(doc.segments.map((s) => [s.id, s] as const));
  return ids.map((id) => byId.get(id)).filter((s): s is SegmentDoc => s !== undefined);
}

/**
 * The segment of `speaker` under `ms` (start and end inclusive). When two
 * overlap there, the one that started last is the one being heard.
 */
export function segmentAt(doc: TranscriptDoc, ms: number, speaker?: Speaker): SegmentDoc | undefined {
  let found: SegmentDoc | undefined;
  for (const s of doc.segments) {
    if (speaker && s.speaker !== speaker) continue;
    if (s.start_ms <= ms && ms <= s.end_ms && (!found || s.start_ms >= found.start_ms)) found = s;
  }
  return found;
}

/** A span as hh:mm:ss–hh:mm:ss; to the millisecond when both ends fall in the same second. */
export function spanText(start: number, end: number): string {
  if (start === end) return formatClock(start);
  const [a, b] = [formatClock(start), formatClock(end)];
  return a === b ? `${formatPrecise(start)}–${formatPrecise(end)}` : `${a}–${b}`;
}

/** The first `max` characters of `text`, cut at a word when possible. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface Debounced {
  (): void;
  /** Runs now if a call is pending. */
  flush(): void;
  cancel(): void;
}

/** Calls `fn` once `ms` after the last call (transcript edits fire per keystroke). */
export function debounce(fn: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const d = (() => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  }) as Debounced;
  d.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    fn();
  };
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return d;
}

/**
 * Hands out tickets so that only the answer to the latest request is drawn
 * (an older, slower answer must not overwrite a newer one).
 */
export function latestOnly(): { next(): number; isCurrent(ticket: number): boolean } {
  let current = 0;
  return {
    next: () => ++current,
    isCurrent: (ticket) => ticket === current,
  };
}

/** Fills `slot` with a translated command error, or empties and hides it. */
export function showError(slot: HTMLElement, error: CommandError | undefined, tr: Translator): void {
  slot.textContent = error ? errorMessage(error, tr) : "";
  slot.hidden = !error;
  if (error) slot.dataset.errorCode = error.code;
  else delete slot.dataset.errorCode;
}

export function errorSlot(testid: string): HTMLElement {
  return el("p", { class: "form-error", role: "alert", "data-testid": testid, hidden: "" });
}
