import { describe, expect, it } from "vitest";
import type { KeyValueStore } from "../i18n";
import { DEFAULT_SETTINGS, SETTINGS_KEY, formatSpeed, interpolate, loadSettings, saveSettings, smoothPosition, stepSpeed } from "./transport-model";

function store(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe("stepSpeed", () => {
  it("moves in tenths without drifting", () => {
    let s = 1.0;
    for (let i = 0; i < 3; i++) s = stepSpeed(s, 1);
    expect(s).toBe(1.3);
    expect(stepSpeed(0.7, -1)).toBe(0.6);
  });
  it("stays within 0.5–2.0", () => {
    expect(stepSpeed(0.5, -1)).toBe(0.5);
    expect(stepSpeed(2.0, 1)).toBe(2.0);
    expect(stepSpeed(1.95, 1)).toBe(2.0);
  });
  it("is shown with one decimal", () => {
    expect(formatSpeed(1)).toBe("1.0×");
  });
});

describe("settings", () => {
  it("defaults to a 5 s step and a 1.5 s rewind", () => {
    expect(loadSettings(store())).toEqual({ stepMs: 5000, rewindMs: 1500 });
    expect(loadSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });
  it("round-trips and clamps", () => {
    const s = store();
    saveSettings(s, { stepMs: 10_000, rewindMs: 5_000 });
    expect(loadSettings(s)).toEqual({ stepMs: 10_000, rewindMs: 2_000 });
  });
  it("ignores damaged values", () => {
    expect(loadSettings(store({ [SETTINGS_KEY]: "{not json" }))).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(store({ [SETTINGS_KEY]: '{"stepMs":"x","rewindMs":0}' }))).toEqual({ stepMs: 5000, rewindMs: 0 });
  });
});

describe("interpolate", () => {
  const base = { positionMs: 10_000, durationMs: 11_000, playing: true, speed: 1.5, at: 1000 };
  it("moves on at the playing speed", () => {
    expect(interpolate(base, 1400)).toBe(10_600);
  });
  it("stops at the end and stands still when paused", () => {
    expect(interpolate(base, 5000)).toBe(11_000);
    expect(interpolate({ ...base, playing: false }, 5000)).toBe(10_000);
  });
  it("never runs backwards for a clock read before the event", () => {
    expect(interpolate(base, 900)).toBe(10_000);
  });
});

describe("smoothPosition", () => {
  it("holds small backward steps while playing", () => {
    expect(smoothPosition(5000, 4950, true)).toBe(5000);
  });
  it("shows seeks, forward motion and anything while paused", () => {
    expect(smoothPosition(5000, 3000, true)).toBe(3000);
    expect(smoothPosition(5000, 5020, true)).toBe(5020);
    expect(smoothPosition(5000, 4950, false)).toBe(4950);
    expect(smoothPosition(undefined, 10, true)).toBe(10);
  });
});
