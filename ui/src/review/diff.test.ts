import { describe, expect, it } from "vitest";
import type { SegmentDoc } from "../api";
import { changedFields, diffTranscripts, diffWords } from "./diff";

const seg = (id: string, start_ms: number, text: string, extra: Partial<SegmentDoc> = {}): SegmentDoc => ({
  id,
  start_ms,
  end_ms: start_ms + 1000,
  speaker: "child",
  label: null,
  overlaps: false,
  text,
  ...extra,
});

describe("diffTranscripts", () => {
  it("finds added, removed and changed segments in time order", () => {
    const before = { segments: [seg("a", 0, "hola"), seg("b", 2000, "adiós"), seg("c", 4000, "igual")] };
    const after = { segments: [seg("a", 0, "hola hola"), seg("c", 4000, "igual"), seg("d", 5000, "nuevo")] };
    const d = diffTranscripts(before, after);
    expect(d.map((c) => [c.kind, c.kind === "removed" ? c.before.id : c.after.id])).toEqual([
      ["changed", "a"],
      ["removed", "b"],
      ["added", "d"],
    ]);
  });
  it("says which fields changed, the label counting as the speaker", () => {
    expect(changedFields(seg("a", 0, "x"), seg("a", 10, "x"))).toEqual(["times"]);
    expect(changedFields(seg("a", 0, "x"), seg("a", 0, "y", { speaker: "other" }))).toEqual(["text", "speaker"]);
    expect(changedFields(seg("a", 0, "x", { label: "Mamá" }), seg("a", 0, "x"))).toEqual(["speaker"]);
    expect(changedFields(seg("a", 0, "x", { label: "" }), seg("a", 0, "x", { label: null }))).toEqual([]);
  });
  it("is empty for the same document and lists a replacement removed-first", () => {
    const doc = { segments: [seg("a", 0, "x")] };
    expect(diffTranscripts(doc, doc)).toEqual([]);
    const d = diffTranscripts(doc, { segments: [seg("z", 0, "x")] });
    expect(d.map((c) => c.kind)).toEqual(["removed", "added"]);
  });
});

describe("diffWords", () => {
  it("marks the words that changed", () => {
    expect(diffWords("me dijo que no", "me dijo que sí")).toEqual([
      { kind: "same", text: "me dijo que " },
      { kind: "removed", text: "no" },
      { kind: "added", text: "sí" },
    ]);
  });
  it("shows a rewritten phrase as one deletion and one insertion", () => {
    expect(diffWords("¿Qué pasó después?", "texto cambiado por completo")).toEqual([
      { kind: "removed", text: "¿Qué pasó después?" },
      { kind: "added", text: "texto cambiado por completo" },
    ]);
  });
  it("handles empty texts", () => {
    expect(diffWords("", "hola")).toEqual([{ kind: "added", text: "hola" }]);
    expect(diffWords("hola", "")).toEqual([{ kind: "removed", text: "hola" }]);
    expect(diffWords("", "")).toEqual([]);
  });
  it("rebuilds both texts from the pieces", () => {
    const a = "  el señor [pausa] tenía  una cámara";
    const b = "el señor tenía una cámara grande [ininteligible]";
    const pieces = diffWords(a, b);
    expect(pieces.filter((p) => p.kind !== "added").map((p) => p.text).join("")).toBe(a);
    expect(pieces.filter((p) => p.kind !== "removed").map((p) => p.text).join("")).toBe(b);
  });
});
