// Typed wrappers over the Tauri commands.
//
// The Rust types are the source of truth; these mirror them by hand:
//   VaultProbe    crates/relato-vault/src/store.rs
//   VaultStatus   src-tauri/src/service.rs
//   CommandError  src-tauri/src/error.rs
// Change both sides together.

import { invoke } from "@tauri-apps/api/core";

/** What `relato_vault::probe` found (`#[serde(tag = "state")]`). */
export type VaultProbe =
  | { state: "missing" }
  | { state: "locked"; vault_id: string; format_version: number };

/** The result of the `vault_status` command. */
export interface VaultStatus {
  /** The vault file, as shown to the user. */
  path: string;
  probe: VaultProbe;
}

/** Every command error: a stable code, an English message and template arguments. */
export interface CommandError {
  code: string;
  message: string;
  args: Record<string, string>;
}

/** Codes produced on this side of the boundary (no backend, IPC refused). */
export const UI_ERROR_CODES = { noBackend: "app.no_backend", ipc: "app.ipc" } as const;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CommandError };

function isCommandError(e: unknown): e is CommandError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === "string" && typeof o.message === "string" && typeof o.args === "object";
}

/** Turns whatever `invoke` rejected with into a `CommandError`. */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) {
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.args ?? {})) args[k] = String(v);
    return { code: e.code, message: e.message, args };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: UI_ERROR_CODES.ipc, message, args: { message } };
}

function hasBackend(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  if (!hasBackend()) {
    const message = "not running inside the Relato desktop app";
    return { ok: false, error: { code: UI_ERROR_CODES.noBackend, message, args: { message } } };
  }
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (e) {
    return { ok: false, error: toCommandError(e) };
  }
}

/** Where the vault is and what state it is in; never unlocks or changes it. */
export function vaultStatus(): Promise<Outcome<VaultStatus>> {
  return call<VaultStatus>("vault_status");
}
