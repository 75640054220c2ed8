// The export form's redacted version: phrases replaced in the transcripts
// and stretches of audio silenced, typed one per line. Pure: it reads the
// three fields and says, line by line, what does not make sense.

import type { RedactionInput } from "./bindings";
import type { Problems } from "./forms";
import { parseTime } from "./review/time";

/** What the export command takes (src-tauri evidence_commands.rs). */
export type RedactionRequest = RedactionInput;

export interface RedactionForm {
  phrases: string;
  silences: string;
  replacement: string;
  reason: string;
  /** How many sessions the bundle holds: times belong to one recording. */
  sessions: number;
}

/** What replaces a phrase when nothing else is said. */
export const DEFAULT_REPLACEMENT = "[TESTADO]";

function lines(text: string): { n: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ n: i + 1, text: t.trim() }))
    .filter((l) => l.text !== "");
}

/** `01:02:03 - 01:02:05`, `1:02–1:05`, `62.5 a 65`: start and end in ms, or null. */
export function parseStretch(text: string): { start_ms: number; end_ms: number } | null {
  const m = text.match(/^(.+?)\s*(?:-|–|—|\ba\b|\bto\b)\s*(.+)$/);
  if (!m) return null;
  const start = parseTime(m[1]!);
  const end = parseTime(m[2]!);
  return start === null || end === null ? null : { start_ms: start, end_ms: end };
}

/**
 * The request, or the problems (keyed by field; a line's number in `args`).
 * Nothing typed is no redaction (`null`), not an error.
 */
export function readRedaction(f: RedactionForm): { request: RedactionRequest | null; problems: Problems } {
  const problems: Problems = {};
  const phrases = lines(f.phrases);
  const stretches = lines(f.silences);
  if (phrases.length === 0 && stretches.length === 0) return { request: null, problems };
  const reason = f.reason.trim();
  if (!reason) problems.redact_reason = { key: "form.required" };
  const replacement = f.replacement.trim() || DEFAULT_REPLACEMENT;
  const silences: RedactionRequest["silences"] = [];
  for (const l of stretches) {
    const s = parseStretch(l.text);
    if (!s) {
      problems.redact_silences = { key: "redact.bad_stretch", args: { line: l.n } };
      break;
    }
    if (s.end_ms <= s.start_ms) {
      problems.redact_silences = { key: "redact.reversed_stretch", args: { line: l.n } };
      break;
    }
    silences.push({ ...s, reason });
  }
  if (stretches.length > 0 && f.sessions !== 1 && !problems.redact_silences) {
    problems.redact_silences = { key: "redact.one_session_for_audio" };
  }
  if (Object.keys(problems).length > 0) return { request: null, problems };
  return { request: { phrases: phrases.map((l) => ({ find: l.text, replacement, reason })), silences }, problems };
}
