import { describe, expect, it } from "vitest";
import type { CommandError } from "./api";
import { UI_CATALOGS } from "./i18n";
import {
  ageKeyArgs,
  checkExportForm,
  checkHandOverForm,
  checkReceiveForm,
  handOverEvent,
  handoverFieldOfError,
  HANDOVER_KINDS,
  isHandOverKind,
  mayHandOver,
  mayReceive,
  MEDIUM_SUGGESTIONS,
  cleanTypedPath,
  exportFieldOfError,
  formatBytes,
  handedOverHash,
  isPackagingKind,
  mayExport,
  parseRecipients,
  shorten,
  verifyFieldOfError,
  type ExportForm,
} from "./evidence";

// A real X25519 recipient, as age-keygen prints it.
const KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const err = (code: string, args: Record<string, string> = {}): CommandError => ({ code, message: code, args });
const form = (f: Partial<ExportForm>): ExportForm => ({ sessions: ["s1"], packaging: "zip", recipients: "", passphrase: "", confirm: "", ...f });

describe("export form", () => {
  it("needs a session", () => {
    expect(checkExportForm(form({}), 12)).toEqual({});
    expect(checkExportForm(form({ sessions: [] }), 12)).toEqual({ sessions: { key: "export.no_session" } });
  });
  it("asks for keys only when encrypting to keys, and checks their shape", () => {
    expect(checkExportForm(form({ packaging: "folder", recipients: "nonsense" }), 12)).toEqual({});
    expect(checkExportForm(form({ packaging: "age_keys" }), 12)).toEqual({ age_recipients: { key: "form.required" } });
    expect(checkExportForm(form({ packaging: "age_keys", recipients: `${KEY}\n` }), 12)).toEqual({});
    const bad = checkExportForm(form({ packaging: "age_keys", recipients: `${KEY}\nage1nope` }), 12);
    expect(bad.age_recipients).toEqual({ key: "export.bad_recipient", args: { key: "age1nope" } });
    // A secret key pasted by mistake is refused, and not echoed in full.
    const secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
    const shown = checkExportForm(form({ packaging: "age_keys", recipients: secret }), 12).age_recipients?.args?.key;
    expect(String(shown).length).toBeLessThan(30);
  });
  it("wants a long passphrase, typed twice the same", () => {
    expect(checkExportForm(form({ packaging: "age_passphrase", passphrase: "corta", confirm: "corta" }), 12)).toEqual({
      age_passphrase: { key: "form.passphrase_short", args: { min: 12 } },
    });
    expect(checkExportForm(form({ packaging: "age_passphrase", passphrase: "una frase larga", confirm: "una frase larg" }), 12)).toEqual({
      age_confirm: { key: "form.passphrase_mismatch" },
    });
    expect(checkExportForm(form({ packaging: "age_passphrase", passphrase: "una frase larga", confirm: "una frase larga" }), 12)).toEqual({});
    // Characters, not UTF-16 units.
    expect(checkExportForm(form({ packaging: "age_passphrase", passphrase: "ñ".repeat(12), confirm: "ñ".repeat(12) }), 12)).toEqual({});
  });
  it("knows its packaging kinds", () => {
    expect(["folder", "zip", "age_keys", "age_passphrase"].every(isPackagingKind)).toBe(true);
    expect(isPackagingKind("tar")).toBe(false);
  });
  it("lets every role but recovery export", () => {
    for (const r of ["administrator", "interviewer", "reviewer", "litigator"]) expect(mayExport(r)).toBe(true);
    expect(mayExport("recovery")).toBe(false);
  });
});

describe("age recipients", () => {
  it("are read one or more per line, comments and blanks ignored", () => {
    const text = `# created: 2026-03-01\n# public key: ${KEY}\n${KEY}\n\n  ${KEY}, ${KEY}  \n`;
    expect(parseRecipients(text)).toEqual([KEY, KEY, KEY]);
    expect(parseRecipients("  \n# only a comment\n")).toEqual([]);
  });
  it("long values are shortened for messages", () => {
    expect(shorten("abc")).toBe("abc");
    expect(shorten("x".repeat(40), 10)).toBe(`${"x".repeat(10)}…`);
  });
});

describe("where errors go", () => {
  it("puts export errors next to the field they are about", () => {
    expect(exportFieldOfError(err("evidence.no_originals"))).toBe("sessions");
    expect(exportFieldOfError(err("evidence.age_recipient", { recipient: "x", reason: "y" }))).toBe("age_recipients");
    expect(exportFieldOfError(err("app.age_passphrase_short", { min: "12" }))).toBe("age_passphrase");
    expect(exportFieldOfError(err("evidence.integrity"))).toBeUndefined();
    expect(exportFieldOfError(err("auth.not_permitted"))).toBeUndefined();
  });
  it("puts key problems next to the key, and integrity failures in the verdict", () => {
    expect(verifyFieldOfError(err("evidence.age_key_needed"), false)).toBe("age_identity");
    expect(verifyFieldOfError(err("evidence.age_decrypt"), true)).toBe("age_passphrase");
    expect(verifyFieldOfError(err("app.age_identity_unreadable"), false)).toBe("age_identity");
    expect(verifyFieldOfError(err("app.verify_path_empty"), false)).toBe("bundle_path");
    for (const code of ["evidence.file_changed", "evidence.chain_broken", "evidence.not_a_bundle", "evidence.missing_file", "evidence.io"]) {
      expect(verifyFieldOfError(err(code), false), code).toBeUndefined();
    }
  });
});

describe("the hash for the paper form", () => {
  const m = "a".repeat(64);
  const z = "b".repeat(64);
  const a = "c".repeat(64);
  it("is the encrypted file's, else the zip's, else the manifest's", () => {
    expect(handedOverHash({ manifest_sha256: m, zip_sha256: z, age_sha256: a })).toEqual({ sha256: a, label: "export.hash_age" });
    expect(handedOverHash({ manifest_sha256: m, zip_sha256: z, age_sha256: null })).toEqual({ sha256: z, label: "export.hash_zip" });
    expect(handedOverHash({ manifest_sha256: m, zip_sha256: null, age_sha256: null })).toEqual({ sha256: m, label: "export.hash_manifest" });
  });
});

describe("typed paths", () => {
  it("lose quotes and file:// as pasted from a file manager", () => {
    expect(cleanTypedPath("  /home/ana/Descargas/EXP.zip \n")).toBe("/home/ana/Descargas/EXP.zip");
    expect(cleanTypedPath("'/home/ana/Mis paquetes/EXP.zip'")).toBe("/home/ana/Mis paquetes/EXP.zip");
    expect(cleanTypedPath('"~/EXP.zip"')).toBe("~/EXP.zip");
    expect(cleanTypedPath("file:///home/ana/Mis%20paquetes/EXP.zip")).toBe("/home/ana/Mis paquetes/EXP.zip");
    expect(cleanTypedPath("file:///bad%zz")).toBe("/bad%zz");
    expect(cleanTypedPath("'unbalanced")).toBe("'unbalanced");
  });
});

describe("sizes", () => {
  it("are shown in decimal units, localised", () => {
    expect(formatBytes(512, "en")).toBe("512 B");
    expect(formatBytes(1_234_567, "en")).toBe("1.2 MB");
    expect(formatBytes(1_234_567, "es-MX")).toBe("1.2 MB");
    expect(formatBytes(345_600_000, "en")).toBe("346 MB");
    expect(formatBytes(2_500_000_000, "en")).toBe("2.5 GB");
  });
});

describe("hand-over and reception", () => {
  const handover = (f: Partial<Parameters<typeof checkHandOverForm>[0]>) => ({ counterpart: "Lic. Ruiz", bundlePath: "", ageIdentity: "", agePassphrase: "", ...f });
  it("needs the other person; a bundle is optional, a key only with one", () => {
    expect(checkHandOverForm(handover({}))).toEqual({});
    expect(checkHandOverForm(handover({ counterpart: "  " }))).toEqual({ counterpart: { key: "form.required" } });
    expect(checkHandOverForm(handover({ bundlePath: "~/x.zip.age", agePassphrase: "secreto" }))).toEqual({});
    expect(checkHandOverForm(handover({ agePassphrase: "secreto" }))).toEqual({ bundle_path: { key: "handover.key_without_bundle" } });
    expect(checkHandOverForm(handover({ ageIdentity: "~/clave.txt" }))).toEqual({ bundle_path: { key: "handover.key_without_bundle" } });
  });
  it("a reception needs the bundle and who delivered it", () => {
    expect(checkReceiveForm({ bundlePath: "/media/usb/x.zip", counterpart: "Ana" })).toEqual({});
    expect(checkReceiveForm({ bundlePath: " ", counterpart: "" })).toEqual({ bundle_path: { key: "form.required" }, counterpart: { key: "form.required" } });
  });
  it("sends the identity file when both keys were typed", () => {
    expect(ageKeyArgs("~/clave.txt", "frase")).toEqual({ identity: "~/clave.txt", passphrase: null });
    expect(ageKeyArgs("", "frase")).toEqual({ identity: null, passphrase: "frase" });
    expect(ageKeyArgs("", "")).toEqual({ identity: null, passphrase: null });
  });
  it("names the events and knows its kinds", () => {
    expect(HANDOVER_KINDS.map(handOverEvent)).toEqual(["ENTREGA", "RECEPCION"]);
    expect(isHandOverKind("receipt")).toBe(true);
    expect(isHandOverKind("RECEPCION")).toBe(false);
  });
  it("lets readers log hand-overs and only writers receive", () => {
    for (const role of ["administrator", "interviewer", "reviewer", "litigator"]) expect(mayHandOver(role)).toBe(true);
    expect(mayHandOver("recovery")).toBe(false);
    expect(["administrator", "interviewer", "reviewer", "litigator", "recovery"].filter(mayReceive)).toEqual(["administrator", "interviewer"]);
  });
  it("puts each error next to what caused it", () => {
    expect(handoverFieldOfError(err("app.handover_counterpart_empty"), false)).toBe("counterpart");
    expect(handoverFieldOfError(err("app.bundle_other_case", { path: "/x", reference: "EXP" }), false)).toBe("bundle_path");
    expect(handoverFieldOfError(err("record.not_found"), false)).toBe("into_case");
    expect(handoverFieldOfError(err("evidence.age_decrypt"), true)).toBe("age_passphrase");
    expect(handoverFieldOfError(err("evidence.age_decrypt"), false)).toBe("age_identity");
    // Any verdict on the bundle goes by its path.
    expect(handoverFieldOfError(err("evidence.file_altered", { file: "evidence/EV-001.wav" }), false)).toBe("bundle_path");
    expect(handoverFieldOfError(err("auth.not_permitted"), false)).toBeUndefined();
    expect(handoverFieldOfError(err("vault.locked"), false)).toBeUndefined();
  });
  it("has every medium suggestion in every locale", () => {
    for (const catalog of Object.values(UI_CATALOGS)) for (const key of MEDIUM_SUGGESTIONS) expect(catalog[key], key).toBeTruthy();
  });
});
