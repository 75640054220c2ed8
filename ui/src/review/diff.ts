// What changed between two transcript revisions. Segments are matched by
// id (the editor keeps a segment's id through every edit), so a segment
// whose times moved is "changed", not removed and added again.

import type { SegmentDoc, TranscriptDoc } from "../api";
import { normalLabel } from "./transcript-model";

export type Field = "text" | "times" | "speaker";

export type SegmentChange =
  | { kind: "added"; after: SegmentDoc }
  | { kind: "removed"; before: SegmentDoc }
  | { kind: "changed"; before: SegmentDoc; after: SegmentDoc; fields: Field[] };

/** The fields in which two versions of one segment differ (the label is part of the speaker). */
export function changedFields(a: SegmentDoc, b: SegmentDoc): Field[] {
  const fields: Field[] = [];
  if (a.text !== b.text) fields.push("text");
  if (a.start_ms !== b.start_ms || a.end_ms !== b.end_ms) fields.push("times");
  if (a.speaker !== b.speaker || normalLabel(a.label) !== normalLabel(b.label)) fields.push("speaker");
  return fields;
}

/**
 * The segment-level differences from `before` to `after`, in time order
 * (a removed segment at its old start, ties: removed before added, so a
 * replacement reads top to bottom). Unchanged segments are left out.
 */
export function diffTranscripts(before: TranscriptDoc, after: TranscriptDoc): SegmentChange[] {
  const old = new Map(before.segments.map((s) => [s.id, s] as const));
  const seen = new Set<string>();
  const out: { at: number; order: number; change: SegmentChange }[] = [];
  for (const b of after.segments) {
    seen.add(b.id);
    const a = old.get(b.id);
    if (!a) {
      out.push({ at: b.start_ms, order: 1, change: { kind: "added", after: b } });
      continue;
    }
    const fields = changedFields(a, b);
    if (fields.length > 0) out.push({ at: b.start_ms, order: 1, change: { kind: "changed", before: a, after: b, fields } });
  }
  for (const a of before.segments) {
    if (!seen.has(a.id)) out.push({ at: a.start_ms, order: 0, change: { kind: "removed", before: a } });
  }
  // Array.prototype.sort is stable: equal keys keep the documents' order.
  return out.sort((x, y) => x.at - y.at || x.order - y.order).map((x) => x.change);
}

export interface Piece {
  kind: "same" | "added" | "removed";
  text: string;
}

/** Word-level diff gives up above this many cells and shows the whole texts as replaced. */
const MAX_CELLS = 250_000;

/**
 * A word-level diff of two texts (longest common subsequence over words,
 * each with the spaces after it, so that spaces alone never anchor a match
 * and a rewritten phrase reads as one deletion and one insertion), for
 * showing an edited segment. Adjacent pieces of one kind are merged.
 */
export function diffWords(a: string, b: string): Piece[] {
  const x = a.match(/^\s+|\S+\s*/g) ?? [];
  const y = b.match(/^\s+|\S+\s*/g) ?? [];
  const pieces: Piece[] = [];
  const push = (kind: Piece["kind"], text: string) => {
    const last = pieces[pieces.length - 1];
    if (last && last.kind === kind) last.text += text;
    else if (text !== "") pieces.push({ kind, text });
  };
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    push("removed", a);
    push("added", b);
    return pieces;
  }
  // lcs[i][j] = length of the LCS of x[i..] and y[j..], flattened.
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      push("same", x[i]!);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      push("removed", x[i++]!);
    } else {
      push("added", y[j++]!);
    }
  }
  while (i < x.length) push("removed", x[i++]!);
  while (j < y.length) push("added", y[j++]!);
  return pieces;
}
