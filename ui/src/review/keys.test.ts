import { describe, expect, it } from "vitest";
import doc from "../../../docs/TRANSCRIPTION.md?raw";
import { BINDINGS, eventFor, isTextAction, resolveKey, type KeyLike } from "./keys";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe("resolveKey", () => {
  it("plays and pauses with Esc and Ctrl+Space", () => {
    expect(resolveKey(key("Escape"))).toEqual({ kind: "toggle" });
    expect(resolveKey(key(" ", { ctrlKey: true, code: "Space" }))).toEqual({ kind: "toggle" });
  });
  it("does not toggle on a held Esc or a plain space (typing)", () => {
    expect(resolveKey(key("Escape", { repeat: true }))).toBeNull();
    expect(resolveKey(key(" ", { code: "Space" }))).toBeNull();
  });
  it("skips and changes speed with F1–F4, repeating when held", () => {
    expect(resolveKey(key("F1"))).toEqual({ kind: "skip", direction: -1 });
    expect(resolveKey(key("F2", { repeat: true }))).toEqual({ kind: "skip", direction: 1 });
    expect(resolveKey(key("F3"))).toEqual({ kind: "speed", direction: -1 });
    expect(resolveKey(key("F4"))).toEqual({ kind: "speed", direction: 1 });
  });
  it("treats Cmd as Ctrl", () => {
    expect(resolveKey(key("s", { metaKey: true }))).toEqual({ kind: "save" });
  });
  it("leaves AltGr combinations (Ctrl+Alt) to the keyboard", () => {
    expect(resolveKey(key("q", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(resolveKey(key("F1", { altKey: true }))).toBeNull();
  });
  it("leaves ordinary typing alone", () => {
    for (const k of ["a", "P", "Enter", "Tab", "1"]) expect(resolveKey(key(k))).toBeNull();
    expect(resolveKey(key("P", { shiftKey: true }))).toBeNull();
  });
  it("finds letters by position when the typed character is not a letter", () => {
    expect(resolveKey(key("π", { ctrlKey: true, shiftKey: true, code: "KeyP" }))).toEqual({ kind: "mark", mark: "pause" });
  });
  it("maps the convention keys", () => {
    expect(resolveKey(key("U", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "mark", mark: "unintelligible" });
    expect(resolveKey(key("X", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "mark", mark: "unintelligible" });
    expect(resolveKey(key("N", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "mark", mark: "nonverbal" });
    expect(resolveKey(key("O", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "mark", mark: "overlap" });
    expect(resolveKey(key("L", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "mark", mark: "long_pause" });
    expect(resolveKey(key("Enter", { ctrlKey: true }))).toEqual({ kind: "add-segment" });
    expect(resolveKey(key("j", { ctrlKey: true }))).toEqual({ kind: "stamp" });
    expect(resolveKey(key("g", { ctrlKey: true }))).toEqual({ kind: "goto" });
  });
  it("marks which actions need a segment's text", () => {
    expect(isTextAction({ kind: "stamp" })).toBe(true);
    expect(isTextAction({ kind: "mark", mark: "pause" })).toBe(true);
    expect(isTextAction({ kind: "toggle" })).toBe(false);
  });
});

describe("the key table", () => {
  it("lists only combinations that do something, each once", () => {
    const seen = new Set<string>();
    for (const b of BINDINGS) {
      for (const combo of b.keys) {
        expect(resolveKey(eventFor(combo)), combo).not.toBeNull();
        expect(seen.has(combo), combo).toBe(false);
        seen.add(combo);
      }
    }
  });
  it("is written down in docs/TRANSCRIPTION.md", () => {
    for (const b of BINDINGS) for (const combo of b.keys) expect(doc, combo).toContain(combo);
  });
});
