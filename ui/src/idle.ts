// Auto-lock after inactivity: the setting (no personal data, kept in local
// storage) and a clock-driven watcher that tests can drive.

import type { KeyValueStore } from "./i18n";

export const IDLE_STORAGE_KEY = "relato.idleMinutes";
export const IDLE_CHOICES = [5, 10, 15, 30, 60] as const;
export const DEFAULT_IDLE_MINUTES = 10;

export function loadIdleMinutes(store: KeyValueStore | undefined): number {
  try {
    const n = Number(store?.getItem(IDLE_STORAGE_KEY));
    return (IDLE_CHOICES as readonly number[]).includes(n) ? n : DEFAULT_IDLE_MINUTES;
  } catch {
    return DEFAULT_IDLE_MINUTES;
  }
}

export function saveIdleMinutes(store: KeyValueStore | undefined, minutes: number): void {
  try {
    store?.setItem(IDLE_STORAGE_KEY, String(minutes));
  } catch {
    // Storage unavailable: the choice lasts for this session only.
  }
}

/** Tracks the last activity; `due(now)` says when the idle time has passed. */
export class IdleWatch {
  private last: number;
  constructor(
    private minutes: number,
    now: number,
  ) {
    this.last = now;
  }
  touch(now: number): void {
    this.last = now;
  }
  setMinutes(minutes: number, now: number): void {
    this.minutes = minutes;
    this.last = now;
  }
  due(now: number): boolean {
    return now - this.last >= this.minutes * 60_000;
  }
}

/** How often playback counts as activity (the player reports ~25 times a second). */
export const PLAYBACK_ACTIVITY_MS = 5_000;

/**
 * Listening is activity: a reviewer hearing a long passage without touching
 * the keyboard must not be locked out mid-playback. Fed every player status,
 * `due` says when to touch the idle watch: at once when playback starts,
 * then at most once per `everyMs` while it plays. Paused or ended, it never
 * does, so the usual idle time runs from the last real activity.
 */
export class PlaybackActivity {
  private last: number | undefined;
  constructor(private readonly everyMs = PLAYBACK_ACTIVITY_MS) {}
  due(status: { playing: boolean; ended: boolean }, now: number): boolean {
    if (!status.playing || status.ended) {
      this.last = undefined;
      return false;
    }
    if (this.last !== undefined && now - this.last < this.everyMs) return false;
    this.last = now;
    return true;
  }
}

/** Ctrl+L (also Cmd+L), without other modifiers. */
export function isLockShortcut(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "l";
}
