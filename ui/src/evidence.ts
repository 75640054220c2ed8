// Evidence bundles: the export form's rules, which hash goes on the paper
// custody form, how a typed path is read, and the hand-over and reception
// forms' rules. Pure: no DOM, no commands.

import type { CommandError } from "./api";
import type { Problems } from "./forms";
import type { MessageKey } from "./i18n";

export type PackagingKind = "folder" | "zip" | "age_keys" | "age_passphrase";
export const PACKAGING_KINDS: readonly PackagingKind[] = ["folder", "zip", "age_keys", "age_passphrase"];

export function isPackagingKind(v: string): v is PackagingKind {
  return (PACKAGING_KINDS as readonly string[]).includes(v);
}

/** Every role that may read cases may export them (the vault checks again). */
export function mayExport(role: string): boolean {
  return role !== "recovery";
}

/** Logging a hand-over needs the same as an export: reading the case. */
export const mayHandOver = mayExport;

/** Receiving makes cases and sessions: those who may write cases (relato-vault `may_write_cases`). */
export function mayReceive(role: string): boolean {
  return role === "administrator" || role === "interviewer";
}

export type HandOverKind = "delivery" | "receipt";
export const HANDOVER_KINDS: readonly HandOverKind[] = ["delivery", "receipt"];

export function isHandOverKind(v: string): v is HandOverKind {
  return (HANDOVER_KINDS as readonly string[]).includes(v);
}

/** The custody event a hand-over is logged as. */
export function handOverEvent(kind: HandOverKind): "ENTREGA" | "RECEPCION" {
  return kind === "delivery" ? "ENTREGA" : "RECEPCION";
}

/** Suggestions for the medium field (free text: anything else may be typed). */
export const MEDIUM_SUGGESTIONS: readonly MessageKey[] = [
  "handover.medium.usb",
  "handover.medium.optical",
  "handover.medium.disk",
  "handover.medium.secure_transfer",
  "handover.medium.in_person",
];

export interface HandOverForm {
  counterpart: string;
  bundlePath: string;
  ageIdentity: string;
  agePassphrase: string;
}

/** The other person is required; an age key makes sense only with a bundle. */
export function checkHandOverForm(f: HandOverForm): Problems {
  const p: Problems = {};
  if (!f.counterpart.trim()) p.counterpart = { key: "form.required" };
  if (!f.bundlePath.trim() && (f.ageIdentity.trim() || f.agePassphrase)) p.bundle_path = { key: "handover.key_without_bundle" };
  return p;
}

/** A reception needs the bundle and who delivered it. */
export function checkReceiveForm(f: { bundlePath: string; counterpart: string }): Problems {
  const p: Problems = {};
  if (!f.bundlePath.trim()) p.bundle_path = { key: "form.required" };
  if (!f.counterpart.trim()) p.counterpart = { key: "form.required" };
  return p;
}

/** What opens an encrypted bundle: the identity file wins when both were typed. */
export function ageKeyArgs(identity: string, passphrase: string): { identity: string | null; passphrase: string | null } {
  return identity ? { identity, passphrase: null } : { identity: null, passphrase: passphrase || null };
}

const HANDOVER_FIELD_OF_CODE: Record<string, string> = {
  "app.handover_counterpart_empty": "counterpart",
  "app.bundle_other_case": "bundle_path",
  "record.not_found": "into_case",
};

/**
 * Where a hand-over's or reception's error goes: the other person, the
 * case chosen, the key typed, and any verdict on the bundle next to its
 * path; the rest (a role that may not, a locked vault) under the form.
 */
export function handoverFieldOfError(error: CommandError, usedPassphrase: boolean): string | undefined {
  return (
    HANDOVER_FIELD_OF_CODE[error.code] ??
    verifyFieldOfError(error, usedPassphrase) ??
    (error.code.startsWith("evidence.") ? "bundle_path" : undefined)
  );
}

/**
 * age public keys from the form's text: one or more per line, blank lines
 * and `#` comments (as age-keygen writes them) ignored.
 */
export function parseRecipients(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((k) => k.length > 0);
}

/** What an age X25519 recipient looks like (Bech32, `age1` and 58 characters). */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export interface ExportForm {
  sessions: string[];
  packaging: PackagingKind;
  recipients: string;
  passphrase: string;
  confirm: string;
}

export function checkExportForm(f: ExportForm, minChars: number): Problems {
  const p: Problems = {};
  if (f.sessions.length === 0) p.sessions = { key: "export.no_session" };
  if (f.packaging === "age_keys") {
    const keys = parseRecipients(f.recipients);
    const bad = keys.find((k) => !AGE_RECIPIENT.test(k));
    if (keys.length === 0) p.age_recipients = { key: "form.required" };
    else if (bad !== undefined) p.age_recipients = { key: "export.bad_recipient", args: { key: shorten(bad) } };
  }
  if (f.packaging === "age_passphrase") {
    if ([...f.passphrase].length < minChars) p.age_passphrase = { key: "form.passphrase_short", args: { min: minChars } };
    if (f.confirm !== f.passphrase) p.age_confirm = { key: "form.passphrase_mismatch" };
  }
  return p;
}

/** A long pasted value, cut for a message. */
export function shorten(text: string, max = 24): string {
  return [...text].length <= max ? text : `${[...text].slice(0, max).join("")}…`;
}

const EXPORT_FIELD_OF_CODE: Record<string, string> = {
  "evidence.no_originals": "sessions",
  "evidence.several_cases": "sessions",
  "evidence.age_recipient": "age_recipients",
  "app.age_passphrase_short": "age_passphrase",
};

/** The export form's field an error belongs to, or undefined (the whole form). */
export function exportFieldOfError(error: CommandError): string | undefined {
  return EXPORT_FIELD_OF_CODE[error.code];
}

const VERIFY_FIELD_OF_CODE: Record<string, string> = {
  "app.verify_path_empty": "bundle_path",
  "app.age_identity_unreadable": "age_identity",
  "evidence.age_key_needed": "age_identity",
  "evidence.age_decrypt": "age_identity",
};

/**
 * Errors about what was typed (the path, the key) go next to their field;
 * every other one is the verdict on the bundle and goes in the result.
 */
export function verifyFieldOfError(error: CommandError, usedPassphrase: boolean): string | undefined {
  const f = VERIFY_FIELD_OF_CODE[error.code];
  return f === "age_identity" && usedPassphrase ? "age_passphrase" : f;
}

export interface HandedOver {
  /** What to write on the custody form. */
  sha256: string;
  /** Its label: the encrypted file, the zip, or (a folder) its manifest. */
  label: MessageKey;
}

/** The hash of what is handed over: the encrypted file, else the zip, else the manifest. */
export function handedOverHash(v: { manifest_sha256: string; zip_sha256: string | null; age_sha256: string | null }): HandedOver {
  if (v.age_sha256) return { sha256: v.age_sha256, label: "export.hash_age" };
  if (v.zip_sha256) return { sha256: v.zip_sha256, label: "export.hash_zip" };
  return { sha256: v.manifest_sha256, label: "export.hash_manifest" };
}

/**
 * A path as people paste it: surrounding quotes (a file manager's "copy
 * path") and a `file://` prefix removed, `%20` and the like decoded.
 */
export function cleanTypedPath(text: string): string {
  let p = text.trim();
  const quoted = /^(['"])(.*)\1$/.exec(p);
  if (quoted) p = quoted[2]!.trim();
  if (p.startsWith("file://")) {
    p = p.slice("file://".length);
    try {
      p = decodeURIComponent(p);
    } catch {
      // Not valid percent-encoding: keep it as typed.
    }
  }
  return p;
}

/** A byte count for people: 1 234 567 → "1.2 MB" (decimal units, as file managers show). */
export function formatBytes(bytes: number, locale: string): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  const digits = u === 0 || n >= 100 ? 0 : 1;
  return `${n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[u]}`;
}
