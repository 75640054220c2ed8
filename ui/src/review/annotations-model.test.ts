import { describe, expect, it } from "vitest";
import type { AnnotationView, CodeView, TranscriptDoc } from "../api";
import {
  buildAnnotationInput,
  commentsOn,
  filterAnnotations,
  normalSpan,
  promptSegmentFor,
  sortAnnotations,
  withSaved,
  without,
  type AnnotationDraft,
} from "./annotations-model";

const vocab: CodeView[] = [
  { tier: "indicators", code: "places", label_es: "Lugares", label_en: "Places", definition_es: "Describe un lugar.", definition_en: "Describes a place.", added: false },
  { tier: "indicators", code: "emotions", label_es: "Emociones", label_en: "Emotions", definition_es: "Nombra lo que sintió.", definition_en: "Names a feeling.", added: false },
  { tier: "prompt-type", code: "invitation", label_es: "Invitación", label_en: "Invitation", definition_es: "Abierta.", definition_en: "Open.", added: false },
  { tier: "prompt-type", code: "directive", label_es: "Directiva", label_en: "Directive", definition_es: "Qué/quién.", definition_en: "Wh.", added: false },
  { tier: "notes", code: "note", label_es: "Nota", label_en: "Note", definition_es: "Texto libre.", definition_en: "Free text.", added: false },
];

const doc: TranscriptDoc = {
  segments: [
    { id: "i1", start_ms: 0, end_ms: 2_000, speaker: "interviewer", overlaps: false, text: "Cuéntame todo lo que pasó." },
    { id: "c1", start_ms: 2_000, end_ms: 9_000, speaker: "child", overlaps: false, text: "Estábamos en la cocina." },
    { id: "i2", start_ms: 9_000, end_ms: 11_000, speaker: "interviewer", overlaps: false, text: "¿Quién estaba?" },
    { id: "i3", start_ms: 10_500, end_ms: 12_000, speaker: "interviewer", overlaps: true, text: "¿Y después?" },
  ],
};

function ann(over: Partial<AnnotationView> & { id: string }): AnnotationView {
  return {
    rev: 1,
    saved_at: "2025-01-01T00:00:00Z",
    author: "Ana",
    sha256: "ab".repeat(32),
    deleted: false,
    tier: "indicators",
    start_ms: 0,
    end_ms: 0,
    code: "places",
    segment_id: null,
    note: null,
    target_id: null,
    ...over,
  };
}

function draft(over: Partial<AnnotationDraft>): AnnotationDraft {
  return { tier: "indicators", code: "places", note: "", span: null, playheadMs: 4_321, targetId: null, ...over };
}

describe("promptSegmentFor", () => {
  it("takes the selected interviewer segment", () => {
    const r = promptSegmentFor(doc, { start_ms: 0, end_ms: 5, segment_id: "i2" }, 0);
    expect(r.ok && r.segment.id).toBe("i2");
  });
  it("refuses a selected segment the child speaks, or one that is gone", () => {
    const child = promptSegmentFor(doc, { start_ms: 2_000, end_ms: 9_000, segment_id: "c1" }, 0);
    expect(!child.ok && child.problem.key).toBe("annotations.problem.not_interviewer");
    const gone = promptSegmentFor(doc, { start_ms: 0, end_ms: 1, segment_id: "x9" }, 0);
    expect(!gone.ok && gone.problem.key).toBe("annotations.problem.segment_missing");
  });
  it("picks the interviewer segment a region overlaps most", () => {
    // 1.5 s of i1, 7 s of the child, nothing else: i1.
    expect(promptSegmentFor(doc, { start_ms: 500, end_ms: 9_000, segment_id: null }, 0)).toMatchObject({ ok: true, segment: { id: "i1" } });
    // 1.4 s of i2 against 0.9 s of i3.
    expect(promptSegmentFor(doc, { start_ms: 9_600, end_ms: 11_400, segment_id: null }, 0)).toMatchObject({ ok: true, segment: { id: "i2" } });
  });
  it("refuses a region inside the child's speech", () => {
    const r = promptSegmentFor(doc, { start_ms: 3_000, end_ms: 8_000, segment_id: null }, 0);
    expect(!r.ok && r.problem.key).toBe("annotations.problem.no_interviewer_segment");
  });
  it("uses the playhead without a selection, the later of two overlapping turns", () => {
    expect(promptSegmentFor(doc, null, 1_000)).toMatchObject({ ok: true, segment: { id: "i1" } });
    expect(promptSegmentFor(doc, null, 10_800)).toMatchObject({ ok: true, segment: { id: "i3" } });
    expect(promptSegmentFor(doc, null, 5_000).ok).toBe(false);
  });
});

describe("buildAnnotationInput", () => {
  const build = (d: Partial<AnnotationDraft>, list: AnnotationView[] = [], editing: string | null = null) =>
    buildAnnotationInput(draft(d), doc, vocab, list, editing);

  it("codes an indicator over the selection, in order and whole milliseconds", () => {
    const r = build({ span: { start_ms: 5_000.4, end_ms: 3_000, segment_id: "c1" }, note: "  en la cocina  " });
    expect(r).toEqual({
      ok: true,
      input: { tier: "indicators", start_ms: 3_000, end_ms: 5_000, code: "places", segment_id: "c1", note: "en la cocina", target_id: null },
    });
  });
  it("makes a point at the playhead without a selection; a blank note is no note", () => {
    const r = build({ note: "   " });
    expect(r).toMatchObject({ ok: true, input: { start_ms: 4_321, end_ms: 4_321, segment_id: null, note: null } });
  });
  it("requires a known code of the tier", () => {
    expect(build({ code: "" })).toMatchObject({ ok: false, problem: { key: "annotations.problem.code_required", field: "code" } });
    expect(build({ code: "invitation" })).toMatchObject({ ok: false, problem: { key: "annotations.problem.code_unknown" } });
    expect(build({ tier: "prompt-type", code: "places", span: { start_ms: 0, end_ms: 0, segment_id: "i1" } })).toMatchObject({
      ok: false,
      problem: { key: "annotations.problem.code_unknown" },
    });
  });
  it("ties a prompt type to its segment's span, whatever the selection's bounds", () => {
    const r = build({ tier: "prompt-type", code: "directive", span: { start_ms: 9_200, end_ms: 9_300, segment_id: null }, targetId: "a1" });
    expect(r).toEqual({
      ok: true,
      input: { tier: "prompt-type", start_ms: 9_000, end_ms: 11_000, code: "directive", segment_id: "i2", note: null, target_id: null },
    });
  });
  it("refuses a prompt type with no interviewer segment, naming the span", () => {
    const r = build({ tier: "prompt-type", code: "directive", playheadMs: 5_000 });
    expect(r).toMatchObject({ ok: false, problem: { key: "annotations.problem.no_interviewer_segment", field: "span" } });
  });
  it("needs a note's words and takes the notes tier's code, whatever the select held", () => {
    expect(build({ tier: "notes", code: "places", note: " " })).toMatchObject({ ok: false, problem: { field: "note" } });
    expect(build({ tier: "notes", code: "places", note: "Revisar" })).toMatchObject({ ok: true, input: { tier: "notes", code: "note", note: "Revisar" } });
  });
  it("lets a note comment on an existing other annotation only", () => {
    const list = [ann({ id: "a1" }), ann({ id: "n1", tier: "notes", code: "note", note: "x" })];
    expect(build({ tier: "notes", note: "ok", targetId: "a1" }, list)).toMatchObject({ ok: true, input: { target_id: "a1" } });
    expect(build({ tier: "notes", note: "ok", targetId: "gone" }, list)).toMatchObject({ ok: false, problem: { key: "annotations.problem.target_missing" } });
    expect(build({ tier: "notes", note: "ok", targetId: "n1" }, list, "n1")).toMatchObject({ ok: false, problem: { key: "annotations.problem.target_self" } });
  });
  it("drops a target on tiers other than notes", () => {
    expect(build({ targetId: "a1" }, [ann({ id: "a1" })])).toMatchObject({ ok: true, input: { target_id: null } });
  });
});

describe("normalSpan", () => {
  it("orders, rounds and clamps at zero", () => {
    expect(normalSpan(10.6, -3)).toEqual({ start_ms: 0, end_ms: 11 });
  });
});

describe("the list", () => {
  const list = [
    ann({ id: "b", start_ms: 5_000, end_ms: 6_000, code: "emotions", note: "Dijo que tenía miedo" }),
    ann({ id: "a", start_ms: 5_000, end_ms: 6_000, tier: "prompt-type", code: "invitation", segment_id: "i1" }),
    ann({ id: "c", start_ms: 1_000, end_ms: 9_000, code: "places", note: "la cocina" }),
    ann({ id: "d", start_ms: 5_000, end_ms: 5_500, tier: "notes", code: "note", note: "Revisar con el equipo", target_id: "c" }),
  ];
  const label = (a: AnnotationView) => vocab.find((c) => c.tier === a.tier && c.code === a.code)?.label_es ?? a.code;

  it("sorts by start, then shorter first, then tier order", () => {
    expect(sortAnnotations(list).map((a) => a.id)).toEqual(["c", "d", "b", "a"]);
  });
  it("filters by tier and by words of label, code or note, ignoring accents and case", () => {
    expect(filterAnnotations(list, { tier: "indicators", text: "" }, label).map((a) => a.id)).toEqual(["c", "b"]);
    expect(filterAnnotations(list, { tier: "all", text: "INVITACION" }, label).map((a) => a.id)).toEqual(["a"]);
    expect(filterAnnotations(list, { tier: "all", text: "miedo dijo" }, label).map((a) => a.id)).toEqual(["b"]);
    expect(filterAnnotations(list, { tier: "notes", text: "cocina" }, label)).toEqual([]);
  });
  it("replaces a revised annotation in place, adds a new one, removes a deleted one", () => {
    const revised = ann({ id: "b", rev: 2, code: "places" });
    expect(withSaved(list, revised).map((a) => [a.id, a.rev])).toEqual([["b", 2], ["a", 1], ["c", 1], ["d", 1]]);
    expect(withSaved(list, ann({ id: "e" })).map((a) => a.id)).toEqual(["b", "a", "c", "d", "e"]);
    expect(without(list, "a").map((a) => a.id)).toEqual(["b", "c", "d"]);
  });
  it("finds the notes about an annotation", () => {
    expect(commentsOn(list, "c").map((a) => a.id)).toEqual(["d"]);
    expect(commentsOn(list, "b")).toEqual([]);
  });
});
