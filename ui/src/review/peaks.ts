// The waveform's numbers, without canvas: decoding the stored peaks,
// reduced levels so a 2-hour recording (720,000 min/max pairs) draws in
// about one pass over the pixels at any zoom, the view's time↔pixel
// mapping, and the annotation-density buckets.

import type { PeaksView } from "../api";

/** Min/max pairs at one resolution: data[2i] = min, data[2i+1] = max, -127..127. */
export interface PeakLevel {
  /** Milliseconds one pair covers. */
  msPerPair: number;
  data: Int8Array;
}

export interface Peaks {
  /** Level 0 is the stored resolution; each next level halves it. */
  levels: PeakLevel[];
  /** Length of the audio the peaks cover. */
  durationMs: number;
}

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A level half as fine: each pair the min of two mins and the max of two maxes. */
export function halve(level: PeakLevel): PeakLevel {
  const pairs = level.data.length >> 1;
  const n = (pairs + 1) >> 1;
  const out = new Int8Array(n * 2);
  const d = level.data;
  for (let i = 0; i < n; i++) {
    const a = 4 * i;
    const hasB = 2 * i + 1 < pairs;
    out[2 * i] = hasB ? Math.min(d[a]!, d[a + 2]!) : d[a]!;
    out[2 * i + 1] = hasB ? Math.max(d[a + 1]!, d[a + 3]!) : d[a + 1]!;
  }
  return { msPerPair: level.msPerPair * 2, data: out };
}

/** Stop halving below this many pairs: a whole-recording view is never narrower. */
const COARSEST_PAIRS = 512;

/** All levels from the stored peaks: built once, about twice the stored size in total. */
export function buildPeaks(view: PeaksView): Peaks {
  const bytes = decodeBase64(view.data_base64);
  const data = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length - (bytes.length % 2));
  const msPerPair = (view.frames_per_peak / view.sample_rate) * 1000;
  const levels: PeakLevel[] = [{ msPerPair, data }];
  while (levels[levels.length - 1]!.data.length / 2 > COARSEST_PAIRS) levels.push(halve(levels[levels.length - 1]!));
  return { levels, durationMs: (data.length / 2) * msPerPair };
}

/** The coarsest level still at least as fine as one pixel. */
export function levelFor(peaks: Peaks, msPerPx: number): PeakLevel {
  let chosen = peaks.levels[0]!;
  for (const l of peaks.levels) if (l.msPerPair <= msPerPx) chosen = l;
  return chosen;
}

/**
 * Min and max (as -1..1) for each of `width` pixel columns starting at
 * `startMs`; columns past the end are NaN. Each column reads the pairs of
 * its span at the chosen level (one or two when zoomed out), or the one
 * pair under it when zoomed in past the stored resolution.
 */
export function columns(peaks: Peaks, startMs: number, msPerPx: number, width: number): Float32Array {
  const out = new Float32Array(width * 2).fill(NaN);
  const level = levelFor(peaks, msPerPx);
  const pairs = level.data.length >> 1;
  const d = level.data;
  for (let x = 0; x < width; x++) {
    const t0 = startMs + x * msPerPx;
    const first = Math.floor(t0 / level.msPerPair);
    const last = Math.max(first, Math.ceil((t0 + msPerPx) / level.msPerPair) - 1);
    if (first >= pairs || last < 0) continue;
    let lo = 127;
    let hi = -127;
    for (let i = Math.max(0, first); i <= Math.min(last, pairs - 1); i++) {
      if (d[2 * i]! < lo) lo = d[2 * i]!;
      if (d[2 * i + 1]! > hi) hi = d[2 * i + 1]!;
    }
    out[2 * x] = lo / 127;
    out[2 * x + 1] = hi / 127;
  }
  return out;
}

/** What part of the recording the canvas shows. */
export interface View {
  startMs: number;
  msPerPx: number;
}

export function xToMs(view: View, x: number): number {
  return view.startMs + x * view.msPerPx;
}

export function msToX(view: View, ms: number): number {
  return (ms - view.startMs) / view.msPerPx;
}

/** Finest zoom: 1 ms a pixel is already far below one syllable. */
export const MIN_MS_PER_PX = 1;

/** The whole recording in `width` pixels. */
export function fitView(durationMs: number, width: number): View {
  return { startMs: 0, msPerPx: Math.max(MIN_MS_PER_PX, durationMs / Math.max(1, width)) };
}

/** Keeps the view inside the recording and between the finest zoom and the whole. */
export function clampView(view: View, durationMs: number, width: number): View {
  const coarsest = fitView(durationMs, width).msPerPx;
  const msPerPx = Math.min(coarsest, Math.max(MIN_MS_PER_PX, view.msPerPx));
  const span = msPerPx * width;
  const startMs = Math.min(Math.max(0, durationMs - span), Math.max(0, view.startMs));
  return { startMs, msPerPx };
}

/** Zoom by `factor` (<1 in, >1 out) keeping the time under pixel `anchorX` in place. */
export function zoomView(view: View, factor: number, anchorX: number, durationMs: number, width: number): View {
  const anchorMs = xToMs(view, anchorX);
  const msPerPx = view.msPerPx * factor;
  return clampView({ startMs: anchorMs - anchorX * msPerPx, msPerPx }, durationMs, width);
}

/**
 * The view that keeps a moving playhead visible: unchanged while it is
 * inside the view's first 90 %, else a page on, with the playhead at 10 %.
 */
export function follow(view: View, playheadMs: number, durationMs: number, width: number): View {
  const x = msToX(view, playheadMs);
  if (x >= 0 && x <= width * 0.9) return view;
  return clampView({ startMs: playheadMs - width * 0.1 * view.msPerPx, msPerPx: view.msPerPx }, durationMs, width);
}

export interface Span {
  start_ms: number;
  end_ms: number;
}

/** How many spans touch each of `buckets` equal slices of the recording (a span counts in every slice it covers). */
export function density(spans: readonly Span[], durationMs: number, buckets: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, buckets));
  if (buckets <= 0 || durationMs <= 0) return out;
  const size = durationMs / buckets;
  const clampIndex = (i: number) => Math.min(buckets - 1, Math.max(0, i));
  for (const s of spans) {
    const first = clampIndex(Math.floor(s.start_ms / size));
    // A span ending exactly on a bucket boundary does not reach into the next one.
    const last = clampIndex(s.end_ms > s.start_ms ? Math.ceil(s.end_ms / size) - 1 : first);
    for (let i = first; i <= Math.max(first, last); i++) out[i]! += 1;
  }
  return out;
}

/** A count as drawing intensity 0..1: square root, so one note in a bucket still shows next to a busy one. */
export function intensity(count: number, max: number): number {
  return count <= 0 || max <= 0 ? 0 : Math.sqrt(count / max);
}

/** The last span (drawn on top) containing `ms`, widened by `slackMs` so short regions can be hit. */
export function spanAt<T extends Span>(spans: readonly T[], ms: number, slackMs: number): T | null {
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i]!;
    if (ms >= s.start_ms - slackMs && ms <= s.end_ms + slackMs) return s;
  }
  return null;
}
