// The Custody panel: the case chain's lines about this session — its
// creation, recordings, listening, transcript and annotation revisions, and
// the case's hand-overs — oldest first, as the vault signed them. Listening
// ranges seek the player. Read-only by nature.

import { api } from "../api";
import { custodyList } from "../custody-list";
import { el } from "../dom";
import type { ReviewCtx } from "./context";
import { errorSlot, latestOnly, showError } from "./panel-common";
import "./panels.css";

export function mountCustodyPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  const cleanups: (() => void)[] = [];
  const requests = latestOnly();
  const lines = custodyList(tr, { playback: { recordingId: ctx.data.recording_id, seek: (ms) => ctx.seek(ms) } });

  const refreshButton = el("button", { type: "button", class: "small", "data-testid": "custody-refresh" }, tr.t("custody.refresh"));
  const state = el("p", { class: "muted small", "data-testid": "custody-state", "aria-live": "polite" });
  const error = errorSlot("custody-error");

  const refresh = async () => {
    const ticket = requests.next();
    state.textContent = tr.t("common.loading");
    refreshButton.disabled = true;
    const r = await api.sessionCustody(ctx.sessionId);
    if (!requests.isCurrent(ticket)) return;
    state.textContent = "";
    refreshButton.disabled = false;
    if (!r.ok) return showError(error, r.error, tr);
    showError(error, undefined, tr);
    lines.show(r.value);
  };

  refreshButton.addEventListener("click", () => void refresh());

  host.replaceChildren(
    el(
      "div",
      { class: "panel custody-panel", "data-testid": "custody-panel" },
      el(
        "p",
        { class: "hint" },
        `${tr.t("custody.intro")} `,
        el("a", { href: `#/cases/${encodeURIComponent(ctx.data.session.case_id)}/custody`, "data-testid": "custody-whole-case" }, tr.t("custody.whole_case")),
      ),
      el("div", { class: "panel-toolbar" }, lines.filter, refreshButton, state),
      error,
      lines.count,
      lines.list,
    ),
  );
  void refresh();
  cleanups.push(
    ctx.on("transcript-saved", () => void refresh()),
    ctx.on("annotations-changed", () => void refresh()),
  );
  return () => {
    for (const c of cleanups) c();
    requests.next();
    host.replaceChildren();
  };
}
