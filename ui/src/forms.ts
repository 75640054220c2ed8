// Form rules checked before a command is sent, and where a command's error
// belongs on the form. The vault checks everything again; these only spare
// a round trip and put the message next to the right field.

import type { CommandError } from "./api";
import type { MessageKey } from "./i18n";

export interface FieldProblem {
  key: MessageKey;
  args?: Record<string, string | number>;
}
export type Problems = Record<string, FieldProblem>;

export interface VaultForm {
  organisation: string;
  admin_name: string;
  passphrase: string;
  confirm: string;
}

export function checkVaultForm(f: VaultForm, strengthAcceptable: boolean, minChars: number): Problems {
  const p: Problems = {};
  if (!f.organisation.trim()) p.organisation = { key: "form.required" };
  if (!f.admin_name.trim()) p.admin_name = { key: "form.required" };
  if ([...f.passphrase].length < minChars) p.passphrase = { key: "form.passphrase_short", args: { min: minChars } };
  else if (!strengthAcceptable) p.passphrase = { key: "form.passphrase_weak" };
  if (f.confirm !== f.passphrase) p.confirm = { key: "form.passphrase_mismatch" };
  return p;
}

export function checkUnlockForm(name: string, passphrase: string): Problems {
  const p: Problems = {};
  if (!name.trim()) p.name = { key: "form.required" };
  if (!passphrase) p.passphrase = { key: "form.required" };
  return p;
}

export function checkCaseForm(f: { reference: string }): Problems {
  return f.reference.trim() ? {} : { reference: { key: "form.required" } };
}

/** The same rule as relato-vault's records.rs: a code, never a name. */
export const CHILD_CODE = /^[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*$/;

export interface SessionForm {
  child_code: string;
  age_years: string;
  language: string;
}

export function checkSessionForm(f: SessionForm, maxAge: number): Problems {
  const p: Problems = {};
  const code = f.child_code.trim();
  if (!code) p.child_code = { key: "form.required" };
  else if (!CHILD_CODE.test(code)) p.child_code = { key: "form.child_code" };
  const age = f.age_years.trim();
  if (!age) p.age_years = { key: "form.required" };
  else if (!/^[0-9]+$/.test(age) || Number(age) > maxAge) p.age_years = { key: "form.age", args: { max: maxAge } };
  if (f.language !== "es" && f.language !== "en") p.language = { key: "form.required" };
  return p;
}

/** The age as the command wants it; call after checkSessionForm passed. */
export function parseAge(text: string): number {
  return Number.parseInt(text.trim(), 10);
}

const FIELD_OF_CODE: Record<string, string> = {
  "input.not_a_child_code": "child_code",
  "input.age_out_of_range": "age_years",
  "auth.weak_passphrase": "passphrase",
  "auth.wrong_passphrase": "passphrase",
  "auth.unknown_user": "name",
  "auth.slot_revoked": "name",
  "user.reserved_name": "admin_name",
};
const FIELD_OF_ARG: Record<string, string> = { name: "admin_name" };

/**
 * The form field a command error belongs to, among `fields`, or undefined
 * when it is about the form as a whole.
 */
export function fieldOfError(error: CommandError, fields: readonly string[]): string | undefined {
  const byCode = FIELD_OF_CODE[error.code];
  if (byCode !== undefined && fields.includes(byCode)) return byCode;
  const arg = error.args.field;
  if (arg === undefined) return undefined;
  if (fields.includes(arg)) return arg;
  const mapped = FIELD_OF_ARG[arg];
  return mapped !== undefined && fields.includes(mapped) ? mapped : undefined;
}
