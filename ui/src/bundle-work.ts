// A long piece of bundle work (an export, a reception) owns the vault
// while it runs: a lock asked for meanwhile waits until it ends (main.ts),
// and the window refuses to close (src-tauri lib.rs), which the screen
// running it says. One tracker per kind of work.

import { onCloseRefused } from "./api";

export interface BundleWork {
  isRunning(): boolean;
  /** Runs `then` when the work ends (at once if it is not running); the latest request wins. */
  whenDone(then: () => void): void;
  /** Whether something waits for the end (the screen says the lock will follow). */
  hasWaiter(): boolean;
  /**
   * Runs `work`, telling the screen through `show` when something starts
   * waiting for it or a close is refused; then runs whoever waited.
   */
  run<T>(work: () => Promise<T>, show: { waiting(): void; closeRefused(): void }): Promise<T>;
}

let closeListening = false;
const trackers: { running: () => boolean; closeRefused: () => void }[] = [];

async function listenForRefusedClose(): Promise<void> {
  if (closeListening) return;
  closeListening = true;
  await onCloseRefused(() => {
    for (const t of trackers) if (t.running()) t.closeRefused();
  }).catch(() => undefined);
}

export function bundleWork(): BundleWork {
  let running = false;
  let after: (() => void) | undefined;
  let onWaiting: (() => void) | undefined;
  let onCloseRefusedNow: (() => void) | undefined;
  trackers.push({ running: () => running, closeRefused: () => onCloseRefusedNow?.() });
  return {
    isRunning: () => running,
    hasWaiter: () => after !== undefined,
    whenDone(then) {
      if (!running) return then();
      after = then;
      onWaiting?.();
    },
    async run(work, show) {
      running = true;
      void listenForRefusedClose();
      onWaiting = show.waiting;
      onCloseRefusedNow = show.closeRefused;
      try {
        return await work();
      } finally {
        running = false;
        onWaiting = undefined;
        onCloseRefusedNow = undefined;
        const then = after;
        after = undefined;
        // After the screen has shown the result (this turn of the loop).
        if (then) setTimeout(then, 0);
      }
    },
  };
}
