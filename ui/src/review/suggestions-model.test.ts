import { describe, expect, it } from "vitest";
import type { AnnotationView, PromptSuggestion, TranscriptDoc } from "../api";
import { classification, countRows, filterRows, rowState, suggestionRows } from "./suggestions-model";

const doc: TranscriptDoc = {
  segments: [
    { id: "i1", start_ms: 0, end_ms: 2_000, speaker: "interviewer", overlaps: false, text: "Cuéntame todo." },
    { id: "c1", start_ms: 2_000, end_ms: 9_000, speaker: "child", overlaps: false, text: "Había una cámara." },
    { id: "o1", start_ms: 9_000, end_ms: 9_500, speaker: "other", overlaps: false, text: "¿Quién era?" },
    { id: "i3", start_ms: 12_000, end_ms: 13_000, speaker: "interviewer", overlaps: false, text: "La la la" },
    // Listed out of order while being edited: rows still come in time order.
    { id: "i2", start_ms: 9_500, end_ms: 11_000, speaker: "interviewer", overlaps: false, text: "¿Era de día o de noche?" },
  ],
};

const suggestions: PromptSuggestion[] = [
  { segment_id: "i1", kind: "invitation", rule: "invitation_request" },
  { segment_id: "i2", kind: "option_posing", rule: "either_or" },
];

function prompt(id: string, segment: string, code: string, over: Partial<AnnotationView> = {}): AnnotationView {
  return {
    id,
    rev: 1,
    saved_at: "2025-01-01T00:00:00Z",
    author: "Ana",
    sha256: "0".repeat(64),
    deleted: false,
    tier: "prompt-type",
    start_ms: 0,
    end_ms: 1,
    code,
    segment_id: segment,
    note: null,
    target_id: null,
    ...over,
  };
}

describe("suggestionRows", () => {
  it("has one row per interviewer segment, in time order, with its suggestion and classifications", () => {
    const annotations = [
      prompt("p1", "i2", "suggestive"),
      { ...prompt("x", "i1", "places"), tier: "indicators" as const },
      prompt("p0", "i1", "invitation", { start_ms: 5 }),
    ];
    const rows = suggestionRows(doc, suggestions, annotations);
    expect(rows.map((r) => r.segment.id)).toEqual(["i1", "i2", "i3"]);
    expect(rows.map((r) => r.suggestion?.kind ?? null)).toEqual(["invitation", "option_posing", null]);
    expect(rows.map((r) => r.classified.map((a) => a.id))).toEqual([["p0"], ["p1"], []]);
  });
});

describe("row states and filters", () => {
  const rows = suggestionRows(doc, suggestions, [prompt("p0", "i1", "invitation"), prompt("p1", "i2", "directive")]);
  const unclassified = suggestionRows(doc, suggestions, []);

  it("tells agreement, disagreement and no decision apart", () => {
    expect(rows.map(rowState)).toEqual(["agrees", "differs", "unclassified"]);
  });
  it("a classification without a suggestion agrees with nothing to differ from", () => {
    const r = suggestionRows(doc, [], [prompt("p3", "i3", "facilitator")]);
    expect(r.map(rowState)).toEqual(["unclassified", "unclassified", "agrees"]);
  });
  it("filters: pending suggestions, unclassified turns, disagreements", () => {
    expect(filterRows(unclassified, "pending").map((r) => r.segment.id)).toEqual(["i1", "i2"]);
    expect(filterRows(unclassified, "unclassified").map((r) => r.segment.id)).toEqual(["i1", "i2", "i3"]);
    expect(filterRows(rows, "pending")).toEqual([]);
    expect(filterRows(rows, "differs").map((r) => r.segment.id)).toEqual(["i2"]);
    expect(filterRows(rows, "all")).toHaveLength(3);
  });
  it("counts", () => {
    expect(countRows(rows)).toEqual({ segments: 3, suggested: 2, classified: 2, differs: 1 });
  });
});

describe("classification", () => {
  const segment = doc.segments[4]!;
  it("creates a prompt-type annotation over the segment", () => {
    expect(classification(segment, "option_posing", undefined)).toEqual({
      id: null,
      input: { tier: "prompt-type", start_ms: 9_500, end_ms: 11_000, code: "option_posing", segment_id: "i2", note: null, target_id: null },
    });
  });
  it("revises an existing one: new code, the segment's current times, its note kept", () => {
    const existing = prompt("p1", "i2", "directive", { start_ms: 9_000, end_ms: 10_000, note: "dudosa" });
    expect(classification(segment, "suggestive", existing)).toEqual({
      id: "p1",
      input: { tier: "prompt-type", start_ms: 9_500, end_ms: 11_000, code: "suggestive", segment_id: "i2", note: "dudosa", target_id: null },
    });
  });
});
