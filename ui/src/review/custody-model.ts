// The custody panel's rules, without DOM: reading a line's details (JSON
// text written by the vault) defensively, and the facts worth showing for
// each kind of event.

import type { MessageKey } from "../i18n";

/** Events the panel names; any other is shown by its raw name. */
export const KNOWN_EVENTS = [
  "CASE_CREATED",
  "CASE_EDITED",
  "SESSION_CREATED",
  "SESSION_EDITED",
  "SESSION_DELETED",
  "CAPTURE_START",
  "CAPTURE_PAUSED",
  "CAPTURE_RESUMED",
  "CAPTURE_END",
  "CAPTURE_RECOVERED",
  "IMPORT_START",
  "IMPORT_END",
  "HASH_RECORDED",
  "AUDIO_EXPORTED",
  "PLAYBACK",
  "TRANSCRIPT_SAVED",
  "ANNOTATION_SAVED",
  "ANNOTATION_DELETED",
  "EXPORT_CREATED",
  "ENTREGA",
  "RECEPCION",
  "INTEGRITY_FAILED",
] as const;

export function eventKey(event: string): MessageKey | null {
  return (KNOWN_EVENTS as readonly string[]).includes(event) ? (`custody.event.${event}` as MessageKey) : null;
}

/** The details object, or an empty one when the text is not a JSON object. */
export function parseDetails(details: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(details);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isMs(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

/** The `ranges_ms` a PLAYBACK line lists: [start, end] pairs; malformed pairs are skipped. */
export function playbackRanges(details: Record<string, unknown>): [number, number][] {
  const raw = details.ranges_ms;
  if (!Array.isArray(raw)) return [];
  const out: [number, number][] = [];
  for (const pair of raw) {
    if (Array.isArray(pair) && pair.length === 2 && isMs(pair[0]) && isMs(pair[1]) && pair[1] >= pair[0]) out.push([pair[0], pair[1]]);
  }
  return out;
}

/** How long the ranges last together (the vault merges them before writing). */
export function heardMs(ranges: readonly [number, number][]): number {
  return ranges.reduce((sum, [a, b]) => sum + (b - a), 0);
}

export function formatRanges(ranges: readonly [number, number][], clock: (ms: number) => string): string {
  return ranges.map(([a, b]) => `${clock(a)}–${clock(b)}`).join(", ");
}

/** One translated fact of a line ("rev 3", "device: …"). */
export interface Fact {
  key: MessageKey;
  args: Record<string, string | number>;
}

/**
 * The facts a line carries beyond its event, actor and time: a revision,
 * the input device, an export's purpose and recipient, a hand-over's other
 * side, institution, medium and seal, a size. (The PLAYBACK ranges and
 * the SHA-256 have their own places in the row.)
 */
export function detailFacts(details: Record<string, unknown>): Fact[] {
  const facts: Fact[] = [];
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
  if (typeof details.rev === "number") facts.push({ key: "custody.fact.rev", args: { rev: details.rev } });
  const device = text(details.device);
  if (device) facts.push({ key: "custody.fact.device", args: { device } });
  const purpose = text(details.purpose);
  if (purpose) facts.push({ key: "custody.fact.purpose", args: { purpose } });
  // Who an export was for, and the two sides of a hand-over.
  for (const [name, key] of [
    ["recipient", "custody.fact.recipient"],
    ["to", "custody.fact.to"],
    ["from", "custody.fact.from"],
  ] as const) {
    const who = text(details[name]);
    if (who) facts.push({ key, args: { name: who } });
  }
  const institution = text(details.institution);
  if (institution) facts.push({ key: "custody.fact.institution", args: { institution } });
  const medium = text(details.medium);
  if (medium) facts.push({ key: "custody.fact.medium", args: { medium } });
  const seal = text(details.seal);
  if (seal) facts.push({ key: "custody.fact.seal", args: { seal } });
  const container = text(details.container);
  if (container) facts.push({ key: "custody.fact.container", args: { container } });
  const bytes = typeof details.bytes === "number" ? details.bytes : typeof details.size_bytes === "number" ? details.size_bytes : null;
  if (bytes !== null) facts.push({ key: "custody.fact.bytes", args: { size: formatBytes(bytes) } });
  if (Array.isArray(details.fields) && details.fields.length > 0) {
    facts.push({ key: "custody.fact.fields", args: { fields: details.fields.filter((f): f is string => typeof f === "string").join(", ") } });
  }
  return facts;
}

/** A byte count for people: 1 decimal above a kilobyte, binary units (what file managers show). */
export function formatBytes(bytes: number): string {
  if (!(bytes >= 1024)) return `${Math.max(0, Math.round(bytes))} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The events present, in first-seen order, for the filter. */
export function eventsPresent(entries: readonly { event: string }[]): string[] {
  return [...new Set(entries.map((e) => e.event))];
}
