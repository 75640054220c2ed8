// Times in the review screen: shown as hh:mm:ss (position, time stamps) or
// hh:mm:ss.mmm (segment bounds), typed in any of the forms a reviewer uses.

const two = (n: number) => String(n).padStart(2, "0");

/** `01:02:03`: always with hours, so the position never changes width. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/** `01:02:03.450`: a segment bound, to the millisecond the vault keeps. */
export function formatPrecise(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  return `${formatClock(whole)}.${String(whole % 1000).padStart(3, "0")}`;
}

/**
 * A typed time in milliseconds, or null if it is not one. Accepts
 * `hh:mm:ss`, `mm:ss` and `ss`, each with an optional fraction of up to
 * three digits after `.` or `,` (Spanish keyboards type a comma). A leading
 * unit may exceed its usual range (`75:00` is 75 minutes); the units after
 * it may not (`1:75` is a typing error, not 2:15).
 */
export function parseTime(text: string): number | null {
  const m = text.trim().match(/^(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?(?:[.,](\d{1,3}))?$/);
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  for (let i = 1; i < parts.length; i++) if (parts[i]! >= 60) return null;
  let seconds = 0;
  for (const p of parts) seconds = seconds * 60 + p;
  const fraction = m[4] ? Number(m[4].padEnd(3, "0")) : 0;
  const ms = seconds * 1000 + fraction;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** The `[hh:mm:ss]` time stamp inserted into a segment's text (Ctrl+J). */
export function timeStamp(ms: number): string {
  return `[${formatClock(ms)}]`;
}
