import { describe, expect, it } from "vitest";
import { buildPeaks, clampView, columns, density, fitView, follow, halve, intensity, levelFor, msToX, spanAt, xToMs, zoomView } from "./peaks";

/** PeaksView for the given signed pairs. */
function peaksView(pairs: [number, number][], framesPerPeak = 480, sampleRate = 48_000) {
  const bytes = new Uint8Array(pairs.flat().map((v) => v & 0xff));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return { sample_rate: sampleRate, frames_per_peak: framesPerPeak, data_base64: btoa(bin) };
}

describe("buildPeaks", () => {
  it("decodes signed pairs and their timing", () => {
    const p = buildPeaks(peaksView([[-127, 127], [-10, 20], [0, 0]]));
    expect(Array.from(p.levels[0]!.data)).toEqual([-127, 127, -10, 20, 0, 0]);
    expect(p.levels[0]!.msPerPair).toBe(10);
    expect(p.durationMs).toBe(30);
  });
  it("halves into min of mins and max of maxes, keeping an odd last pair", () => {
    const h = halve({ msPerPair: 10, data: new Int8Array([-5, 5, -20, 1, 3, 9]) });
    expect(Array.from(h.data)).toEqual([-20, 5, 3, 9]);
    expect(h.msPerPair).toBe(20);
  });
  it("reduces a 2-hour recording to a few hundred pairs at the coarsest level", () => {
    const pairs = 720_000;
    const bytes = new Uint8Array(pairs * 2);
    let bin = "";
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    const p = buildPeaks({ sample_rate: 48_000, frames_per_peak: 480, data_base64: btoa(bin) });
    expect(p.durationMs).toBe(7_200_000);
    const coarsest = p.levels[p.levels.length - 1]!;
    expect(coarsest.data.length / 2).toBeLessThanOrEqual(512);
    const total = p.levels.reduce((n, l) => n + l.data.length, 0);
    expect(total).toBeLessThan(2 * pairs * 2 + 16);
  });
});

describe("columns", () => {
  const p = buildPeaks(peaksView(Array.from({ length: 4096 }, (_, i) => [-(i % 100), i % 100] as [number, number])));
  it("chooses the coarsest level not coarser than a pixel", () => {
    expect(levelFor(p, 5).msPerPair).toBe(10);
    expect(levelFor(p, 45).msPerPair).toBe(40);
  });
  it("takes the extremes of every pair a column covers", () => {
    // 30 ms a pixel over 10 ms pairs: column 0 covers pairs 0..2 (at level 20 ms: pairs 0..1 = peaks 0..3).
    const c = columns(p, 0, 30, 2);
    expect(c[1]! * 127).toBeGreaterThanOrEqual(2);
    expect(c[0]!).toBeLessThan(0);
  });
  it("is NaN past the end and at full resolution shows the pair under the pixel", () => {
    const c = columns(p, 40_950, 5, 4);
    expect(Math.round(c[1]! * 127)).toBe(4095 % 100);
    expect(Number.isNaN(c[4]!)).toBe(true);
    expect(Number.isNaN(c[7]!)).toBe(true);
  });
  it("draws an odd-length stretch with every loud pair found at the coarse level", () => {
    const data: [number, number][] = Array.from({ length: 4000 }, () => [0, 0]);
    data[2345] = [-100, 120];
    const q = buildPeaks(peaksView(data));
    const whole = columns(q, 0, q.durationMs / 100, 100);
    let max = 0;
    for (let x = 0; x < 100; x++) max = Math.max(max, whole[2 * x + 1]!);
    expect(Math.round(max * 127)).toBe(120);
  });
});

describe("view", () => {
  it("maps pixels to times and back", () => {
    const v = { startMs: 1000, msPerPx: 20 };
    expect(xToMs(v, 50)).toBe(2000);
    expect(msToX(v, 2000)).toBe(50);
  });
  it("fits the whole recording and never zooms out past it", () => {
    expect(fitView(60_000, 600)).toEqual({ startMs: 0, msPerPx: 100 });
    expect(clampView({ startMs: -50, msPerPx: 500 }, 60_000, 600)).toEqual({ startMs: 0, msPerPx: 100 });
  });
  it("keeps the view inside the recording", () => {
    expect(clampView({ startMs: 59_000, msPerPx: 10 }, 60_000, 600)).toEqual({ startMs: 54_000, msPerPx: 10 });
  });
  it("zooms around the anchor", () => {
    const v = zoomView({ startMs: 0, msPerPx: 100 }, 0.5, 300, 60_000, 600);
    expect(v.msPerPx).toBe(50);
    expect(xToMs(v, 300)).toBe(30_000);
  });
  it("follows the playhead a page at a time", () => {
    const v = { startMs: 0, msPerPx: 10 };
    expect(follow(v, 5000, 60_000, 600)).toBe(v);
    const next = follow(v, 5500, 60_000, 600);
    expect(msToX(next, 5500)).toBeCloseTo(60);
    expect(msToX(follow(v, 59_990, 60_000, 600), 59_990)).toBeLessThanOrEqual(600);
  });
});

describe("density", () => {
  it("counts a span in every bucket it covers", () => {
    const d = density([{ start_ms: 0, end_ms: 2500 }, { start_ms: 9500, end_ms: 9600 }], 10_000, 10);
    expect(Array.from(d)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 1]);
  });
  it("does not spill over a bucket boundary, counts points, and clamps spans past the end", () => {
    const d = density([{ start_ms: 1000, end_ms: 2000 }, { start_ms: 5000, end_ms: 5000 }, { start_ms: 9000, end_ms: 20_000 }], 10_000, 10);
    expect(Array.from(d)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it("is empty without a duration", () => {
    expect(Array.from(density([{ start_ms: 0, end_ms: 1 }], 0, 4))).toEqual([0, 0, 0, 0]);
  });
  it("shows a single annotation next to a busy bucket", () => {
    expect(intensity(0, 10)).toBe(0);
    expect(intensity(1, 16)).toBe(0.25);
    expect(intensity(16, 16)).toBe(1);
  });
});

describe("spanAt", () => {
  const spans = [
    { id: "a", start_ms: 0, end_ms: 5000 },
    { id: "b", start_ms: 1000, end_ms: 1000 },
  ];
  it("prefers the span drawn last and widens points by the slack", () => {
    expect(spanAt(spans, 1010, 20)?.id).toBe("b");
    expect(spanAt(spans, 1100, 20)?.id).toBe("a");
    expect(spanAt(spans, 6000, 20)).toBeNull();
  });
});
