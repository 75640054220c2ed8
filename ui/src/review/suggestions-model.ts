// The prompt-type suggestions panel's rules, without DOM: one row per
// interviewer segment with what the suggester proposes and what the
// reviewer has already decided, and the annotation a decision saves as.

import type { AnnotationInput, AnnotationView, PromptSuggestion, SegmentDoc, TranscriptDoc } from "../api";
import { inputOf, sortAnnotations } from "./annotations-model";

export interface SuggestionRow {
  segment: SegmentDoc;
  suggestion: PromptSuggestion | null;
  /** Prompt-type annotations tied to this segment, in time order (normally one). */
  classified: AnnotationView[];
}

export type RowState = "unclassified" | "agrees" | "differs";
export type RowFilter = "all" | "pending" | "unclassified" | "differs";
export const ROW_FILTERS: readonly RowFilter[] = ["all", "pending", "unclassified", "differs"];

/** Every interviewer segment in time order, with its suggestion and classification. */
export function suggestionRows(
  doc: TranscriptDoc,
  suggestions: readonly PromptSuggestion[],
  annotations: readonly AnnotationView[],
): SuggestionRow[] {
  const bySegment = new Map(suggestions.map((s) => [s.segment_id, s] as const));
  const classified = new Map<string, AnnotationView[]>();
  for (const a of sortAnnotations(annotations)) {
    if (a.tier !== "prompt-type" || !a.segment_id) continue;
    const list = classified.get(a.segment_id) ?? [];
    list.push(a);
    classified.set(a.segment_id, list);
  }
  return doc.segments
    .map((segment, i) => [segment, i] as const)
    .filter(([s]) => s.speaker === "interviewer")
    .sort((a, b) => a[0].start_ms - b[0].start_ms || a[1] - b[1])
    .map(([segment]) => ({
      segment,
      suggestion: bySegment.get(segment.id) ?? null,
      classified: classified.get(segment.id) ?? [],
    }));
}

/** Whether the reviewer's classification (the first one) agrees with the suggestion. */
export function rowState(row: SuggestionRow): RowState {
  const decided = row.classified[0];
  if (!decided) return "unclassified";
  return row.suggestion && row.suggestion.kind !== decided.code ? "differs" : "agrees";
}

/**
 * `pending`: a suggestion not yet decided on (unclassified, or classified
 * otherwise) — the rows to work through; `unclassified`: no decision yet,
 * with or without a suggestion; `differs`: decided against the suggestion.
 */
export function filterRows(rows: readonly SuggestionRow[], filter: RowFilter): SuggestionRow[] {
  switch (filter) {
    case "all":
      return [...rows];
    case "pending":
      return rows.filter((r) => r.suggestion !== null && rowState(r) === "unclassified");
    case "unclassified":
      return rows.filter((r) => rowState(r) === "unclassified");
    case "differs":
      return rows.filter((r) => rowState(r) === "differs");
  }
}

export type RowCounts = {
  segments: number;
  suggested: number;
  classified: number;
  differs: number;
};

export function countRows(rows: readonly SuggestionRow[]): RowCounts {
  let suggested = 0;
  let classified = 0;
  let differs = 0;
  for (const r of rows) {
    if (r.suggestion) suggested++;
    const state = rowState(r);
    if (state !== "unclassified") classified++;
    if (state === "differs") differs++;
  }
  return { segments: rows.length, suggested, classified, differs };
}

/**
 * What classifying `segment` as `code` saves: a new revision of the
 * existing classification (keeping its note, following the segment's
 * current times), or a new prompt-type annotation over the segment.
 */
export function classification(segment: SegmentDoc, code: string, existing: AnnotationView | undefined): { id: string | null; input: AnnotationInput } {
  const span = { start_ms: segment.start_ms, end_ms: segment.end_ms, segment_id: segment.id };
  if (existing) return { id: existing.id, input: { ...inputOf(existing), ...span, tier: "prompt-type", code } };
  return { id: null, input: { tier: "prompt-type", ...span, code, note: null, target_id: null } };
}
