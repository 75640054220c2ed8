// The Search panel: words in the transcript (as edited, saved or not) and
// in annotation notes, ignoring case and accents (the backend folds both
// sides). One result per segment or note, every match in it highlighted;
// a click shows it in the transcript or on the waveform.

import { api, type SearchMatch } from "../api";
import { el } from "../dom";
import type { ReviewCtx } from "./context";
import { codeLabel, debounce, errorSlot, latestOnly, segmentById, showError, segmentSpeaker } from "./panel-common";
import { aroundFirstMatch, groupMatches, highlightParts, type MatchGroup, type TextPart } from "./search-model";
import { formatClock } from "./time";
import "./panels.css";

/** Typing pauses this long before the vault is asked. */
const TYPING_MS = 250;

export function mountSearchPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  const cleanups: (() => void)[] = [];
  const requests = latestOnly();
  let matches: SearchMatch[] = [];
  let searched = "";

  const input = el("input", {
    type: "search",
    "data-testid": "search-input",
    placeholder: tr.t("search.placeholder"),
    "aria-label": tr.t("search.label"),
    autocomplete: "off",
    spellcheck: "false",
  });
  const count = el("p", { class: "panel-count", "data-testid": "search-count", "aria-live": "polite" });
  const error = errorSlot("search-error");
  const list = el("ul", { class: "panel-rows search-list", "data-testid": "search-results" });

  const partsNode = (parts: TextPart[]): HTMLElement =>
    el("span", { class: "search-text" }, ...parts.map((p) => (p.match ? el("mark", {}, p.text) : p.text)));

  const result = (g: MatchGroup): HTMLElement | null => {
    const t = g.target;
    if (t.kind === "segment") {
      const s = segmentById(ctx.transcript(), t.segment_id);
      // A segment deleted since the search: the next search drops it.
      if (!s) return null;
      const b = el(
        "button",
        { type: "button", class: "search-hit", "data-testid": "search-result", "data-kind": "segment", "data-segment-id": s.id, "data-matches": String(g.ranges.length) },
        el("span", { class: "search-meta" }, el("span", { class: "time" }, formatClock(s.start_ms)), " ", el("span", { class: "muted small" }, segmentSpeaker(s, tr))),
        partsNode(aroundFirstMatch(highlightParts(s.text, g.ranges))),
      );
      b.addEventListener("click", () => ctx.focusSegment(s.id));
      return el("li", { class: "search-item" }, b);
    }
    const a = ctx.annotations().find((x) => x.id === t.annotation_id);
    if (!a || a.note === null) return null;
    const b = el(
      "button",
      { type: "button", class: "search-hit", "data-testid": "search-result", "data-kind": "annotation_note", "data-annotation-id": a.id, "data-matches": String(g.ranges.length) },
      el(
        "span",
        { class: "search-meta" },
        el("span", { class: "time" }, formatClock(a.start_ms)),
        " ",
        el("span", { class: `muted small ann-tier-${a.tier}` }, `${tr.t("search.in_note")} · ${codeLabel(ctx.data.vocabulary, a.tier, a.code, tr.locale)}`),
      ),
      partsNode(aroundFirstMatch(highlightParts(a.note, g.ranges))),
    );
    b.addEventListener("click", () => ctx.focusAnnotation(a.id));
    return el("li", { class: "search-item" }, b);
  };

  const render = () => {
    if (searched === "") {
      count.textContent = "";
      list.replaceChildren();
      return;
    }
    const rows = groupMatches(matches)
      .map(result)
      .filter((r): r is HTMLElement => r !== null);
    count.textContent = rows.length === 0 ? tr.t("search.none", { query: searched }) : tr.t("search.count", { n: matches.length, places: rows.length });
    list.replaceChildren(...rows);
  };

  const run = async () => {
    const query = input.value;
    const ticket = requests.next();
    if (query.trim() === "") {
      searched = "";
      matches = [];
      showError(error, undefined, tr);
      return render();
    }
    const r = await api.searchSession(ctx.sessionId, query, ctx.transcript());
    if (!requests.isCurrent(ticket)) return;
    if (!r.ok) return showError(error, r.error, tr);
    showError(error, undefined, tr);
    searched = query.trim();
    matches = r.value;
    render();
  };
  const runSoon = debounce(() => void run(), TYPING_MS);

  input.addEventListener("input", runSoon);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      runSoon.cancel();
      void run().then(() => list.querySelector<HTMLElement>("[data-testid=search-result]")?.focus());
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      list.querySelector<HTMLElement>("[data-testid=search-result]")?.focus();
    }
  });
  // Up and down move between results without leaving the keyboard.
  list.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const hits = [...list.querySelectorAll<HTMLElement>("[data-testid=search-result]")];
    const i = hits.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === "ArrowUp" && i === 0) return input.focus();
    hits[Math.min(hits.length - 1, e.key === "ArrowDown" ? i + 1 : i - 1)]?.focus();
  });

  host.replaceChildren(
    el("div", { class: "panel search-panel", "data-testid": "search-panel" }, el("p", { class: "hint" }, tr.t("search.intro")), input, error, count, list),
  );

  cleanups.push(
    // Edited text: the ranges are stale; search again once typing pauses.
    ctx.on("transcript-changed", () => {
      if (searched !== "") runSoon();
    }),
    ctx.on("annotations-changed", () => {
      if (searched !== "") runSoon();
    }),
    runSoon.cancel,
  );
  return () => {
    for (const c of cleanups) c();
    requests.next();
    host.replaceChildren();
  };
}
