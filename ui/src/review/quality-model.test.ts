import { describe, expect, it } from "vitest";
import type { PromptType, QualityReport } from "../api";
import { barPercent, figureSegments, formatPercent, hasFreeNarrative, promptTotal } from "./quality-model";

const kinds: PromptType[] = ["invitation", "cued_invitation", "facilitator", "directive", "option_posing", "suggestive"];

const report: QualityReport = {
  child: { ms: 60_000, words: 120, segment_ids: ["c1", "c2", "c3"] },
  interviewer: { ms: 20_000, words: 50, segment_ids: ["i1", "i2", "i3", "i4"] },
  other: { ms: 0, words: 0, segment_ids: [] },
  child_share_of_talk: 0.75,
  free_narrative_interviewer_turns: { count: 2, turns: [["i2"], ["i3", "i4"]] },
  prompt_types: kinds.map((kind) => ({
    kind,
    count: kind === "invitation" ? 2 : kind === "suggestive" ? 1 : 0,
    segment_ids: kind === "invitation" ? ["i1", "i2"] : kind === "suggestive" ? ["i4"] : [],
    annotation_ids: [],
  })),
  invitation_share: { invitations: 2, prompts: 3, share: 2 / 3, segment_ids: ["i1", "i2"] },
  first_option_posing_or_suggestive: { kind: "suggestive", time_ms: 40_000, text: "¿Te tocó, verdad?", segment_id: "i4", annotation_id: "a9" },
  longest_child_narrative: { ms: 30_000, start_ms: 5_000, end_ms: 35_000, segment_ids: ["c1", "c2"] },
  uncounted_prompt_annotations: [],
};

describe("formatPercent", () => {
  it("rounds to whole percents", () => {
    expect(formatPercent(0.75)).toBe("75%");
    expect(formatPercent(2 / 3)).toBe("67%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
  });
  it("never shows a small share as none, nor a large one as all", () => {
    expect(formatPercent(0.003)).toBe("<1%");
    expect(formatPercent(0.997)).toBe(">99%");
  });
  it("shows a dash when there is nothing to divide", () => {
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
  });
});

describe("barPercent", () => {
  it("is the count's part of the total, 0 without a total", () => {
    expect(barPercent(1, 4)).toBe(25);
    expect(barPercent(3, 0)).toBe(0);
    expect(barPercent(0, 5)).toBe(0);
    expect(barPercent(9, 3)).toBe(100);
  });
});

describe("figureSegments", () => {
  it("lists what each figure counts", () => {
    expect(figureSegments(report, "child")).toEqual(["c1", "c2", "c3"]);
    expect(figureSegments(report, "share")).toEqual(["c1", "c2", "c3", "i1", "i2", "i3", "i4"]);
    expect(figureSegments(report, "turns")).toEqual(["i2", "i3", "i4"]);
    expect(figureSegments(report, "prompt-invitation")).toEqual(["i1", "i2"]);
    expect(figureSegments(report, "prompt-directive")).toEqual([]);
    expect(figureSegments(report, "prompt-unknown_kind")).toEqual([]);
    expect(figureSegments(report, "invitations")).toEqual(["i1", "i2"]);
    expect(figureSegments(report, "longest")).toEqual(["c1", "c2"]);
    expect(figureSegments({ ...report, longest_child_narrative: null }, "longest")).toEqual([]);
  });
  it("lists a segment once even if the report repeats it", () => {
    const r = { ...report, invitation_share: { ...report.invitation_share, segment_ids: ["i1", "i1", "i2"] } };
    expect(figureSegments(r, "invitations")).toEqual(["i1", "i2"]);
  });
});

describe("promptTotal and hasFreeNarrative", () => {
  it("adds the counted prompts", () => {
    expect(promptTotal(report)).toBe(3);
  });
  it("knows whether the free narrative was marked", () => {
    expect(hasFreeNarrative([{ phase: "rapport" }, { phase: "free_narrative" }])).toBe(true);
    expect(hasFreeNarrative([{ phase: "rapport" }])).toBe(false);
  });
});
