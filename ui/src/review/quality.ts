// The interview-quality panel, computed after the fact (never shown while
// recording): talk time and share, interviewer turns in the free
// narrative, the prompt-type distribution, the share of invitations, the
// first option-posing or suggestive prompt and the longest uninterrupted
// child narrative. Every figure opens the list of segments it counts.

import { api, type QualityReport, type SegmentDoc } from "../api";
import { el } from "../dom";
import type { MessageKey } from "../i18n";
import type { ReviewCtx } from "./context";
import { codeDefinition, codeLabel, debounce, errorSlot, excerpt, latestOnly, PROMPT_CODES, segmentsByIds, showError, segmentSpeaker } from "./panel-common";
import { barPercent, figureSegments, formatPercent, hasFreeNarrative, promptTotal, type FigureId } from "./quality-model";
import { formatClock, formatPrecise } from "./time";
import "./panels.css";

/** Edits and codings come in bursts; recompute once they pause. */
const REFRESH_MS = 600;

export function mountQualityPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  const vocab = ctx.data.vocabulary;
  const promptLabel = (code: string) => codeLabel(vocab, "prompt-type", code, tr.locale);
  const cleanups: (() => void)[] = [];
  const requests = latestOnly();

  let report: QualityReport | null = null;
  /** The figure whose segments are listed (one at a time). */
  let open: FigureId | "uncounted" | null = null;

  const state = el("p", { class: "muted small", "data-testid": "quality-state", "aria-live": "polite" });
  const loadError = errorSlot("quality-error");
  const body = el("div", { class: "q-body", "data-testid": "quality-figures" });
  const refreshButton = el("button", { type: "button", class: "small", "data-testid": "quality-refresh" }, tr.t("quality.refresh"));

  /** A segment list item: time, speaker, words; a click shows it in the transcript. */
  const segmentItem = (s: SegmentDoc): HTMLElement => {
    const b = el(
      "button",
      { type: "button", class: "link q-seg", "data-testid": "quality-segment", "data-segment-id": s.id, title: `${formatPrecise(s.start_ms)} – ${formatPrecise(s.end_ms)}` },
      el("span", { class: "time" }, formatClock(s.start_ms)),
      el("span", { class: "muted small" }, segmentSpeaker(s, tr)),
      el("span", { class: "q-seg-text" }, excerpt(s.text, 100)),
    );
    b.addEventListener("click", () => ctx.focusSegment(s.id));
    return el("li", {}, b);
  };

  const segmentList = (ids: string[]): HTMLElement => {
    const found = segmentsByIds(ctx.transcript(), ids);
    const box = el("div", { class: "q-segments", "data-testid": "quality-segments" });
    if (found.length === 0) box.append(el("p", { class: "muted small" }, tr.t("quality.no_segments")));
    else box.append(el("p", { class: "muted small" }, tr.t("quality.segments_count", { n: found.length })), el("ol", { class: "q-seg-list" }, ...found.map(segmentItem)));
    return box;
  };

  /** The free-narrative turns, listed turn by turn. */
  const turnList = (r: QualityReport): HTMLElement => {
    const box = el("div", { class: "q-segments", "data-testid": "quality-segments" });
    const doc = ctx.transcript();
    if (r.free_narrative_interviewer_turns.turns.length === 0) box.append(el("p", { class: "muted small" }, tr.t("quality.no_segments")));
    r.free_narrative_interviewer_turns.turns.forEach((ids, i) => {
      box.append(el("p", { class: "q-turn muted small" }, tr.t("quality.turn_n", { n: i + 1 })), el("ol", { class: "q-seg-list" }, ...segmentsByIds(doc, ids).map(segmentItem)));
    });
    return box;
  };

  const toggle = (id: FigureId | "uncounted") => {
    open = open === id ? null : id;
    render();
  };

  /** One figure: label with its explanation, value (a button listing the segments), extra text. */
  const figure = (
    id: FigureId,
    labelKey: MessageKey,
    explainKey: MessageKey,
    value: HTMLElement,
    extra: (Node | string)[] = [],
  ): HTMLElement => {
    const explain = tr.t(explainKey);
    value.setAttribute("aria-expanded", String(open === id));
    value.setAttribute("aria-describedby", `q-explain-${id}`);
    value.addEventListener("click", () => toggle(id));
    const box = el(
      "div",
      { class: `q-figure${open === id ? " open" : ""}`, "data-figure": id },
      el("div", { class: "q-label", title: explain }, tr.t(labelKey), el("span", { class: "q-info", "aria-hidden": "true" }, " ⓘ")),
      el("div", { class: "q-value-row" }, value, ...extra),
      el("p", { class: "q-explain", id: `q-explain-${id}`, hidden: "" }, explain),
    );
    if (open === id && report) box.append(id === "turns" ? turnList(report) : segmentList(figureSegments(report, id)));
    return box;
  };

  const valueButton = (testid: string, text: string, attrs: Record<string, string> = {}) =>
    el("button", { type: "button", class: "link q-value", "data-testid": testid, ...attrs }, text);

  const render = () => {
    if (!report) return;
    const r = report;
    const figures: HTMLElement[] = [];

    // Talk.
    figures.push(
      figure("child", "quality.child", "quality.child_explain", valueButton("quality-child-ms", formatClock(r.child.ms), { "data-ms": String(r.child.ms) }), [
        el("span", { class: "muted", "data-testid": "quality-child-words", "data-words": String(r.child.words) }, tr.t("quality.words", { n: r.child.words })),
      ]),
      figure(
        "interviewer",
        "quality.interviewer",
        "quality.interviewer_explain",
        valueButton("quality-interviewer-ms", formatClock(r.interviewer.ms), { "data-ms": String(r.interviewer.ms) }),
        [el("span", { class: "muted", "data-testid": "quality-interviewer-words", "data-words": String(r.interviewer.words) }, tr.t("quality.words", { n: r.interviewer.words }))],
      ),
    );
    if (r.other.ms > 0 || r.other.segment_ids.length > 0) {
      figures.push(
        figure("other", "quality.other", "quality.other_explain", valueButton("quality-other-ms", formatClock(r.other.ms), { "data-ms": String(r.other.ms) }), [
          el("span", { class: "muted" }, tr.t("quality.words", { n: r.other.words })),
        ]),
      );
    }
    const share = r.child_share_of_talk;
    const shareBar = el("div", { class: "q-bar q-share-bar", "aria-hidden": "true" }, el("div", { class: "q-bar-fill child" }));
    (shareBar.firstElementChild as HTMLElement).style.width = `${barPercent(share ?? 0, 1)}%`;
    figures.push(
      figure("share", "quality.share", "quality.share_explain", valueButton("quality-child-share", formatPercent(share), { "data-share": share === null ? "" : String(share) }), [shareBar]),
    );

    // Free-narrative turns.
    const turnsExtra: (Node | string)[] = [];
    if (!hasFreeNarrative(ctx.data.phases)) turnsExtra.push(el("span", { class: "muted small", "data-testid": "quality-no-free-narrative" }, tr.t("quality.no_free_narrative")));
    figures.push(
      figure(
        "turns",
        "quality.turns",
        "quality.turns_explain",
        valueButton("quality-free-narrative-turns", String(r.free_narrative_interviewer_turns.count), { "data-count": String(r.free_narrative_interviewer_turns.count) }),
        turnsExtra,
      ),
    );

    // Prompt types.
    const total = promptTotal(r);
    const types = el("div", { class: "q-types", "data-testid": "quality-prompt-types" });
    const byKind = new Map(r.prompt_types.map((p) => [p.kind, p] as const));
    // The six kinds in the panel's order, then any kind the backend adds later.
    const kinds = [...PROMPT_CODES, ...r.prompt_types.map((p) => p.kind).filter((k) => !(PROMPT_CODES as readonly string[]).includes(k))];
    for (const kind of kinds) {
      const count = byKind.get(kind)?.count ?? 0;
      const id: FigureId = `prompt-${kind}`;
      const bar = el("div", { class: "q-bar", "aria-hidden": "true" }, el("div", { class: `q-bar-fill kind-${kind}` }));
      (bar.firstElementChild as HTMLElement).style.width = `${barPercent(count, total)}%`;
      const value = valueButton(`quality-prompt-${kind}`, String(count), { "data-count": String(count), title: formatPercent(total ? count / total : null) });
      value.setAttribute("aria-expanded", String(open === id));
      value.addEventListener("click", () => toggle(id));
      const line = el(
        "div",
        { class: `q-type${open === id ? " open" : ""}`, "data-kind": kind },
        el("span", { class: "q-type-label", title: codeDefinition(vocab, "prompt-type", kind, tr.locale) }, promptLabel(kind)),
        bar,
        value,
      );
      types.append(line);
      if (open === id) types.append(segmentList(figureSegments(r, id)));
    }
    const typesFigure = el(
      "div",
      { class: "q-figure", "data-figure": "prompt-types" },
      el("div", { class: "q-label", title: tr.t("quality.types_explain") }, tr.t("quality.types", { n: total }), el("span", { class: "q-info", "aria-hidden": "true" }, " ⓘ")),
      types,
    );
    figures.push(typesFigure);

    const inv = r.invitation_share;
    figures.push(
      figure(
        "invitations",
        "quality.invitations",
        "quality.invitations_explain",
        valueButton("quality-invitation-share", formatPercent(inv.share), { "data-share": inv.share === null ? "" : String(inv.share) }),
        [el("span", { class: "muted" }, tr.t("quality.invitations_of", { n: inv.invitations, total: inv.prompts }))],
      ),
    );

    // First option-posing or suggestive prompt: one segment, so a click goes straight to it.
    const first = r.first_option_posing_or_suggestive;
    const firstBox = el(
      "div",
      { class: "q-figure", "data-figure": "first-leading" },
      el("div", { class: "q-label", title: tr.t("quality.first_leading_explain") }, tr.t("quality.first_leading"), el("span", { class: "q-info", "aria-hidden": "true" }, " ⓘ")),
    );
    if (first) {
      const go = el(
        "button",
        { type: "button", class: "link q-value q-first", "data-testid": "quality-first-leading", "data-ms": String(first.time_ms), "data-segment-id": first.segment_id, "data-kind": first.kind },
        el("span", { class: "time" }, formatClock(first.time_ms)),
        " ",
        el("strong", {}, promptLabel(first.kind)),
        " ",
        el("span", { class: "q-seg-text" }, `«${excerpt(first.text, 100)}»`),
      );
      go.addEventListener("click", () => ctx.focusSegment(first.segment_id));
      firstBox.append(go);
    } else {
      firstBox.append(el("p", { class: "q-value muted", "data-testid": "quality-first-leading", "data-ms": "" }, tr.t("quality.first_leading_none")));
    }
    figures.push(firstBox);

    const longest = r.longest_child_narrative;
    if (longest) {
      figures.push(
        figure(
          "longest",
          "quality.longest",
          "quality.longest_explain",
          valueButton("quality-longest-narrative", formatClock(longest.ms), { "data-ms": String(longest.ms), "data-start-ms": String(longest.start_ms) }),
          [el("span", { class: "muted" }, tr.t("quality.longest_span", { start: formatClock(longest.start_ms), end: formatClock(longest.end_ms) }))],
        ),
      );
    } else {
      figures.push(
        el(
          "div",
          { class: "q-figure", "data-figure": "longest" },
          el("div", { class: "q-label", title: tr.t("quality.longest_explain") }, tr.t("quality.longest"), el("span", { class: "q-info", "aria-hidden": "true" }, " ⓘ")),
          el("p", { class: "q-value muted", "data-testid": "quality-longest-narrative", "data-ms": "" }, tr.t("quality.longest_none")),
        ),
      );
    }

    // Classifications left out of the counts, so none disappears unnoticed.
    if (r.uncounted_prompt_annotations.length > 0) {
      const warn = el(
        "button",
        { type: "button", class: "link", "data-testid": "quality-uncounted", "aria-expanded": String(open === "uncounted") },
        tr.t("quality.uncounted", { n: r.uncounted_prompt_annotations.length }),
      );
      warn.addEventListener("click", () => toggle("uncounted"));
      const box = el("div", { class: "notice warn small", title: tr.t("quality.uncounted_explain") }, warn);
      if (open === "uncounted") {
        const items = r.uncounted_prompt_annotations.map((id) => {
          const a = ctx.annotations().find((x) => x.id === id);
          const b = el("button", { type: "button", class: "link small", "data-annotation-id": id }, a ? `${formatClock(a.start_ms)} · ${promptLabel(a.code)}` : id);
          b.addEventListener("click", () => ctx.focusAnnotation(id));
          return el("li", {}, b);
        });
        box.append(el("ul", { class: "q-seg-list" }, ...items));
      }
      figures.push(box);
    }

    // The explanations again, readable without hovering (tooltips need a mouse).
    const about = el("details", { class: "q-about" }, el("summary", {}, tr.t("quality.about")));
    const dl = el("dl", {});
    for (const [k, e] of EXPLANATIONS) dl.append(el("dt", {}, tr.t(k)), el("dd", {}, tr.t(e)));
    about.append(dl, el("p", { class: "muted small" }, tr.t("quality.basis")));

    body.replaceChildren(...figures, about);
  };

  const refresh = async () => {
    const ticket = requests.next();
    state.textContent = tr.t("quality.computing");
    refreshButton.disabled = true;
    const r = await api.qualityReport(ctx.sessionId, ctx.transcript());
    if (!requests.isCurrent(ticket)) return;
    state.textContent = "";
    refreshButton.disabled = false;
    if (!r.ok) {
      // The last figures stay visible under the error, marked as stale.
      showError(loadError, r.error, tr);
      body.classList.add("stale");
      return;
    }
    showError(loadError, undefined, tr);
    body.classList.remove("stale");
    report = r.value;
    render();
  };
  const refreshSoon = debounce(() => void refresh(), REFRESH_MS);
  refreshButton.addEventListener("click", () => {
    refreshSoon.cancel();
    void refresh();
  });

  host.replaceChildren(
    el(
      "div",
      { class: "panel quality-panel", "data-testid": "quality-panel" },
      el("p", { class: "hint" }, tr.t("quality.intro")),
      el("div", { class: "panel-toolbar" }, refreshButton, state),
      loadError,
      body,
    ),
  );
  void refresh();
  cleanups.push(ctx.on("transcript-changed", refreshSoon), ctx.on("annotations-changed", refreshSoon), refreshSoon.cancel);

  return () => {
    for (const c of cleanups) c();
    requests.next();
    host.replaceChildren();
  };
}

const EXPLANATIONS: [MessageKey, MessageKey][] = [
  ["quality.child", "quality.child_explain"],
  ["quality.interviewer", "quality.interviewer_explain"],
  ["quality.share", "quality.share_explain"],
  ["quality.turns", "quality.turns_explain"],
  ["quality.types_plain", "quality.types_explain"],
  ["quality.invitations", "quality.invitations_explain"],
  ["quality.first_leading", "quality.first_leading_explain"],
  ["quality.longest", "quality.longest_explain"],
];
