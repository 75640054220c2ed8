// Tells the app whether the review holds transcript edits not yet saved as
// a revision, so that closing the window asks the reviewer first (save,
// discard or stay) instead of losing the typing (src-tauri lib.rs). Only
// changes cross to Rust.

import { commands } from "../bindings";

let told = false;

export function markUnsaved(unsaved: boolean): void {
  if (unsaved === told) return;
  told = unsaved;
  void commands.reviewMarkUnsaved(unsaved).catch(() => undefined);
}
