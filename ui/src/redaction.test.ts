import { describe, expect, it } from "vitest";
import { DEFAULT_REPLACEMENT, parseStretch, readRedaction } from "./redaction";

const form = (over: Partial<Parameters<typeof readRedaction>[0]> = {}) =>
  readRedaction({ phrases: "", silences: "", replacement: "", reason: "domicilio", sessions: 1, ...over });

describe("stretches of audio", () => {
  it("read as start and end in any of the ways a reviewer types times", () => {
    expect(parseStretch("00:01:02 - 00:01:05")).toEqual({ start_ms: 62_000, end_ms: 65_000 });
    expect(parseStretch("1:02–1:05,5")).toEqual({ start_ms: 62_000, end_ms: 65_500 });
    expect(parseStretch("62 a 65")).toEqual({ start_ms: 62_000, end_ms: 65_000 });
    expect(parseStretch("1:02")).toBeNull();
    expect(parseStretch("uno - dos")).toBeNull();
  });
});

describe("the redaction fields", () => {
  it("ask nothing when nothing is typed", () => {
    expect(form({ reason: "" })).toEqual({ request: null, problems: {} });
  });

  it("give one phrase per line, the default replacement, and the reason for each", () => {
    const { request, problems } = form({ phrases: "Calle Hidalgo\n\n  José Pérez  \n", silences: "1:00 - 1:02.5" });
    expect(problems).toEqual({});
    expect(request).toEqual({
      phrases: [
        { find: "Calle Hidalgo", replacement: DEFAULT_REPLACEMENT, reason: "domicilio" },
        { find: "José Pérez", replacement: DEFAULT_REPLACEMENT, reason: "domicilio" },
      ],
      silences: [{ start_ms: 60_000, end_ms: 62_500, reason: "domicilio" }],
    });
    expect(form({ phrases: "Ana", replacement: "[NOMBRE]" }).request?.phrases[0]?.replacement).toBe("[NOMBRE]");
  });

  it("name the line that is not a stretch of time, or runs backwards", () => {
    expect(form({ silences: "1:00 - 1:02\nmás tarde" }).problems).toEqual({ redact_silences: { key: "redact.bad_stretch", args: { line: 2 } } });
    expect(form({ silences: "1:05 - 1:02" }).problems).toEqual({ redact_silences: { key: "redact.reversed_stretch", args: { line: 1 } } });
  });

  it("need a reason, and one session for times", () => {
    expect(form({ phrases: "Ana", reason: " " }).problems).toEqual({ redact_reason: { key: "form.required" } });
    expect(form({ silences: "1:00 - 1:02", sessions: 2 }).problems).toEqual({ redact_silences: { key: "redact.one_session_for_audio" } });
    expect(form({ phrases: "Ana", sessions: 2 }).problems).toEqual({});
  });
});
