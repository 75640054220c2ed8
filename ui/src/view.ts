// Maps the vault status to what the start screen shows. Pure: no DOM.

import { UI_ERROR_CODES, type CommandError, type Outcome, type VaultStatus } from "./api";
import type { MessageKey, Translator } from "./i18n";

export type StatusKind = "loading" | "missing" | "locked" | "unlocked" | "error";

export interface Field {
  label: string;
  value: string;
  testid: string;
}

export interface StatusView {
  kind: StatusKind;
  title: string;
  /** A calm explanation (missing, locked) or the translated error. */
  detail: string;
  /** The vault path, when known. */
  path?: string;
  /** Extra facts: vault id and format for a locked vault. */
  fields: Field[];
  /** The error code, for errors only. */
  errorCode?: string;
  /** "Código: …" line, for errors only. */
  codeLine?: string;
}

/** The translated message for a command error. */
export function errorMessage(error: CommandError, tr: Translator): string {
  if (error.code === UI_ERROR_CODES.ipc || error.code === UI_ERROR_CODES.noBackend) {
    return tr.error(error.code, error.args, tr.t("error.unexpected", { message: error.message }));
  }
  // Unknown codes fall back to the backend's English text rather than nothing.
  return tr.error(error.code, error.args, error.message);
}

/** A role identifier (`administrator`) as the UI names it. */
export function roleName(role: string, tr: Translator): string {
  const key = `role.${role}` as MessageKey;
  const text = tr.t(key);
  return text === key ? role : text;
}

export function describeStatus(outcome: Outcome<VaultStatus> | undefined, tr: Translator): StatusView {
  if (outcome === undefined) {
    return { kind: "loading", title: tr.t("status.loading"), detail: "", fields: [] };
  }
  if (!outcome.ok) {
    const { error } = outcome;
    return {
      kind: "error",
      title: tr.t("status.error.title"),
      detail: errorMessage(error, tr),
      path: error.args.path,
      fields: [],
      errorCode: error.code,
      codeLine: tr.t("status.error.code", { code: error.code }),
    };
  }
  const { path, probe } = outcome.value;
  switch (probe.state) {
    case "missing":
      return {
        kind: "missing",
        title: tr.t("status.missing.title"),
        detail: tr.t("status.missing.detail"),
        path,
        fields: [],
      };
    case "locked":
      return {
        kind: "locked",
        title: tr.t("status.locked.title"),
        detail: tr.t("status.locked.detail"),
        path,
        fields: [
          { label: tr.t("vault.id"), value: probe.vault_id, testid: "vault-id" },
          { label: tr.t("vault.format"), value: String(probe.format_version), testid: "vault-format" },
        ],
      };
    case "unlocked":
      return {
        kind: "unlocked",
        title: tr.t("status.unlocked.title"),
        detail: tr.t("status.unlocked.detail", { name: probe.me.name, role: roleName(probe.me.role, tr) }),
        path,
        fields: [
          { label: tr.t("vault.id"), value: probe.vault_id, testid: "vault-id" },
          { label: tr.t("vault.format"), value: String(probe.format_version), testid: "vault-format" },
        ],
      };
  }
  // A state added on the Rust side before this file learnt it.
  const state = (probe as { state: unknown }).state;
  return {
    kind: "error",
    title: tr.t("status.error.title"),
    detail: tr.t("error.unexpected", { message: `unknown vault state "${String(state)}"` }),
    path,
    fields: [],
    errorCode: "app.unknown_state",
    codeLine: tr.t("status.error.code", { code: "app.unknown_state" }),
  };
}
