import { describe, expect, it } from "vitest";
import { LatencyStats, chooseInput, formatElapsed, groupHash, isPhaseId, isVerdict, levelFraction, listeningAction, troubleOf } from "./capture";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  ...mods,
});

describe("listening-mode keys", () => {
  it("M is a marker, 1–4 are phases", () => {
    expect(listeningAction(key("m"))).toEqual({ kind: "marker" });
    expect(listeningAction(key("M"))).toEqual({ kind: "marker" });
    expect(listeningAction(key("1"))).toEqual({ kind: "phase", number: 1 });
    expect(listeningAction(key("4"))).toEqual({ kind: "phase", number: 4 });
  });
  it("everything else, modified keys and auto-repeat do nothing", () => {
    for (const k of ["5", "0", "n", " ", "Enter", "Escape", "F1"]) expect(listeningAction(key(k))).toEqual({ kind: "none" });
    expect(listeningAction(key("m", { ctrlKey: true }))).toEqual({ kind: "none" });
    expect(listeningAction(key("2", { altKey: true }))).toEqual({ kind: "none" });
    expect(listeningAction(key("m", { metaKey: true }))).toEqual({ kind: "none" });
    expect(listeningAction(key("m", { repeat: true }))).toEqual({ kind: "none" });
  });
});

describe("the timer", () => {
  it("shows minutes and seconds, and hours once past one", () => {
    expect(formatElapsed(0)).toBe("00:00");
    expect(formatElapsed(9_999)).toBe("00:09");
    expect(formatElapsed(61_000)).toBe("01:01");
    expect(formatElapsed(3_599_999)).toBe("59:59");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("00:00");
  });
});

describe("the level bar", () => {
  it("maps −60…0 dBFS onto 0…1 and clamps", () => {
    expect(levelFraction(-96)).toBe(0);
    expect(levelFraction(-60)).toBe(0);
    expect(levelFraction(-30)).toBeCloseTo(0.5);
    expect(levelFraction(0)).toBe(1);
    expect(levelFraction(3)).toBe(1);
    expect(levelFraction(Number.NaN)).toBe(0);
  });
});

describe("identifiers", () => {
  it("knows the phases and verdicts the backend sends", () => {
    expect(isPhaseId("free_narrative")).toBe(true);
    expect(isPhaseId("narrative")).toBe(false);
    expect(isPhaseId(null)).toBe(false);
    expect(isVerdict("clipping")).toBe(true);
    expect(isVerdict("loud")).toBe(false);
  });
});

describe("hash display", () => {
  it("groups a SHA-256 in eights without changing it", () => {
    const h = "a".repeat(8) + "b".repeat(8) + "c".repeat(48);
    const grouped = groupHash(h);
    expect(grouped.split(" ")).toHaveLength(8);
    expect(grouped.replaceAll(" ", "")).toBe(h);
  });
});

describe("latency stats", () => {
  it("reports percentiles of what it was given", () => {
    const s = new LatencyStats();
    expect(Number.isNaN(s.percentile(50))).toBe(true);
    for (let i = 1; i <= 100; i++) s.add(i);
    s.add(-1);
    s.add(Number.NaN);
    expect(s.count).toBe(100);
    expect(s.percentile(50)).toBe(50);
    expect(s.percentile(95)).toBe(95);
    expect(s.percentile(100)).toBe(100);
  });
});

describe("listening-mode banner", () => {
  const s = (writer_failed: boolean, device_lost: boolean, max_duration_near: boolean) => ({ writer_failed, device_lost, max_duration_near });
  it("says the most serious trouble first", () => {
    expect(troubleOf(s(false, false, false))).toBe("");
    expect(troubleOf(s(false, false, true))).toBe("duration");
    expect(troubleOf(s(false, true, true))).toBe("device");
    expect(troubleOf(s(true, true, true))).toBe("disk");
  });
});

describe("choosing the input after listing again", () => {
  const usb = { name: "USB mic", format: "48000 Hz, 1 ch, i16" };
  const builtIn = { name: "default", format: "44100 Hz, 2 ch, f32" };
  const broken = { name: "hw:1", format: null };
  it("keeps the chosen input when it is still there, even if it is not the first", () => {
    expect(chooseInput([builtIn, usb], "USB mic")).toEqual({ name: "USB mic", lost: false });
  });
  it("falls back to the first usable input and says the chosen one is gone", () => {
    expect(chooseInput([broken, builtIn], "USB mic")).toEqual({ name: "default", lost: true });
  });
  it("does not keep an input that can no longer record", () => {
    expect(chooseInput([{ ...usb, format: null }, builtIn], "USB mic")).toEqual({ name: "default", lost: true });
  });
  it("takes the first usable input on the first listing, and none when nothing can record", () => {
    expect(chooseInput([broken, builtIn, usb])).toEqual({ name: "default", lost: false });
    expect(chooseInput([broken], "")).toEqual({ name: undefined, lost: false });
  });
});
