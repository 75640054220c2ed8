import { describe, expect, it } from "vitest";
import { toCommandError, type AboutInfo, type CommandError } from "./api";
import { diagnosticsText } from "./diagnostics";
import { CHILD_CODE, checkCaseForm, checkSessionForm, checkUnlockForm, checkVaultForm, fieldOfError, parseAge } from "./forms";
import { DEFAULT_IDLE_MINUTES, IDLE_STORAGE_KEY, IdleWatch, isLockShortcut, loadIdleMinutes, PlaybackActivity, saveIdleMinutes } from "./idle";
import { UI_CATALOGS } from "./i18n";
import { isPublic, parseRoute, routeHash, type Route } from "./routes";
import { filterBy, matches, normalise } from "./search";
import { assess, MIN_SCORE } from "./strength";

const err = (code: string, args: Record<string, string> = {}): CommandError => ({ code, message: code, args });

describe("strength meter", () => {
  it("refuses anything shorter than the vault's minimum, whatever its score", () => {
    expect(assess("", 4, 12)).toMatchObject({ level: "empty", acceptable: false, segments: 0 });
    expect(assess("Tr0ub4dor&3", 4, 12)).toMatchObject({ level: "too_short", acceptable: false });
    // Counted in characters, not UTF-16 units: 12 emoji-free accented letters pass the length rule.
    expect(assess("ñandú ñandú!", 3, 12).level).toBe("strong");
  });
  it("maps zxcvbn's scores to five levels and accepts from MIN_SCORE", () => {
    const levels = [0, 1, 2, 3, 4].map((s) => assess("x".repeat(20), s, 12));
    expect(levels.map((l) => l.level)).toEqual(["very_weak", "weak", "fair", "strong", "very_strong"]);
    expect(levels.map((l) => l.segments)).toEqual([0, 1, 2, 3, 4]);
    expect(levels.map((l) => l.acceptable)).toEqual([0, 1, 2, 3, 4].map((s) => s >= MIN_SCORE));
  });
  it("is not acceptable while the estimator has not answered", () => {
    expect(assess("una frase larga de verdad", undefined, 12).acceptable).toBe(false);
  });
  it("has a label for every level in both catalogs", () => {
    for (const s of [undefined, 0, 1, 2, 3, 4]) {
      for (const p of ["", "short", "a long enough phrase"]) {
        const key = assess(p, s, 12).label;
        expect(UI_CATALOGS["es-MX"][key]).toBeTypeOf("string");
        expect(UI_CATALOGS.en[key]).toBeTypeOf("string");
      }
    }
  });
});

describe("search", () => {
  it("ignores accents, case and extra spaces", () => {
    expect(normalise("  Ciudad   de MÉXICO ")).toBe("ciudad de mexico");
    expect(normalise("Ñuñoa")).toBe("nunoa");
    expect(matches("oaxaca escuela", ["EXP-1", "Oaxaca", "Escuela Núm. 12"])).toBe(true);
    expect(matches("núm", ["Escuela Num. 12"])).toBe(true);
    expect(matches("guadalajara", ["EXP-1", "Oaxaca", null])).toBe(false);
  });
  it("matches everything with an empty query", () => {
    expect(filterBy([1, 2, 3], "  ", () => [])).toEqual([1, 2, 3]);
  });
  it("filters by every word", () => {
    const cases = [
      { r: "EXP-2026-031", p: "Oaxaca" },
      { r: "EXP-2026-044", p: "Mérida" },
    ];
    expect(filterBy(cases, "merida 2026", (c) => [c.r, c.p]).map((c) => c.r)).toEqual(["EXP-2026-044"]);
    expect(filterBy(cases, "031 merida", (c) => [c.r, c.p])).toEqual([]);
  });
});

describe("forms", () => {
  const good = { organisation: "ODI", admin_name: "Ana", passphrase: "una frase de acceso larga", confirm: "una frase de acceso larga" };
  it("accepts a complete vault form", () => {
    expect(checkVaultForm(good, true, 12)).toEqual({});
  });
  it("names each problem of the vault form", () => {
    expect(checkVaultForm({ organisation: " ", admin_name: "", passphrase: "corta", confirm: "otra" }, false, 12)).toEqual({
      organisation: { key: "form.required" },
      admin_name: { key: "form.required" },
      passphrase: { key: "form.passphrase_short", args: { min: 12 } },
      confirm: { key: "form.passphrase_mismatch" },
    });
    expect(checkVaultForm(good, false, 12)).toEqual({ passphrase: { key: "form.passphrase_weak" } });
  });
  it("checks the unlock and case forms", () => {
    expect(checkUnlockForm("", "")).toEqual({ name: { key: "form.required" }, passphrase: { key: "form.required" } });
    expect(checkUnlockForm("Ana", "x")).toEqual({});
    expect(checkCaseForm({ reference: "  " })).toEqual({ reference: { key: "form.required" } });
    expect(checkCaseForm({ reference: "EXP-1" })).toEqual({});
  });
  it("refuses names as child codes, like the vault", () => {
    for (const ok of ["NNA-031", "7", "a_1"]) expect(CHILD_CODE.test(ok)).toBe(true);
    for (const bad of ["María", "Juan Pérez", "NNA-", "", "NNA 031"]) expect(CHILD_CODE.test(bad)).toBe(false);
    expect(checkSessionForm({ child_code: "María", age_years: "7", language: "es" }, 17)).toEqual({
      child_code: { key: "form.child_code" },
    });
  });
  it("wants a whole age within the vault's range", () => {
    const check = (age: string) => checkSessionForm({ child_code: "NNA-1", age_years: age, language: "es" }, 17).age_years;
    expect(check("0")).toBeUndefined();
    expect(check(" 17 ")).toBeUndefined();
    expect(check("18")).toEqual({ key: "form.age", args: { max: 17 } });
    expect(check("7.5")).toEqual({ key: "form.age", args: { max: 17 } });
    expect(check("-1")).toEqual({ key: "form.age", args: { max: 17 } });
    expect(check("")).toEqual({ key: "form.required" });
    expect(parseAge(" 07 ")).toBe(7);
  });
  it("puts a command's error next to the field it is about", () => {
    const fields = ["reference", "place", "institution"];
    expect(fieldOfError(err("input.too_long", { field: "place", max: "200" }), fields)).toBe("place");
    expect(fieldOfError(err("storage.full"), fields)).toBeUndefined();
    expect(fieldOfError(err("input.not_a_child_code"), ["child_code", "age_years"])).toBe("child_code");
    expect(fieldOfError(err("input.empty", { field: "name" }), ["organisation", "admin_name"])).toBe("admin_name");
    expect(fieldOfError(err("input.empty", { field: "organisation" }), ["organisation", "admin_name"])).toBe("organisation");
  });
});

describe("routes", () => {
  const all: Route[] = [
    { name: "cases" },
    { name: "case", id: "case_01HX" },
    { name: "handover", caseId: "case_01HX" },
    { name: "custody", caseId: "case_01HX" },
    { name: "session", id: "session-9" },
    { name: "record", sessionId: "session-9" },
    { name: "review", sessionId: "session-9" },
    { name: "export", sessionId: "session-9" },
    { name: "verify" },
    { name: "receive" },
    { name: "about" },
  ];
  it("round-trips every route through its hash", () => {
    for (const r of all) expect(parseRoute(routeHash(r))).toEqual(r);
  });
  it("sends unknown or malicious hashes home", () => {
    for (const h of ["", "#", "#/", "#/nope", "#/cases/a/b", "#/cases/<img>", "#/sessions//record", "#/sessions//review", "#/sessions/a/review/x", "#/sessions//export", "#/verify/x", "#/cases//handover", "#/cases/a/handover/x", "#/cases//custody", "#/cases/a/custody/x", "#/receive/x"]) {
      expect(parseRoute(h)).toEqual({ name: "cases" });
    }
  });
  it("lets About and bundle verification open without an unlocked vault, nothing else", () => {
    expect(all.filter(isPublic)).toEqual([{ name: "verify" }, { name: "about" }]);
  });
});

describe("idle lock", () => {
  it("locks after the chosen minutes without activity", () => {
    const w = new IdleWatch(10, 0);
    expect(w.due(9 * 60_000)).toBe(false);
    w.touch(9 * 60_000);
    expect(w.due(18 * 60_000)).toBe(false);
    expect(w.due(19 * 60_000)).toBe(true);
    w.setMinutes(5, 19 * 60_000);
    expect(w.due(23 * 60_000)).toBe(false);
    expect(w.due(24 * 60_000)).toBe(true);
  });
  it("remembers only the allowed choices", () => {
    const data: Record<string, string> = {};
    const store = { getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v) };
    expect(loadIdleMinutes(store)).toBe(DEFAULT_IDLE_MINUTES);
    saveIdleMinutes(store, 30);
    expect(data[IDLE_STORAGE_KEY]).toBe("30");
    expect(loadIdleMinutes(store)).toBe(30);
    data[IDLE_STORAGE_KEY] = "0";
    expect(loadIdleMinutes(store)).toBe(DEFAULT_IDLE_MINUTES);
    expect(loadIdleMinutes(undefined)).toBe(DEFAULT_IDLE_MINUTES);
  });
  it("counts playback as activity, at most once per interval, and pausing as none", () => {
    const p = new PlaybackActivity(5_000);
    const playing = { playing: true, ended: false };
    expect(p.due(playing, 0)).toBe(true);
    expect(p.due(playing, 40)).toBe(false);
    expect(p.due(playing, 4_999)).toBe(false);
    expect(p.due(playing, 5_000)).toBe(true);
    expect(p.due({ playing: false, ended: false }, 6_000)).toBe(false);
    expect(p.due({ playing: true, ended: true }, 20_000)).toBe(false);
    // Playing again counts at once.
    expect(p.due(playing, 20_010)).toBe(true);
  });
  it("does not lock while listening; pausing lets the idle time run again", () => {
    const w = new IdleWatch(5, 0);
    const p = new PlaybackActivity();
    const feed = (from: number, to: number, playing: boolean) => {
      // The player reports every 40 ms while open.
      for (let t = from; t < to; t += 40) if (p.due({ playing, ended: false }, t)) w.touch(t);
    };
    feed(0, 20 * 60_000, true);
    expect(w.due(20 * 60_000)).toBe(false);
    feed(20 * 60_000, 26 * 60_000, false);
    expect(w.due(24 * 60_000)).toBe(false);
    expect(w.due(25 * 60_000)).toBe(true);
  });
  it("knows Ctrl+L", () => {
    const k = { key: "l", ctrlKey: true, metaKey: false, altKey: false, shiftKey: false };
    expect(isLockShortcut(k)).toBe(true);
    expect(isLockShortcut({ ...k, key: "L" })).toBe(true);
    expect(isLockShortcut({ ...k, ctrlKey: false })).toBe(false);
    expect(isLockShortcut({ ...k, shiftKey: true })).toBe(false);
    expect(isLockShortcut({ ...k, key: "k" })).toBe(false);
  });
});

describe("diagnostics", () => {
  const info: AboutInfo = {
    version: "0.1.0",
    build: "abc123 (debug)",
    format_supported: 2,
    format_file: 2,
    vault_path: "~/.local/share/relato/vault.relato",
    os: "linux x86_64",
    devices: [
      { name: "AirPods de Ana García", format: "48000 Hz, 1 ch, f32", bluetooth: true },
      { name: "pulse", format: null, bluetooth: false },
    ],
    devices_error: null,
  };
  it("carries the facts and no device names", () => {
    const text = diagnosticsText(info, "es-MX");
    expect(text).toContain("Relato 0.1.0");
    expect(text).toContain("build: abc123 (debug)");
    expect(text).toContain("vault format: supported 2, file 2");
    expect(text).toContain("vault path: ~/.local/share/relato/vault.relato");
    expect(text).toContain("input 1: 48000 Hz, 1 ch, f32 (Bluetooth)");
    expect(text).not.toMatch(/Ana|García|AirPods|pulse/);
  });
  it("reports a device error by its code", () => {
    const text = diagnosticsText({ ...info, devices: [], devices_error: toCommandError({ code: "capture.no_input_device", message: "x", args: {} }), format_file: null }, "en");
    expect(text).toContain("input devices: 0");
    expect(text).toContain("input devices error: capture.no_input_device");
    expect(text).toContain("file -");
  });
});

describe("catalog coverage", () => {
  it("has every present-role and interview language the backend names", async () => {
    const { PRESENT_ROLES } = await import("./api");
    for (const locale of ["es-MX", "en"] as const) {
      for (const r of PRESENT_ROLES) expect(UI_CATALOGS[locale][`present.${r}`], `${locale} present.${r}`).toBeTypeOf("string");
      for (const l of ["es", "en"]) expect(UI_CATALOGS[locale][`language.${l}`]).toBeTypeOf("string");
      for (const r of ["administrator", "interviewer", "reviewer", "litigator", "recovery"]) {
        expect(UI_CATALOGS[locale][`role.${r}`]).toBeTypeOf("string");
      }
    }
  });
  it("uses only keys that exist, in every screen source", () => {
    const sources = import.meta.glob<string>(["./*.ts", "./screens/*.ts", "!./*.test.ts", "!./bindings.ts"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    const used = new Set<string>();
    for (const src of Object.values(sources)) {
      for (const m of src.matchAll(/\bt\("([a-z_]+(?:\.[a-z_]+)+)"/g)) used.add(m[1]!);
      for (const m of src.matchAll(/key: "([a-z_]+(?:\.[a-z_]+)+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const k of used) {
      expect(UI_CATALOGS["es-MX"][k], `es-MX lacks ${k}`).toBeTypeOf("string");
      expect(UI_CATALOGS.en[k], `en lacks ${k}`).toBeTypeOf("string");
    }
  });
});
