// Playback logic without DOM or IPC: the reviewer's settings, speed steps,
// and where the playhead is between two status events.

import type { KeyValueStore } from "../i18n";

export const SPEED_MIN = 0.5;
export const SPEED_MAX = 2.0;
export const SPEED_STEP = 0.1;

/** One speed step up or down, on the 0.1 grid (float sums drift off it), within 0.5–2.0. */
export function stepSpeed(speed: number, direction: -1 | 1): number {
  const next = Math.round((speed + direction * SPEED_STEP) * 10) / 10;
  return Math.min(SPEED_MAX, Math.max(SPEED_MIN, next));
}

export function formatSpeed(speed: number): string {
  return `${speed.toFixed(1)}×`;
}

export interface TransportSettings {
  /** F1/F2 skip, in milliseconds. */
  stepMs: number;
  /** Rewound on resume, in milliseconds (0–2000). */
  rewindMs: number;
}

export const DEFAULT_SETTINGS: TransportSettings = { stepMs: 5_000, rewindMs: 1_500 };
export const STEP_CHOICES_MS = [1_000, 2_000, 3_000, 5_000, 10_000, 15_000, 30_000];
export const REWIND_CHOICES_MS = [0, 250, 500, 750, 1_000, 1_250, 1_500, 1_750, 2_000];
export const SETTINGS_KEY = "relato.review.transport";

function clampSettings(v: Partial<Record<keyof TransportSettings, unknown>>): TransportSettings {
  const num = (x: unknown, fallback: number, lo: number, hi: number) =>
    typeof x === "number" && Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.round(x))) : fallback;
  return {
    stepMs: num(v.stepMs, DEFAULT_SETTINGS.stepMs, 500, 60_000),
    rewindMs: num(v.rewindMs, DEFAULT_SETTINGS.rewindMs, 0, 2_000),
  };
}

/** The stored settings (not sensitive: two numbers), defaults for anything missing or odd. */
export function loadSettings(store: KeyValueStore | undefined): TransportSettings {
  try {
    const raw = store?.getItem(SETTINGS_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return clampSettings(typeof parsed === "object" && parsed !== null ? parsed : {});
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(store: KeyValueStore | undefined, settings: TransportSettings): void {
  try {
    store?.setItem(SETTINGS_KEY, JSON.stringify(clampSettings(settings)));
  } catch {
    // Storage unavailable: the settings last for this screen only.
  }
}

export interface PlayheadBase {
  positionMs: number;
  durationMs: number;
  playing: boolean;
  speed: number;
  /** performance.now() when the status arrived. */
  at: number;
}

/** Where playback is `now`: the last reported position moved on at the playing speed. */
export function interpolate(base: PlayheadBase, now: number): number {
  if (!base.playing) return base.positionMs;
  const moved = base.positionMs + Math.max(0, now - base.at) * base.speed;
  return Math.min(base.durationMs, moved);
}

/** A report this much behind what is shown is a real jump (a seek), not event jitter. */
export const JITTER_MS = 250;

/**
 * The position to draw. Events arrive at uneven intervals, so a fresh
 * report is often a little behind the interpolated position; drawing it
 * would make the playhead twitch backwards. While playing, small backward
 * steps are held; larger ones (seeks, rewinds) are shown at once.
 */
export function smoothPosition(shown: number | undefined, next: number, playing: boolean): number {
  if (!playing || shown === undefined) return next;
  return next < shown && shown - next < JITTER_MS ? shown : next;
}
