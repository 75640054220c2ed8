// What every screen receives from the shell (main.ts).

import type { LockReason, MeView, VaultStatus } from "../api";
import type { Translator } from "../i18n";
import type { Route } from "../routes";

export interface Ctx {
  tr: Translator;
  /** The vault state at the last check. */
  status: VaultStatus;
  navigate(route: Route): void;
  /** Re-reads the vault state and shows the screen it calls for. */
  reload(): Promise<void>;
  /** After creating the vault: shows its recovery code, once. */
  showRecovery(code: string, me: MeView): void;
  /** Why the vault was last locked, for the unlock screen's notice. */
  lockedBecause?: LockReason;
  /** Who was signed in before the lock, kept in memory only, to prefill the name. */
  lastName?: string;
  idleMinutes: number;
  setIdleMinutes(minutes: number): void;
}

export type Screen = (ctx: Ctx) => HTMLElement;
