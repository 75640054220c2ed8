// Tells the app whether the review holds transcript edits not yet saved as
// a revision, so that closing the window asks the reviewer first (save,
// discard or stay) instead of losing the typing (src-tauri lib.rs). Only
// changes cross to Rust. Once the app has taken the latest state, the root
// element's `data-close-guard` says so ("unsaved" or "clear"): a close
// before that could still go through unasked.

import { commands } from "../bindings";

let told = false;
let latest = 0;

export function markUnsaved(unsaved: boolean): void {
  if (unsaved === told) return;
  told = unsaved;
  const request = ++latest;
  delete document.documentElement.dataset.closeGuard;
  void commands
    .reviewMarkUnsaved(unsaved)
    .then(() => {
      if (request === latest) document.documentElement.dataset.closeGuard = unsaved ? "unsaved" : "clear";
    })
    .catch(() => undefined);
}
