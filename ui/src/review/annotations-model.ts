// The annotations panel's rules, without DOM: turning the form into an
// AnnotationInput (refusing what the vault would refuse, with a reason the
// reviewer can act on), and ordering and filtering the list.

import type { AnnotationInput, AnnotationView, CodeView, SegmentDoc, TranscriptDoc } from "../api";
import type { MessageKey } from "../i18n";
import { matches } from "../search";
import type { Selection } from "./context";
import { codesOfTier, findCode, segmentAt, segmentById, TIERS, type TierId } from "./panel-common";

/** What the form holds when the reviewer presses Save. */
export interface AnnotationDraft {
  tier: TierId;
  code: string;
  note: string;
  /** The span chosen (selection, or an edited annotation's own); null = a point at the playhead. */
  span: Selection | null;
  playheadMs: number;
  /** The annotation a note comments on. */
  targetId: string | null;
}

export type FormField = "code" | "note" | "span" | "target";
export interface Problem {
  key: MessageKey;
  field: FormField;
}
export type Built = { ok: true; input: AnnotationInput } | { ok: false; problem: Problem };

export type PromptSegment = { ok: true; segment: SegmentDoc } | { ok: false; problem: Problem };

function fail(key: MessageKey, field: FormField): { ok: false; problem: Problem } {
  return { ok: false, problem: { key, field } };
}

/**
 * The interviewer segment a prompt-type annotation is about: the selected
 * segment; else, for a region, the interviewer segment overlapping it most
 * (a region dragged a little wide still means the question it covers);
 * else the one under the point (the selection's, or the playhead).
 */
export function promptSegmentFor(doc: TranscriptDoc, span: Selection | null, playheadMs: number): PromptSegment {
  if (span?.segment_id) {
    const s = segmentById(doc, span.segment_id);
    if (!s) return fail("annotations.problem.segment_missing", "span");
    if (s.speaker !== "interviewer") return fail("annotations.problem.not_interviewer", "span");
    return { ok: true, segment: s };
  }
  if (span && span.end_ms > span.start_ms) {
    let best: SegmentDoc | undefined;
    let bestOverlap = 0;
    for (const s of doc.segments) {
      if (s.speaker !== "interviewer") continue;
      const overlap = Math.min(s.end_ms, span.end_ms) - Math.max(s.start_ms, span.start_ms);
      if (overlap > bestOverlap) {
        best = s;
        bestOverlap = overlap;
      }
    }
    return best ? { ok: true, segment: best } : fail("annotations.problem.no_interviewer_segment", "span");
  }
  const at = span ? span.start_ms : playheadMs;
  const s = segmentAt(doc, at, "interviewer");
  return s ? { ok: true, segment: s } : fail("annotations.problem.no_interviewer_segment", "span");
}

/** Start and end in whole, non-negative milliseconds, in order. */
export function normalSpan(a: number, b: number): { start_ms: number; end_ms: number } {
  const x = Math.max(0, Math.round(a));
  const y = Math.max(0, Math.round(b));
  return { start_ms: Math.min(x, y), end_ms: Math.max(x, y) };
}

/**
 * The input to save, or the first problem with the form. `annotations` is
 * the current list (a note's target must be in it); `editingId` the
 * annotation being revised, if any.
 */
export function buildAnnotationInput(
  draft: AnnotationDraft,
  doc: TranscriptDoc,
  vocabulary: readonly CodeView[],
  annotations: readonly AnnotationView[],
  editingId: string | null,
): Built {
  const note = draft.note.trim();
  const noteCode = codesOfTier(vocabulary, "notes")[0]?.code ?? "note";
  const code = draft.tier === "notes" ? noteCode : draft.code;
  if (code === "") return fail("annotations.problem.code_required", "code");
  if (draft.tier !== "notes" && !findCode(vocabulary, draft.tier, code)) return fail("annotations.problem.code_unknown", "code");

  if (draft.tier === "prompt-type") {
    const found = promptSegmentFor(doc, draft.span, draft.playheadMs);
    if (!found.ok) return found;
    const { segment } = found;
    return {
      ok: true,
      input: {
        tier: "prompt-type",
        ...normalSpan(segment.start_ms, segment.end_ms),
        code,
        segment_id: segment.id,
        note: note === "" ? null : note,
        target_id: null,
      },
    };
  }

  if (draft.tier === "notes") {
    if (note === "") return fail("annotations.problem.note_required", "note");
    if (draft.targetId !== null) {
      if (draft.targetId === editingId) return fail("annotations.problem.target_self", "target");
      if (!annotations.some((a) => a.id === draft.targetId)) return fail("annotations.problem.target_missing", "target");
    }
  }

  const span = draft.span ?? { start_ms: draft.playheadMs, end_ms: draft.playheadMs, segment_id: null };
  return {
    ok: true,
    input: {
      tier: draft.tier,
      ...normalSpan(span.start_ms, span.end_ms),
      code,
      segment_id: span.segment_id,
      note: note === "" ? null : note,
      target_id: draft.tier === "notes" ? draft.targetId : null,
    },
  };
}

/** What an existing annotation saves as, for a new revision with one thing changed. */
export function inputOf(a: AnnotationView): AnnotationInput {
  return {
    tier: a.tier,
    start_ms: a.start_ms,
    end_ms: a.end_ms,
    code: a.code,
    segment_id: a.segment_id,
    note: a.note,
    target_id: a.target_id,
  };
}

/** In time order; spans that start together, shorter first, then by tier and id (stable across redraws). */
export function sortAnnotations(list: readonly AnnotationView[]): AnnotationView[] {
  const tierRank = (t: string) => {
    const i = (TIERS as readonly string[]).indexOf(t);
    return i < 0 ? TIERS.length : i;
  };
  return [...list].sort(
    (a, b) =>
      a.start_ms - b.start_ms ||
      a.end_ms - b.end_ms ||
      tierRank(a.tier) - tierRank(b.tier) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export interface AnnotationFilter {
  tier: TierId | "all";
  text: string;
}

/**
 * The annotations of the chosen tier whose label, code or note contains
 * every word of the text (accents and case ignored), in time order.
 */
export function filterAnnotations(
  list: readonly AnnotationView[],
  filter: AnnotationFilter,
  label: (a: AnnotationView) => string,
): AnnotationView[] {
  return sortAnnotations(list.filter((a) => (filter.tier === "all" || a.tier === filter.tier) && matches(filter.text, [label(a), a.code, a.note])));
}

/** The list with `saved` in place of its earlier revision, or added. */
export function withSaved(list: readonly AnnotationView[], saved: AnnotationView): AnnotationView[] {
  const i = list.findIndex((a) => a.id === saved.id);
  if (i < 0) return [...list, saved];
  const next = [...list];
  next[i] = saved;
  return next;
}

export function without(list: readonly AnnotationView[], id: string): AnnotationView[] {
  return list.filter((a) => a.id !== id);
}

/** The notes commenting on `id`. */
export function commentsOn(list: readonly AnnotationView[], id: string): AnnotationView[] {
  return sortAnnotations(list.filter((a) => a.target_id === id));
}
