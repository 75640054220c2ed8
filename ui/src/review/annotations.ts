// The Annotations panel: code a span (or a point) in one of the three
// tiers, comment on another annotation, and browse, revise, delete and
// audit the session's annotations. Every save is a new sealed revision;
// a deletion is one too, so the history stays readable.

import { api, type AnnotationView, type CommandError } from "../api";
import { groupHash } from "../capture";
import { el, formatDate } from "../dom";
import {
  buildAnnotationInput,
  commentsOn,
  filterAnnotations,
  promptSegmentFor,
  withSaved,
  without,
  type AnnotationFilter,
  type FormField,
} from "./annotations-model";
import type { ReviewCtx, Selection } from "./context";
import {
  codeLabel,
  codesOfTier,
  debounce,
  errorSlot,
  excerpt,
  findCode,
  isTier,
  segmentById,
  showError,
  spanText,
  segmentSpeaker,
  TIERS,
  tierName,
  type TierId,
} from "./panel-common";
import { formatClock, formatPrecise } from "./time";
import { vocabularyForm } from "./vocabulary";
import { codeChoiceText, codeTooltip } from "./vocabulary-model";
import "./panels.css";

/** How often the "point at the playhead" line follows playback. */
const PLAYHEAD_TICK_MS = 300;
/** Transcript edits arrive per keystroke. */
const TRANSCRIPT_REDRAW_MS = 500;

export function mountAnnotationsPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  // Administrators may add codes here: the list then changes in place.
  const vocab = ctx.data.vocabulary;
  const label = (a: { tier: string; code: string }) => codeLabel(vocab, a.tier, a.code, tr.locale);
  const addedTag = tr.t("vocab.added_tag");
  /** The definition, and "(added)" for a code an administrator added. */
  const tooltip = (tier: string, code: string) => codeTooltip(findCode(vocab, tier, code), tr.locale, addedTag);
  const cleanups: (() => void)[] = [];

  // ---- the form ------------------------------------------------------------

  let editing: AnnotationView | null = null;
  let span: Selection | null = ctx.selection();
  let targetId: string | null = null;

  const heading = el("h3", { class: "panel-sub", "data-testid": "annotation-form-heading" });
  // Not a live region: it follows the playhead several times a second.
  const spanLine = el("p", { class: "ann-span", "data-testid": "annotation-span" });
  const useSelection = el("button", { type: "button", class: "small", "data-testid": "annotation-use-selection" }, tr.t("annotations.use_selection"));
  const usePlayhead = el("button", { type: "button", class: "small", "data-testid": "annotation-use-playhead" }, tr.t("annotations.use_playhead"));

  const tierSelect = el("select", { id: "annotation-tier", "data-testid": "annotation-tier" });
  for (const t of TIERS) tierSelect.append(el("option", { value: t }, tierName(t, tr)));
  const codeSelect = el("select", { id: "annotation-code", "data-testid": "annotation-code", "aria-describedby": "annotation-definition" });
  const definitionLine = el("p", { class: "hint", id: "annotation-definition", "data-testid": "annotation-definition" });
  const targetLine = el("p", { class: "ann-target-line", "data-testid": "annotation-target", hidden: "" });
  const noteLabelText = el("span", {});
  const noteLabel = el("label", { for: "annotation-note" }, noteLabelText);
  const note = el("textarea", { id: "annotation-note", rows: "3", "data-testid": "annotation-note" });
  const formError = errorSlot("annotation-error");
  const cancel = el("button", { type: "button", "data-testid": "annotation-cancel", hidden: "" }, tr.t("annotations.cancel"));
  const save = el("button", { type: "button", class: "primary", "data-testid": "annotation-save" }, tr.t("annotations.save"));

  const fieldOf: Record<FormField, HTMLElement> = { code: codeSelect, note, span: spanLine, target: targetLine };

  const tier = (): TierId => (isTier(tierSelect.value) ? tierSelect.value : "indicators");

  const fillCodes = (keep: string) => {
    const t = tier();
    const codes = codesOfTier(vocab, t);
    codeSelect.replaceChildren();
    if (t !== "notes") codeSelect.append(el("option", { value: "" }, tr.t("annotations.choose_code")));
    for (const c of codes) {
      codeSelect.append(
        el("option", { value: c.code, title: codeTooltip(c, tr.locale, addedTag), "data-added": c.added ? "true" : undefined }, codeChoiceText(c, tr.locale, addedTag)),
      );
    }
    codeSelect.value = codes.some((c) => c.code === keep) ? keep : t === "notes" ? (codes[0]?.code ?? "") : "";
    // The notes tier has a single code: nothing to choose.
    codeSelect.disabled = t === "notes";
    describeCode();
  };
  const describeCode = () => {
    const text = codeSelect.value ? tooltip(tier(), codeSelect.value) : "";
    definitionLine.textContent = text;
    definitionLine.hidden = text === "";
    codeSelect.title = text;
  };
  const describeNote = () => {
    noteLabelText.textContent = tr.t("annotations.note");
    noteLabel.querySelector(".optional")?.remove();
    noteLabel.append(el("span", { class: "optional" }, ` (${tr.t(tier() === "notes" ? "annotations.required" : "common.optional")})`));
    note.required = tier() === "notes";
  };

  const describeSpan = () => {
    const t = tier();
    const position = ctx.positionMs();
    spanLine.classList.remove("invalid");
    if (t === "prompt-type") {
      const found = promptSegmentFor(ctx.transcript(), span, position);
      if (found.ok) {
        const s = found.segment;
        spanLine.textContent = tr.t("annotations.span_segment", { time: spanText(s.start_ms, s.end_ms), text: excerpt(s.text, 80) });
      } else {
        spanLine.textContent = tr.t(found.problem.key);
        spanLine.classList.add("invalid");
      }
    } else if (span === null) {
      spanLine.textContent = tr.t("annotations.span_playhead", { time: formatClock(position) });
    } else if (span.start_ms === span.end_ms) {
      spanLine.textContent = tr.t("annotations.span_point", { time: formatClock(span.start_ms) });
    } else {
      spanLine.textContent = tr.t("annotations.span_range", { time: spanText(span.start_ms, span.end_ms) });
    }
    spanLine.title = span ? `${formatPrecise(span.start_ms)} – ${formatPrecise(span.end_ms)}` : "";
  };

  const describeTarget = () => {
    const target = targetId ? ctx.annotations().find((a) => a.id === targetId) : undefined;
    targetLine.hidden = targetId === null;
    if (targetId === null) return targetLine.replaceChildren();
    const clear = el("button", { type: "button", class: "link small", "data-testid": "annotation-target-clear" }, tr.t("annotations.target_clear"));
    clear.addEventListener("click", () => {
      targetId = null;
      describeTarget();
      refreshButtons();
    });
    const what = target ? `${label(target)} · ${spanText(target.start_ms, target.end_ms)}` : tr.t("annotations.target_gone");
    targetLine.replaceChildren(tr.t("annotations.target", { what }), " ", clear);
  };

  const refreshHeading = () => {
    heading.textContent = editing
      ? tr.t("annotations.editing", { rev: editing.rev })
      : targetId
        ? tr.t("annotations.new_comment")
        : tr.t("annotations.new");
  };
  const refreshButtons = () => {
    cancel.hidden = editing === null && targetId === null;
    save.textContent = tr.t(editing ? "annotations.save_revision" : "annotations.save");
    refreshHeading();
  };

  const clearProblems = () => {
    showError(formError, undefined, tr);
    delete formError.dataset.problem;
    for (const f of Object.values(fieldOf)) {
      f.classList.remove("invalid");
      f.removeAttribute("aria-invalid");
    }
  };

  const resetForm = () => {
    editing = null;
    targetId = null;
    note.value = "";
    span = ctx.selection();
    clearProblems();
    describeTarget();
    describeSpan();
    refreshButtons();
    renderList();
  };

  /** Puts an annotation in the form for a new revision. */
  const edit = (a: AnnotationView) => {
    editing = a;
    targetId = a.target_id;
    span = { start_ms: a.start_ms, end_ms: a.end_ms, segment_id: a.segment_id };
    tierSelect.value = a.tier;
    fillCodes(a.code);
    note.value = a.note ?? "";
    showForm(a.tier === "notes" ? note : codeSelect);
  };

  /** Starts a note about `a`, over the same span. */
  const commentOn = (a: AnnotationView) => {
    editing = null;
    targetId = a.id;
    span = { start_ms: a.start_ms, end_ms: a.end_ms, segment_id: a.segment_id };
    tierSelect.value = "notes";
    fillCodes("");
    showForm(note);
  };

  /** Shows the form as just filled in, and puts the keyboard in `focus`. */
  const showForm = (focus: HTMLElement) => {
    describeNote();
    clearProblems();
    describeTarget();
    describeSpan();
    refreshButtons();
    renderList();
    form.scrollIntoView({ block: "nearest" });
    focus.focus();
  };

  tierSelect.addEventListener("change", () => {
    fillCodes(codeSelect.value);
    describeNote();
    describeSpan();
    clearProblems();
    // Only notes comment on annotations.
    if (tier() !== "notes" && targetId !== null && editing === null) {
      targetId = null;
      describeTarget();
      refreshButtons();
    }
  });
  codeSelect.addEventListener("change", () => {
    describeCode();
    codeSelect.classList.remove("invalid");
    showError(formError, undefined, tr);
  });
  note.addEventListener("input", () => {
    note.classList.remove("invalid");
    showError(formError, undefined, tr);
  });
  useSelection.addEventListener("click", () => {
    span = ctx.selection();
    describeSpan();
  });
  // Back to "a point wherever the playhead is when saving".
  usePlayhead.addEventListener("click", () => {
    span = null;
    describeSpan();
  });
  cancel.addEventListener("click", resetForm);

  const submit = async () => {
    if (save.disabled) return;
    clearProblems();
    status.textContent = "";
    const built = buildAnnotationInput(
      { tier: tier(), code: codeSelect.value, note: note.value, span, playheadMs: ctx.positionMs(), targetId },
      ctx.transcript(),
      vocab,
      ctx.annotations(),
      editing?.id ?? null,
    );
    if (!built.ok) {
      formError.textContent = tr.t(built.problem.key);
      formError.hidden = false;
      formError.dataset.problem = built.problem.key;
      const f = fieldOf[built.problem.field];
      f.classList.add("invalid");
      f.setAttribute("aria-invalid", "true");
      return;
    }
    save.disabled = true;
    const r = await api.saveAnnotation(ctx.sessionId, editing?.id ?? null, built.input);
    save.disabled = false;
    if (!r.ok) {
      // The form keeps everything typed, so the reviewer can retry.
      showError(formError, r.error, tr);
      return;
    }
    const keepTier = tierSelect.value;
    const keepCode = codeSelect.value;
    ctx.setAnnotations(withSaved(ctx.annotations(), r.value));
    resetForm();
    // The next span is often coded the same way: keep the tier and code.
    tierSelect.value = keepTier;
    fillCodes(keepCode);
    describeNote();
    describeSpan();
    status.textContent = tr.t("annotations.saved", { what: label(r.value), rev: r.value.rev });
  };
  save.addEventListener("click", () => void submit());

  const status = el("p", { class: "panel-status", role: "status", "data-testid": "annotation-status" });

  const form = el(
    "section",
    { class: "panel-form", "data-testid": "annotation-form" },
    heading,
    el("div", { class: "ann-span-row" }, spanLine, el("div", { class: "ann-span-buttons" }, useSelection, usePlayhead)),
    el(
      "div",
      { class: "panel-grid" },
      el("div", { class: "field" }, el("label", { for: "annotation-tier" }, tr.t("annotations.tier")), tierSelect),
      el("div", { class: "field" }, el("label", { for: "annotation-code" }, tr.t("annotations.code")), codeSelect),
    ),
    definitionLine,
    targetLine,
    el("div", { class: "field" }, noteLabel, note),
    formError,
    el("div", { class: "actions" }, cancel, save),
    status,
  );

  // ---- the list ------------------------------------------------------------

  const filterTier = el("select", { "data-testid": "annotation-filter-tier", "aria-label": tr.t("annotations.filter_tier") });
  filterTier.append(el("option", { value: "all" }, tr.t("annotations.all_tiers")));
  for (const t of TIERS) filterTier.append(el("option", { value: t }, tierName(t, tr)));
  const filterText = el("input", {
    type: "search",
    "data-testid": "annotation-filter",
    placeholder: tr.t("annotations.filter_placeholder"),
    "aria-label": tr.t("annotations.filter"),
  });
  const count = el("p", { class: "panel-count", "data-testid": "annotation-count", "aria-live": "polite" });
  const list = el("ul", { class: "panel-rows ann-list", "data-testid": "annotation-list" });

  /** Opened histories: the revisions once loaded, or the error. */
  const histories = new Map<string, AnnotationView[] | CommandError | "loading">();
  let confirming: string | null = null;

  const currentFilter = (): AnnotationFilter => ({
    tier: filterTier.value === "all" || !isTier(filterTier.value) ? "all" : filterTier.value,
    text: filterText.value,
  });

  function renderList(): void {
    const all = ctx.annotations();
    const shown = filterAnnotations(all, currentFilter(), label);
    count.textContent =
      shown.length === all.length ? tr.t("annotations.count", { n: all.length }) : tr.t("annotations.count_filtered", { n: shown.length, total: all.length });
    list.replaceChildren(...shown.map((a) => row(a, all)));
    if (shown.length === 0) {
      list.append(el("li", { class: "panel-empty muted" }, tr.t(all.length === 0 ? "annotations.empty" : "annotations.none_match")));
    }
  }

  function row(a: AnnotationView, all: AnnotationView[]): HTMLElement {
    const time = el(
      "button",
      { type: "button", class: "link time", "data-testid": "annotation-time", title: `${formatPrecise(a.start_ms)} – ${formatPrecise(a.end_ms)}` },
      spanText(a.start_ms, a.end_ms),
    );
    time.addEventListener("click", () => ctx.focusAnnotation(a.id));
    const def = tooltip(a.tier, a.code);
    const head = el(
      "div",
      { class: "ann-head" },
      el("span", { class: "tier-swatch", title: tierName(a.tier, tr), "aria-label": tierName(a.tier, tr) }),
      time,
      el("span", { class: "ann-code", "data-testid": "annotation-code-label", title: def }, label(a)),
      el("span", { class: "muted small" }, tierName(a.tier, tr)),
    );
    const item = el(
      "li",
      {
        class: `ann-row ann-tier-${a.tier}${editing?.id === a.id ? " editing" : ""}`,
        "data-testid": "annotation-row",
        "data-annotation-id": a.id,
        "data-code": a.code,
        "data-tier": a.tier,
      },
      head,
    );
    const segment = segmentById(ctx.transcript(), a.segment_id);
    if (segment) {
      const go = el("button", { type: "button", class: "link small ann-segment", "data-testid": "annotation-segment" }, `«${excerpt(segment.text, 90)}»`);
      go.addEventListener("click", () => ctx.focusSegment(segment.id));
      item.append(el("p", { class: "ann-about" }, el("span", { class: "muted small" }, `${segmentSpeaker(segment, tr)}: `), go));
    }
    if (a.note) item.append(el("p", { class: "ann-note", "data-testid": "annotation-note-text" }, a.note));
    if (a.target_id) {
      const target = all.find((t) => t.id === a.target_id);
      if (target) {
        const go = el("button", { type: "button", class: "link small" }, `${label(target)} · ${spanText(target.start_ms, target.end_ms)}`);
        go.addEventListener("click", () => ctx.focusAnnotation(target.id));
        item.append(el("p", { class: "ann-about muted small" }, tr.t("annotations.about"), " ", go));
      } else {
        item.append(el("p", { class: "ann-about muted small" }, tr.t("annotations.about_gone")));
      }
    }
    const comments = commentsOn(all, a.id).length;
    item.append(
      el(
        "p",
        { class: "ann-meta muted small" },
        tr.t("annotations.meta", { rev: a.rev, author: a.author, date: formatDate(a.saved_at, tr.locale) }),
        comments ? ` · ${tr.t("annotations.comments", { n: comments })}` : "",
      ),
    );

    const actions = el("div", { class: "row-actions" });
    if (ctx.mayEdit) {
      const editButton = el("button", { type: "button", class: "small", "data-testid": "annotation-edit" }, tr.t("annotations.edit"));
      editButton.addEventListener("click", () => edit(a));
      const commentButton = el("button", { type: "button", class: "small", "data-testid": "annotation-comment" }, tr.t("annotations.comment"));
      commentButton.addEventListener("click", () => commentOn(a));
      const deleteButton = el("button", { type: "button", class: "small danger", "data-testid": "annotation-delete" }, tr.t("annotations.delete"));
      deleteButton.addEventListener("click", () => {
        confirming = a.id;
        renderList();
        list.querySelector<HTMLElement>(`[data-annotation-id="${CSS.escape(a.id)}"] [data-testid=annotation-delete-cancel]`)?.focus();
      });
      actions.append(editButton, commentButton, deleteButton);
    }
    const open = histories.has(a.id);
    const historyButton = el(
      "button",
      { type: "button", class: "small", "data-testid": "annotation-history", "aria-expanded": String(open) },
      tr.t(open ? "annotations.history_hide" : "annotations.history"),
    );
    historyButton.addEventListener("click", () => toggleHistory(a.id));
    actions.append(historyButton);
    item.append(actions);

    if (confirming === a.id) item.append(deleteConfirm(a));
    if (open) item.append(historyView(a.id));
    return item;
  }

  function deleteConfirm(a: AnnotationView): HTMLElement {
    const yes = el("button", { type: "button", class: "primary danger small", "data-testid": "annotation-delete-confirm" }, tr.t("annotations.delete_confirm"));
    const no = el("button", { type: "button", class: "small", "data-testid": "annotation-delete-cancel" }, tr.t("annotations.delete_cancel"));
    const error = errorSlot("annotation-delete-error");
    const box = el(
      "div",
      { class: "confirm", role: "alertdialog", "aria-label": tr.t("annotations.delete_question") },
      el("p", {}, tr.t("annotations.delete_question")),
      error,
      el("div", { class: "actions" }, no, yes),
    );
    no.addEventListener("click", () => {
      confirming = null;
      renderList();
    });
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      no.disabled = true;
      const r = await api.deleteAnnotation(ctx.sessionId, a.id);
      if (!r.ok) {
        yes.disabled = false;
        no.disabled = false;
        return showError(error, r.error, tr);
      }
      confirming = null;
      if (editing?.id === a.id) resetForm();
      ctx.setAnnotations(without(ctx.annotations(), a.id));
      status.textContent = tr.t("annotations.deleted", { what: label(a) });
      renderList();
    });
    return box;
  }

  function toggleHistory(id: string): void {
    if (histories.has(id)) {
      histories.delete(id);
      return renderList();
    }
    loadHistory(id);
  }

  function loadHistory(id: string): void {
    histories.set(id, "loading");
    renderList();
    void (async () => {
      const r = await api.annotationHistory(ctx.sessionId, id);
      // Closed meanwhile, or reopened and asked again: this answer is not wanted.
      if (histories.get(id) !== "loading") return;
      histories.set(id, r.ok ? r.value : r.error);
      renderList();
    })();
  }

  function historyView(id: string): HTMLElement {
    const state = histories.get(id);
    const box = el("div", { class: "ann-history", "data-testid": "annotation-history-list" });
    if (state === "loading" || state === undefined) {
      box.append(el("p", { class: "muted small" }, tr.t("common.loading")));
    } else if (!Array.isArray(state)) {
      const slot = errorSlot("annotation-history-error");
      showError(slot, state, tr);
      box.append(slot);
    } else {
      const revisions = el("ol", { class: "ann-revisions" });
      for (const r of state) {
        const what = `${label(r)} · ${spanText(r.start_ms, r.end_ms)}${r.note ? ` · «${excerpt(r.note, 80)}»` : ""}`;
        revisions.append(
          el(
            "li",
            { "data-testid": "annotation-revision", "data-rev": String(r.rev), "data-deleted": String(r.deleted) },
            el("div", {}, el("strong", {}, tr.t("annotations.rev", { rev: r.rev })), ` · ${formatDate(r.saved_at, tr.locale)} · ${r.author}`),
            el("div", { class: r.deleted ? "ann-deleted" : "" }, r.deleted ? tr.t("annotations.revision_deleted") : what),
            el("div", { class: "muted small" }, "SHA-256 ", el("code", { class: "hash", title: r.sha256 }, groupHash(r.sha256))),
          ),
        );
      }
      box.append(revisions);
    }
    return box;
  }

  const renderSoon = debounce(renderList, TRANSCRIPT_REDRAW_MS);
  filterTier.addEventListener("change", renderList);
  filterText.addEventListener("input", renderList);

  // ---- assembly ------------------------------------------------------------

  const damaged =
    ctx.data.damaged_annotations > 0
      ? el("p", { class: "form-error", role: "alert", "data-testid": "annotation-damaged" }, tr.t("annotations.damaged", { n: ctx.data.damaged_annotations }))
      : "";

  // Administrators: add or revise indicator codes; a saved code is offered at once.
  const vocabulary = ctx.data.may_add_codes
    ? vocabularyForm(ctx, () => {
        fillCodes(codeSelect.value);
        renderList();
      })
    : null;
  if (vocabulary) cleanups.push(vocabulary.dispose);

  host.replaceChildren(
    el(
      "div",
      { class: "panel annotations-panel", "data-testid": "annotations-panel" },
      ctx.mayEdit ? form : el("p", { class: "notice", "data-testid": "annotation-read-only" }, tr.t("annotations.read_only")),
      vocabulary?.element ?? "",
      damaged,
      el("h3", { class: "panel-sub" }, tr.t("annotations.list")),
      el("div", { class: "panel-toolbar" }, filterTier, filterText),
      count,
      list,
    ),
  );

  fillCodes("");
  describeNote();
  describeTarget();
  describeSpan();
  refreshButtons();
  renderList();

  cleanups.push(
    ctx.on("annotations-changed", () => {
      // A revision was added or the annotation deleted: open histories are stale.
      const present = new Set(ctx.annotations().map((a) => a.id));
      for (const id of [...histories.keys()]) {
        if (present.has(id)) loadHistory(id);
        else histories.delete(id);
      }
      if (editing && !ctx.annotations().some((a) => a.id === editing!.id)) resetForm();
      describeTarget();
      renderList();
    }),
    ctx.on("selection-changed", () => {
      // While revising, the annotation keeps its own span unless asked.
      if (editing || targetId) return;
      const next = ctx.selection();
      // A selection that vanished because the reviewer moved into this
      // form (to pick a code) is still the one meant.
      if (next === null && host.contains(document.activeElement)) return;
      span = next;
      describeSpan();
    }),
    ctx.on("transcript-changed", () => {
      describeSpan();
      // Rows quote their segment's words; redraw once typing pauses.
      renderSoon();
    }),
    renderSoon.cancel,
  );
  // Follow the playhead while the span is "wherever the playhead is".
  const tick = setInterval(() => {
    if (host.isConnected && span === null) describeSpan();
  }, PLAYHEAD_TICK_MS);
  cleanups.push(() => clearInterval(tick));

  return () => {
    for (const c of cleanups) c();
    host.replaceChildren();
  };
}
