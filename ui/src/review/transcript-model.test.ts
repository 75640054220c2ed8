import { describe, expect, it } from "vitest";
import type { SegmentDoc } from "../api";
import {
  canonical,
  freshId,
  insertAt,
  insertMark,
  insertSorted,
  insertStamp,
  markOverlaps,
  normalize,
  problems,
  sameDocument,
  segmentAt,
  segmentAtPlayhead,
  sortSegments,
} from "./transcript-model";

const seg = (id: string, start_ms: number, end_ms: number, speaker: SegmentDoc["speaker"] = "child", extra: Partial<SegmentDoc> = {}): SegmentDoc => ({
  id,
  start_ms,
  end_ms,
  speaker,
  label: null,
  overlaps: false,
  text: "",
  ...extra,
});

describe("sortSegments", () => {
  it("orders by start and keeps ties in their order", () => {
    const out = sortSegments([seg("c", 500, 600), seg("a", 100, 200), seg("b1", 300, 400), seg("b2", 300, 350)]);
    expect(out.map((s) => s.id)).toEqual(["a", "b1", "b2", "c"]);
  });
});

describe("markOverlaps", () => {
  it("flags a segment starting before the previous one ends", () => {
    const out = markOverlaps([seg("a", 0, 2000, "interviewer"), seg("b", 1500, 3000)]);
    expect(out.map((s) => s.overlaps)).toEqual([false, true]);
  });
  it("does not flag touching ends", () => {
    const out = markOverlaps([seg("a", 0, 2000, "interviewer"), seg("b", 2000, 3000)]);
    expect(out[1]!.overlaps).toBe(false);
  });
  it("looks at the longest earlier end, not only the previous segment", () => {
    const out = markOverlaps([seg("a", 0, 10_000, "other"), seg("b", 1000, 2000, "interviewer"), seg("c", 5000, 6000)]);
    expect(out.map((s) => s.overlaps)).toEqual([false, true, true]);
  });
  it("clears a stale flag after the times changed", () => {
    const out = markOverlaps([seg("a", 0, 1000, "interviewer"), seg("b", 4000, 5000, "child", { overlaps: true })]);
    expect(out[1]!.overlaps).toBe(false);
  });
});

describe("normalize and compare", () => {
  it("sorts, trims labels and sets flags", () => {
    const doc = normalize({ segments: [seg("b", 900, 1200, "other", { label: "  " }), seg("a", 0, 1000, "interviewer", { label: " Mamá " })] });
    expect(doc.segments.map((s) => [s.id, s.label, s.overlaps])).toEqual([
      ["a", "Mamá", false],
      ["b", null, true],
    ]);
  });
  it("sees documents differing only in order or flags as the same", () => {
    const a = { segments: [seg("a", 0, 1000, "interviewer"), seg("b", 500, 900)] };
    const b = { segments: [seg("b", 500, 900, "child", { overlaps: true }), seg("a", 0, 1000, "interviewer")] };
    expect(sameDocument(a, b)).toBe(true);
    expect(sameDocument(a, { segments: [seg("a", 0, 1000, "interviewer"), seg("b", 500, 900, "child", { text: "x" })] })).toBe(false);
    expect(canonical({ segments: [] })).toBe("[]");
  });
});

describe("problems", () => {
  it("finds an end before the start", () => {
    expect(problems([seg("a", 2000, 1000)]).get("a")).toBe("end_before_start");
  });
  it("finds a speaker overlapping themselves, but lets differently labelled others overlap", () => {
    expect(problems([seg("a", 0, 4000), seg("b", 3000, 5000)]).get("b")).toBe("same_speaker_overlap");
    const p = problems([seg("a", 0, 4000, "other", { label: "Mamá" }), seg("b", 3000, 5000, "other", { label: "Papá" })]);
    expect(p.size).toBe(0);
  });
  it("accepts alternating speakers that overlap", () => {
    expect(problems([seg("a", 0, 4000, "interviewer"), seg("b", 3000, 5000)]).size).toBe(0);
  });
});

describe("segmentAt", () => {
  const sorted = [seg("a", 0, 1000), seg("b", 2000, 8000, "interviewer"), seg("c", 3000, 4000), seg("d", 9000, 9000)];
  it("finds the latest started segment under the time", () => {
    expect(segmentAt(sorted, 500)?.id).toBe("a");
    expect(segmentAt(sorted, 3500)?.id).toBe("c");
    expect(segmentAt(sorted, 5000)?.id).toBe("b");
  });
  it("finds nothing in a gap, and a point segment only at its time", () => {
    expect(segmentAt(sorted, 1500)).toBeNull();
    expect(segmentAt(sorted, 1000)).toBeNull();
    expect(segmentAt(sorted, 9000)?.id).toBe("d");
    expect(segmentAt([], 10)).toBeNull();
  });
});

describe("segmentAtPlayhead", () => {
  it("starts at the playhead, lasts 3 s, and answers the previous speaker", () => {
    const s = segmentAtPlayhead([seg("a", 0, 1000, "interviewer")], 1500.4, 60_000, "n");
    expect(s).toEqual({ id: "n", start_ms: 1500, end_ms: 4500, speaker: "child", label: null, overlaps: false, text: "" });
    expect(segmentAtPlayhead([seg("a", 0, 1000, "child")], 1500, null, "n").speaker).toBe("interviewer");
  });
  it("starts with the interviewer and follows an 'other' with the interviewer", () => {
    expect(segmentAtPlayhead([], 0, null, "n").speaker).toBe("interviewer");
    expect(segmentAtPlayhead([seg("a", 0, 100, "other")], 200, null, "n").speaker).toBe("interviewer");
  });
  it("takes the segment before the playhead as the previous one, not the last", () => {
    const sorted = [seg("a", 0, 1000, "interviewer"), seg("b", 5000, 6000, "child")];
    expect(segmentAtPlayhead(sorted, 2000, null, "n").speaker).toBe("child");
  });
  it("is clipped to the recording's end", () => {
    expect(segmentAtPlayhead([], 59_000, 60_000, "n").end_ms).toBe(60_000);
  });
  it("is clipped to the next segment of the same voice, not of another", () => {
    const sorted = [seg("a", 0, 1000, "interviewer"), seg("b", 2000, 2500, "interviewer"), seg("c", 2800, 6000, "child")];
    const s = segmentAtPlayhead(sorted, 1200, null, "n");
    expect([s.speaker, s.end_ms]).toEqual(["child", 2800]);
    expect(problems(insertSorted(sorted, s)).size).toBe(0);
    expect(segmentAtPlayhead([seg("a", 0, 1000, "interviewer"), seg("b", 5000, 6000, "interviewer")], 1200, null, "n").end_ms).toBe(4200);
  });
});

describe("insertSorted and freshId", () => {
  it("inserts after segments starting at the same time", () => {
    const out = insertSorted([seg("a", 0, 1), seg("b", 100, 200), seg("c", 300, 400)], seg("n", 100, 150));
    expect(out.map((s) => s.id)).toEqual(["a", "b", "n", "c"]);
  });
  it("draws again until the id is free", () => {
    const draws = ["x", "x", "y"];
    expect(freshId(new Set(["seg-x"]), () => draws.shift()!)).toBe("seg-y");
  });
});

describe("text insertion", () => {
  it("sets a mark off from the words around it", () => {
    expect(insertAt("hola mundo", 4, 4, "[pausa]")).toEqual({ value: "hola [pausa] mundo", caret: 12 });
    expect(insertAt("hola ", 5, 5, "[pausa]")).toEqual({ value: "hola [pausa]", caret: 12 });
    expect(insertAt("", 0, 0, "[x]")).toEqual({ value: "[x]", caret: 3 });
  });
  it("adds no space before punctuation", () => {
    expect(insertAt("sí.", 2, 2, "[pausa]").value).toBe("sí [pausa].");
  });
  it("replaces the selection", () => {
    expect(insertAt("no sé qué", 3, 5, "[ininteligible]").value).toBe("no [ininteligible] qué");
  });
  it("puts the caret inside a non-verbal mark and in the long pause's number", () => {
    expect(insertMark("y", 1, 1, "nonverbal", "es")).toEqual({ value: "y []", caret: 3 });
    const long = insertMark("", 0, 0, "long_pause", "es");
    expect(long.value.slice(0, long.caret)).toBe("[pausa ");
    expect(insertMark("", 0, 0, "long_pause", "en").value.slice(0, 7)).toBe("[pause ");
  });
  it("writes marks in the interview's language", () => {
    expect(insertMark("", 0, 0, "unintelligible", "es").value).toBe("[ininteligible]");
    expect(insertMark("", 0, 0, "unintelligible", "en").value).toBe("[unintelligible]");
  });
  it("leaves a mark the caret is at the end of instead of nesting", () => {
    expect(insertStamp("y [llora]", 8, 8, 1000)).toEqual({ value: "y [llora] [00:00:01]", caret: 20 });
    expect(insertMark("[]", 1, 1, "pause", "es").value).toBe("[] [pausa]");
    // A closing bracket that ends no open mark is just a character.
    expect(insertMark("a]", 1, 1, "pause", "es").value).toBe("a [pausa]]");
  });
  it("inserts a time stamp", () => {
    expect(insertStamp("dijo", 4, 4, 83_400)).toEqual({ value: "dijo [00:01:23]", caret: 15 });
  });
});
