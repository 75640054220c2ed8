// The review screen's keyboard. Pure: an event's key fields in, an action
// out. The transport keys work everywhere on the screen, even while typing
// in the transcript, because a reviewer transcribes with both hands on the
// keyboard; the insertion keys only act inside a segment's text.

import type { MessageKey } from "../i18n";

/** A transcription mark a quick key inserts (texts in transcript-model.ts). */
export type MarkKind = "pause" | "long_pause" | "unintelligible" | "nonverbal" | "overlap";

export type KeyAction =
  | { kind: "toggle" }
  | { kind: "skip"; direction: -1 | 1 }
  | { kind: "speed"; direction: -1 | 1 }
  | { kind: "goto" }
  | { kind: "add-segment" }
  | { kind: "stamp" }
  | { kind: "save" }
  | { kind: "mark"; mark: MarkKind };

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
}

/** Ctrl+Shift+<letter> → mark. X doubles U where the system takes Ctrl+Shift+U (IBus Unicode entry). */
const MARK_LETTERS: Record<string, MarkKind> = {
  p: "pause",
  l: "long_pause",
  u: "unintelligible",
  x: "unintelligible",
  n: "nonverbal",
  o: "overlap",
};

/** The letter of a key, by the character typed, else by the key's position (Alt/Option layouts). */
function letter(e: KeyLike): string {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  const m = e.code?.match(/^Key([A-Z])$/);
  return m ? m[1]!.toLowerCase() : "";
}

/**
 * What a key press asks for, or null. Cmd counts as Ctrl (macOS). Alt must
 * be up: AltGr (Ctrl+Alt on Windows) types characters such as @ on Spanish
 * keyboards and must keep doing so. Held keys repeat only where repeating
 * makes sense (skipping, speed).
 */
export function resolveKey(e: KeyLike): KeyAction | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const repeat = e.repeat === true;
  if (!mod && !e.shiftKey) {
    switch (e.key) {
      case "Escape":
        return repeat ? null : { kind: "toggle" };
      case "F1":
        return { kind: "skip", direction: -1 };
      case "F2":
        return { kind: "skip", direction: 1 };
      case "F3":
        return { kind: "speed", direction: -1 };
      case "F4":
        return { kind: "speed", direction: 1 };
    }
    return null;
  }
  if (!mod || repeat) return null;
  if (!e.shiftKey) {
    if (e.key === " " || e.code === "Space") return { kind: "toggle" };
    if (e.key === "Enter") return { kind: "add-segment" };
    switch (letter(e)) {
      case "g":
        return { kind: "goto" };
      case "j":
        return { kind: "stamp" };
      case "s":
        return { kind: "save" };
    }
    return null;
  }
  const mark = MARK_LETTERS[letter(e)];
  return mark ? { kind: "mark", mark } : null;
}

/** Whether an action inserts into the focused segment's text (and so needs one). */
export function isTextAction(a: KeyAction): boolean {
  return a.kind === "stamp" || a.kind === "mark";
}

/** The keys as the help popover and docs/TRANSCRIPTION.md list them. */
export interface Binding {
  keys: string[];
  description: MessageKey;
}

export const BINDINGS: Binding[] = [
  { keys: ["Esc", "Ctrl+Space"], description: "review.key.toggle" },
  { keys: ["F1"], description: "review.key.back" },
  { keys: ["F2"], description: "review.key.forward" },
  { keys: ["F3"], description: "review.key.slower" },
  { keys: ["F4"], description: "review.key.faster" },
  { keys: ["Ctrl+G"], description: "review.key.goto" },
  { keys: ["Ctrl+Enter"], description: "review.key.add_segment" },
  { keys: ["Ctrl+S"], description: "review.key.save" },
  { keys: ["Ctrl+J"], description: "review.key.stamp" },
  { keys: ["Ctrl+Shift+P"], description: "review.key.pause" },
  { keys: ["Ctrl+Shift+L"], description: "review.key.long_pause" },
  { keys: ["Ctrl+Shift+U", "Ctrl+Shift+X"], description: "review.key.unintelligible" },
  { keys: ["Ctrl+Shift+N"], description: "review.key.nonverbal" },
  { keys: ["Ctrl+Shift+O"], description: "review.key.overlap" },
];

/** A key event for a `Ctrl+Shift+P`-style name (tests and docs check the table against resolveKey). */
export function eventFor(combo: string): KeyLike {
  const parts = combo.split("+");
  const name = parts[parts.length - 1]!;
  const key = name === "Esc" ? "Escape" : name === "Space" ? " " : name;
  const shiftKey = parts.includes("Shift");
  return {
    key: shiftKey && key.length === 1 ? key.toUpperCase() : key.length === 1 ? key.toLowerCase() : key,
    code: name === "Space" ? "Space" : name.length === 1 ? `Key${name.toUpperCase()}` : name,
    ctrlKey: parts.includes("Ctrl"),
    metaKey: false,
    altKey: false,
    shiftKey,
  };
}
