// The transcript editor's rules, without DOM. The vault refuses a document
// whose order or overlap flags do not match its times
// (crates/relato-review/src/transcript.rs), so the editor computes them
// here, the same way, before every save.

import type { SegmentDoc, TranscriptDoc } from "../api";
import type { MarkKind } from "./keys";
import { timeStamp } from "./time";

export type Speaker = SegmentDoc["speaker"];
export const SPEAKERS: readonly Speaker[] = ["child", "interviewer", "other"];

/** How long a segment added at the playhead lasts until the reviewer sets its end. */
export const NEW_SEGMENT_MS = 3_000;

/** Stable sort by start: segments that start together keep the order the reviewer gave them. */
export function sortSegments(segments: readonly SegmentDoc[]): SegmentDoc[] {
  return segments
    .map((s, i) => [s, i] as const)
    .sort((a, b) => a[0].start_ms - b[0].start_ms || a[1] - b[1])
    .map(([s]) => s);
}

/**
 * Sets `overlaps` on each segment of a sorted list: true exactly when it
 * starts before some earlier segment has ended (the longest earlier end,
 * not just the previous segment's). Touching ends are no overlap.
 */
export function markOverlaps(sorted: readonly SegmentDoc[]): SegmentDoc[] {
  let latestEnd: number | undefined;
  return sorted.map((s) => {
    const overlaps = latestEnd !== undefined && s.start_ms < latestEnd;
    latestEnd = latestEnd === undefined ? s.end_ms : Math.max(latestEnd, s.end_ms);
    return s.overlaps === overlaps ? s : { ...s, overlaps };
  });
}

/** An empty or blank label is no label (the vault tells `None` from `""`). */
export function normalLabel(label: string | null | undefined): string | null {
  const t = (label ?? "").trim();
  return t === "" ? null : t;
}

/** The document as it is saved: sorted, labels trimmed, overlap flags from the times. */
export function normalize(doc: TranscriptDoc): TranscriptDoc {
  const cleaned = doc.segments.map((s) => {
    const label = normalLabel(s.label);
    return s.label === label ? s : { ...s, label };
  });
  return { segments: markOverlaps(sortSegments(cleaned)) };
}

/** One form of a document for comparing: normalised, fields in a fixed order. */
export function canonical(doc: TranscriptDoc): string {
  return JSON.stringify(
    normalize(doc).segments.map((s) => [s.id, s.start_ms, s.end_ms, s.speaker, s.label ?? null, s.overlaps === true, s.text]),
  );
}

export function sameDocument(a: TranscriptDoc, b: TranscriptDoc): boolean {
  return canonical(a) === canonical(b);
}

/** Who speaks, as the vault tells voices apart: the role plus its label. */
function voice(s: SegmentDoc): string {
  return `${s.speaker}\u0000${normalLabel(s.label) ?? ""}`;
}

export type ProblemCode = "end_before_start" | "same_speaker_overlap";

/**
 * What the vault would refuse, found before saving so the row can say so.
 * Order and overlap flags are not problems: normalize() sets them.
 */
export function problems(segments: readonly SegmentDoc[]): Map<string, ProblemCode> {
  const found = new Map<string, ProblemCode>();
  const latestByVoice = new Map<string, number>();
  for (const s of sortSegments(segments)) {
    if (s.end_ms < s.start_ms) found.set(s.id, "end_before_start");
    const v = voice(s);
    const end = latestByVoice.get(v);
    if (end !== undefined && s.start_ms < end && !found.has(s.id)) found.set(s.id, "same_speaker_overlap");
    latestByVoice.set(v, Math.max(end ?? 0, s.end_ms));
  }
  return found;
}

/** Index of the last segment starting at or before `ms` in a sorted list, or -1. */
export function lastStartingBy(sorted: readonly SegmentDoc[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.start_ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** How far back segmentAt looks for a long segment still running (overlaps are short runs). */
const LOOK_BACK = 64;

/** The segment being spoken at `ms` (the latest started one), or null in a gap. */
export function segmentAt(sorted: readonly SegmentDoc[], ms: number): SegmentDoc | null {
  const last = lastStartingBy(sorted, ms);
  for (let i = last; i >= 0 && i > last - LOOK_BACK; i--) {
    const s = sorted[i]!;
    if (ms < s.end_ms || (s.start_ms === ms && s.end_ms === ms)) return s;
  }
  return null;
}

/** The speaker of a segment added after `previous`: turns alternate, an interview starts with the interviewer. */
export function nextSpeaker(previous: SegmentDoc | undefined): Speaker {
  return previous?.speaker === "interviewer" ? "child" : "interviewer";
}

/**
 * A new empty segment at the playhead: 3 s long, spoken by the other party
 * than the segment before it. Its end is clipped to the recording and to
 * the next segment of the same voice, which it must not overlap.
 */
export function segmentAtPlayhead(sorted: readonly SegmentDoc[], playheadMs: number, durationMs: number | null, id: string): SegmentDoc {
  const start = Math.max(0, Math.round(playheadMs));
  const at = lastStartingBy(sorted, start);
  const speaker = nextSpeaker(sorted[at]);
  let limit = durationMs !== null && durationMs >= start ? durationMs : Infinity;
  const next = sorted.slice(at + 1).find((s) => s.speaker === speaker && normalLabel(s.label) === null);
  if (next) limit = Math.min(limit, Math.max(start, next.start_ms));
  return { id, start_ms: start, end_ms: Math.min(start + NEW_SEGMENT_MS, limit), speaker, label: null, overlaps: false, text: "" };
}

/** `seg` placed in a sorted list after every segment starting at or before it. */
export function insertSorted(sorted: readonly SegmentDoc[], seg: SegmentDoc): SegmentDoc[] {
  const at = lastStartingBy(sorted, seg.start_ms) + 1;
  return [...sorted.slice(0, at), seg, ...sorted.slice(at)];
}

/** A segment id not yet used, from a random source (ids only need to be unique in the transcript). */
export function freshId(taken: ReadonlySet<string>, random: () => string): string {
  for (;;) {
    const id = `seg-${random()}`;
    if (!taken.has(id)) return id;
  }
}

export interface Edit {
  value: string;
  /** Caret position after the edit. */
  caret: number;
}

/**
 * `insert` put in place of the selection [from, to), set off by a space from
 * the words on either side, with the caret at `caretInInsert` (default: after it).
 */
export function insertAt(value: string, from: number, to: number, insert: string, caretInInsert = insert.length): Edit {
  const before = value.slice(0, from);
  const after = value.slice(to);
  const lead = before === "" || /\s$/.test(before) ? "" : " ";
  const trail = after === "" || /^[\s.,;:!?…)\]]/.test(after) ? "" : " ";
  return { value: before + lead + insert + trail + after, caret: before.length + lead.length + caretInInsert };
}

/**
 * The marks a quick key types, in the interview's language (they are part
 * of the transcript, not of the interface). All marks are in square
 * brackets: the quality figures and the prompt-type suggester skip `[…]`,
 * so a mark never counts as a word. `caret` places the cursor where the
 * reviewer completes the mark.
 */
export const MARKS: Record<"es" | "en", Record<MarkKind, { text: string; caret?: number }>> = {
  es: {
    pause: { text: "[pausa]" },
    long_pause: { text: "[pausa  s]", caret: 7 },
    unintelligible: { text: "[ininteligible]" },
    nonverbal: { text: "[]", caret: 1 },
    overlap: { text: "[superposición]" },
  },
  en: {
    pause: { text: "[pause]" },
    long_pause: { text: "[pause  s]", caret: 7 },
    unintelligible: { text: "[unintelligible]" },
    nonverbal: { text: "[]", caret: 1 },
    overlap: { text: "[overlap]" },
  },
};

/**
 * Where a quick key inserts: after the closing bracket when the caret is
 * just before it, so a mark typed into (`[llora|]`) is left by the next key
 * rather than nested.
 */
function outOfMark(value: string, from: number, to: number): [number, number] {
  return from === to && value[from] === "]" && value.lastIndexOf("[", from) > value.lastIndexOf("]", from - 1) ? [from + 1, from + 1] : [from, to];
}

export function insertMark(value: string, from: number, to: number, kind: MarkKind, language: "es" | "en"): Edit {
  const mark = MARKS[language][kind];
  const [a, b] = outOfMark(value, from, to);
  return insertAt(value, a, b, mark.text, mark.caret);
}

export function insertStamp(value: string, from: number, to: number, ms: number): Edit {
  const [a, b] = outOfMark(value, from, to);
  return insertAt(value, a, b, timeStamp(ms));
}
