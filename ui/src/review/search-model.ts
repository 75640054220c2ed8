// The search panel's rules, without DOM: matches grouped by the text they
// were found in, and a text cut into plain and highlighted parts from the
// backend's UTF-16 ranges (the units JavaScript strings index by).

import type { SearchMatch } from "../api";

export type MatchTarget = SearchMatch["target"];

export interface MatchGroup {
  target: MatchTarget;
  /** [start, end) in UTF-16 code units, in order. */
  ranges: [number, number][];
}

export function targetKey(t: MatchTarget): string {
  return t.kind === "segment" ? `s:${t.segment_id}` : `a:${t.annotation_id}`;
}

/** One group per segment or note, in the order the backend found them (segments first). */
export function groupMatches(matches: readonly SearchMatch[]): MatchGroup[] {
  const groups = new Map<string, MatchGroup>();
  for (const m of matches) {
    const key = targetKey(m.target);
    let g = groups.get(key);
    if (!g) {
      g = { target: m.target, ranges: [] };
      groups.set(key, g);
    }
    g.ranges.push([m.start_utf16, m.end_utf16]);
  }
  return [...groups.values()];
}

export interface TextPart {
  text: string;
  match: boolean;
}

/**
 * `text` as plain and matched parts. Ranges are clamped to the text, sorted
 * and merged when they touch or overlap, and empty ones dropped, so a stale
 * range (the text was edited since the search) cannot break the display.
 */
export function highlightParts(text: string, ranges: readonly (readonly [number, number])[]): TextPart[] {
  const clean = ranges
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const r of clean) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const parts: TextPart[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) parts.push({ text: text.slice(at, a), match: false });
    parts.push({ text: text.slice(a, b), match: true });
    at = b;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/**
 * For a long text, the parts around the first match: at most `context`
 * UTF-16 units before it (cut at a space), with "…" where text was left out.
 * Short texts are returned whole.
 */
export function aroundFirstMatch(parts: TextPart[], context = 60, max = 240): TextPart[] {
  const length = parts.reduce((n, p) => n + p.text.length, 0);
  if (length <= max) return parts;
  const first = parts.findIndex((p) => p.match);
  if (first <= 0) return parts;
  const before = parts[first - 1]!;
  if (before.text.length <= context) return parts;
  let cut = before.text.slice(before.text.length - context);
  const space = cut.indexOf(" ");
  if (space >= 0 && space < context / 2) cut = cut.slice(space + 1);
  // Never start inside a surrogate pair.
  if (/^[\uDC00-\uDFFF]/.test(cut)) cut = cut.slice(1);
  return [{ text: `…${cut}`, match: false }, ...parts.slice(first)];
}
