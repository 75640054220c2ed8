import { describe, expect, it } from "vitest";
import type { SearchMatch } from "../api";
import { aroundFirstMatch, groupMatches, highlightParts } from "./search-model";

const seg = (segment_id: string, a: number, b: number): SearchMatch => ({ target: { kind: "segment", segment_id }, start: a, end: b, start_utf16: a, end_utf16: b });

describe("groupMatches", () => {
  it("groups by segment or note, keeping the first-seen order", () => {
    const note: SearchMatch = { target: { kind: "annotation_note", annotation_id: "a1", segment_id: "s1" }, start: 0, end: 2, start_utf16: 0, end_utf16: 2 };
    const groups = groupMatches([seg("s2", 0, 3), seg("s1", 4, 6), seg("s2", 8, 9), note]);
    expect(groups.map((g) => [g.target.kind, g.ranges])).toEqual([
      ["segment", [[0, 3], [8, 9]]],
      ["segment", [[4, 6]]],
      ["annotation_note", [[0, 2]]],
    ]);
  });
  it("does not merge a note with the segment it is tied to", () => {
    const note: SearchMatch = { target: { kind: "annotation_note", annotation_id: "s1", segment_id: "s1" }, start: 0, end: 1, start_utf16: 0, end_utf16: 1 };
    expect(groupMatches([seg("s1", 0, 1), note])).toHaveLength(2);
  });
});

describe("highlightParts", () => {
  const shown = (parts: { text: string; match: boolean }[]) => parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join("");

  it("marks each range", () => {
    expect(shown(highlightParts("Estaba en la cámara de la casa", [[13, 19], [26, 30]]))).toBe("Estaba en la [cámara] de la [casa]");
  });
  it("indexes by UTF-16 units, so text after an emoji is still right", () => {
    const text = "Dijo 🙂 cámara";
    // "🙂" is two UTF-16 units: "cámara" starts at 8.
    expect(shown(highlightParts(text, [[8, 14]]))).toBe("Dijo 🙂 [cámara]");
  });
  it("merges overlapping and touching ranges, in any order", () => {
    expect(shown(highlightParts("abcdefgh", [[4, 6], [1, 3], [2, 4]]))).toBe("a[bcdef]gh");
  });
  it("clamps stale ranges and drops empty ones", () => {
    expect(shown(highlightParts("corto", [[3, 40], [2, 2], [-5, 1]]))).toBe("[c]or[to]");
    expect(highlightParts("", [[0, 3]])).toEqual([{ text: "", match: false }]);
  });
  it("returns the whole text without ranges", () => {
    expect(highlightParts("nada", [])).toEqual([{ text: "nada", match: false }]);
  });
});

describe("aroundFirstMatch", () => {
  it("keeps short texts whole", () => {
    const parts = highlightParts("uno dos tres", [[4, 7]]);
    expect(aroundFirstMatch(parts)).toBe(parts);
  });
  it("cuts a long lead-in at a word, keeping the match and what follows", () => {
    const lead = "palabra ".repeat(40);
    const parts = highlightParts(`${lead}cámara y más`, [[lead.length, lead.length + 6]]);
    const out = aroundFirstMatch(parts, 30, 100);
    expect(out[0]!.text.startsWith("…")).toBe(true);
    expect(out[0]!.text.length).toBeLessThanOrEqual(31);
    expect(out[0]!.text.slice(1, 2)).not.toBe(" ");
    expect(out.slice(1)).toEqual([
      { text: "cámara", match: true },
      { text: " y más", match: false },
    ]);
  });
});
