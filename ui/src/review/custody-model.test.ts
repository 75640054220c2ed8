import { describe, expect, it } from "vitest";
import { UI_CATALOGS } from "../i18n";
import { detailFacts, eventKey, eventsPresent, formatBytes, formatRanges, heardMs, KNOWN_EVENTS, parseDetails, playbackRanges } from "./custody-model";
import { formatClock } from "./time";

describe("parseDetails", () => {
  it("reads a JSON object and nothing else", () => {
    expect(parseDetails('{"rev":3}')).toEqual({ rev: 3 });
    expect(parseDetails("[1,2]")).toEqual({});
    expect(parseDetails("null")).toEqual({});
    expect(parseDetails("not json")).toEqual({});
  });
});

describe("playback ranges", () => {
  it("keeps well-formed [start, end] pairs only", () => {
    const d = parseDetails('{"recording_id":"r1","ranges_ms":[[0,61000],[65000,64000],[1],["a",2],[3661000,3725500]]}');
    expect(playbackRanges(d)).toEqual([
      [0, 61_000],
      [3_661_000, 3_725_500],
    ]);
    expect(playbackRanges({})).toEqual([]);
    expect(playbackRanges({ ranges_ms: "0-1" })).toEqual([]);
  });
  it("formats them hh:mm:ss and adds them up", () => {
    const r: [number, number][] = [
      [0, 61_000],
      [3_661_000, 3_725_500],
    ];
    expect(formatRanges(r, formatClock)).toBe("00:00:00–00:01:01, 01:01:01–01:02:05");
    expect(heardMs(r)).toBe(125_500);
  });
});

describe("detailFacts", () => {
  it("picks the revision, device, purpose, size and changed fields", () => {
    const facts = detailFacts({ rev: 2, device: "USB Mic", purpose: "fiscalía", bytes: 2_048, fields: ["place", 3], session_id: "s1" });
    expect(facts.map((f) => [f.key, f.args])).toEqual([
      ["custody.fact.rev", { rev: 2 }],
      ["custody.fact.device", { device: "USB Mic" }],
      ["custody.fact.purpose", { purpose: "fiscalía" }],
      ["custody.fact.bytes", { size: "2.0 KiB" }],
      ["custody.fact.fields", { fields: "place" }],
    ]);
    expect(detailFacts({ device: "  ", rev: "2" })).toEqual([]);
  });
  it("names both sides of a hand-over, its institution, medium and seal", () => {
    const facts = detailFacts({ from: "Lic. Ruiz", institution: "Fiscalía", medium: "USB", seal: "S-0042", file_sha256: "ab", imported: "received_1" });
    expect(facts.map((f) => [f.key, f.args])).toEqual([
      ["custody.fact.from", { name: "Lic. Ruiz" }],
      ["custody.fact.institution", { institution: "Fiscalía" }],
      ["custody.fact.medium", { medium: "USB" }],
      ["custody.fact.seal", { seal: "S-0042" }],
    ]);
    expect(detailFacts({ to: "Perito", recipient: " " }).map((f) => f.key)).toEqual(["custody.fact.to"]);
    expect(detailFacts({ recipient: "Fiscalía" }).map((f) => f.args)).toEqual([{ name: "Fiscalía" }]);
  });
});

describe("formatBytes", () => {
  it("uses binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MiB");
  });
});

describe("event names", () => {
  it("are translated when known and raw otherwise", () => {
    expect(eventKey("PLAYBACK")).toBe("custody.event.PLAYBACK");
    expect(eventKey("SOMETHING_NEW")).toBeNull();
  });
  it("every known event has a name in every locale", () => {
    for (const catalog of Object.values(UI_CATALOGS)) {
      for (const e of KNOWN_EVENTS) expect(catalog[`custody.event.${e}`], e).toBeTruthy();
    }
  });
  it("lists the events present once, in order", () => {
    expect(eventsPresent([{ event: "A" }, { event: "B" }, { event: "A" }])).toEqual(["A", "B"]);
  });
});
