// The transcript editor: one row per segment (times, speaker, label,
// text), kept in time order with overlap flags computed from the times
// (transcript-model.ts), saved as a new revision each time.

import { api, type CommandError, type SegmentDoc, type TranscriptDoc, type TranscriptView } from "../api";
import { el } from "../dom";
import type { MessageKey, Translator } from "../i18n";
import { errorMessage } from "../view";
import type { Selection } from "./context";
import type { MarkKind } from "./keys";
import { formatClock, formatPrecise, parseTime } from "./time";
import { markUnsaved } from "./unsaved";
import {
  SPEAKERS,
  canonical,
  freshId,
  insertMark,
  insertSorted,
  insertStamp,
  markOverlaps,
  normalize,
  problems,
  segmentAt,
  segmentAtPlayhead,
  sortSegments,
  type Edit,
  type ProblemCode,
} from "./transcript-model";

export interface EditorDeps {
  tr: Translator;
  sessionId: string;
  /** The interview's language: the marks quick keys insert are written in it. */
  language: "es" | "en";
  mayEdit: boolean;
  /** The recording's length, or null when the session has none. */
  durationMs: number | null;
  /** The latest saved revision. */
  saved: TranscriptView | null;
  /** Unsaved segments carried over from a redrawn screen. */
  draft?: SegmentDoc[];
  hasPlayer: boolean;
  position(): number;
  seek(ms: number): void;
  select(selection: Selection): void;
  /** Debounced: the segments changed. */
  changed(): void;
  /** A revision was saved. */
  savedRevision(view: TranscriptView): void;
  /** More buttons for the toolbar (revisions, help). */
  tools: HTMLElement[];
}

export interface Editor {
  node: HTMLElement;
  /** The current segments as they would be saved (copies). */
  document(): TranscriptDoc;
  /** The raw segments, for carrying over to a redrawn screen. */
  draft(): SegmentDoc[];
  dirty(): boolean;
  rev(): number | null;
  setPlayhead(ms: number, playing: boolean): void;
  focusSegment(id: string, seek: boolean): boolean;
  /** Scrolls to a segment and marks it briefly, without moving the keyboard or the selection. */
  revealSegment(id: string): void;
  addAtPlayhead(): void;
  /** Inserts into the focused segment's text; false when no segment text has focus. */
  insertMark(kind: MarkKind): boolean;
  insertStamp(): boolean;
  save(): Promise<void>;
  /** Replaces the segments (a revision loaded for editing); unsaved until saved. */
  replace(doc: TranscriptDoc): void;
  dispose(): void;
}

interface Row {
  li: HTMLLIElement;
  start: HTMLInputElement;
  end: HTMLInputElement;
  speaker: HTMLSelectElement;
  label: HTMLInputElement;
  text: HTMLTextAreaElement;
  overlap: HTMLElement;
  problem: HTMLElement;
}

const CHANGE_DEBOUNCE_MS = 300;
const PROBLEM_KEYS: Record<ProblemCode, MessageKey> = {
  end_before_start: "review.problem.end_before_start",
  same_speaker_overlap: "review.problem.same_speaker_overlap",
};
/** The vault's error for each problem found before saving, so both read the same. */
const PROBLEM_ERRORS: Record<ProblemCode, string> = {
  end_before_start: "review.segment_end_before_start",
  same_speaker_overlap: "review.segment_overlap_same_speaker",
};

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Rows put on screen at once, then per animation frame, for long transcripts. */
const FIRST_ROWS = 120;
const ROWS_PER_FRAME = 240;

function copy(s: SegmentDoc): SegmentDoc {
  return { id: s.id, start_ms: s.start_ms, end_ms: s.end_ms, speaker: s.speaker, label: s.label ?? null, overlaps: s.overlaps === true, text: s.text };
}

/**
 * Grows a segment's textarea with its text: a hidden copy of the text in
 * the same grid cell sizes it (review.css .grow), so no row is measured.
 * (`content-visibility: auto` on rows left rows in view unpainted in
 * WebKitGTK 2.50, so every row is laid out.)
 */
function grow(t: HTMLTextAreaElement): void {
  const wrap = t.parentElement;
  if (wrap) wrap.dataset.value = t.value;
}

export function mountEditor(deps: EditorDeps): Editor {
  const { tr, mayEdit } = deps;
  let segments: SegmentDoc[] = sortSegments((deps.draft ?? deps.saved?.document.segments ?? []).map(copy));
  let baseline = canonical(deps.saved?.document ?? { segments: [] });
  let savedRev: number | null = deps.saved?.rev ?? null;
  const rows = new Map<string, Row>();
  // A long transcript is put on screen a batch per frame after the first
  // rows, so the screen (and its waveform) draws at once; `placed` is how
  // many segments have rows so far (see `showAll`).
  let placed = Number.POSITIVE_INFINITY;
  let filling = 0;
  let currentId: string | null = null;
  let saving = false;
  let changeTimer: number | undefined;
  let lastSelection = "";

  const list = el("ol", { class: "segments", "data-testid": "segments", "aria-label": tr.t("review.transcript") });
  const empty = el("p", { class: "hint segments-empty", "data-testid": "segments-empty" }, tr.t(mayEdit ? "review.no_segments" : "review.no_segments_readonly"));
  const labels = el("datalist", { id: "review-speaker-labels" });
  const revLabel = el("span", { class: "rev", "data-testid": "transcript-rev" });
  const unsaved = el("span", { class: "unsaved", "data-testid": "transcript-unsaved", role: "status", hidden: "" }, tr.t("review.unsaved"));
  const error = el("p", { class: "form-error", role: "alert", "data-testid": "transcript-error", hidden: "" });
  const note = el("p", { class: "saved-note", "aria-live": "polite", "data-testid": "transcript-note" });
  const add = el("button", { type: "button", "data-testid": "add-segment", title: "Ctrl+Enter" }, tr.t("review.add_segment"));
  const save = el("button", { type: "button", class: "primary", "data-testid": "save-transcript", title: "Ctrl+S" }, tr.t("review.save"));
  if (!mayEdit) {
    add.hidden = true;
    save.hidden = true;
  }
  const readOnly = mayEdit ? "" : el("span", { class: "badge", "data-testid": "transcript-readonly" }, tr.t("review.read_only"));
  const node = el(
    "section",
    { class: "editor", "data-testid": "transcript-editor", "aria-labelledby": "transcript-heading" },
    el(
      "div",
      { class: "editor-tools" },
      el("h2", { class: "card-heading", id: "transcript-heading" }, tr.t("review.transcript")),
      revLabel,
      unsaved,
      readOnly,
      el("span", { class: "spacer" }),
      ...deps.tools,
      add,
      save,
    ),
    error,
    note,
    el("div", { class: "segments-scroll", "data-testid": "segments-scroll" }, empty, list),
    labels,
  );

  const showRev = () => {
    revLabel.textContent = savedRev === null ? tr.t("review.rev_none") : tr.t("review.rev", { rev: savedRev });
    revLabel.dataset.rev = savedRev === null ? "" : String(savedRev);
  };
  const isDirty = () => canonical({ segments }) !== baseline;
  const showDirty = (dirty: boolean) => {
    unsaved.hidden = !dirty;
    node.dataset.dirty = String(dirty);
    markUnsaved(dirty);
  };
  const showError = (e: CommandError | undefined, text?: string) => {
    error.textContent = e ? text ?? errorMessage(e, tr) : "";
    error.hidden = !e;
    if (e) error.dataset.errorCode = e.code;
    else delete error.dataset.errorCode;
  };

  /** A segment as messages name it: its number in the list and its start. */
  const describe = (id: string) => {
    const i = segments.findIndex((s) => s.id === id);
    return i < 0 ? id : tr.t("review.segment_ref", { n: i + 1, at: formatClock(segments[i]!.start_ms) });
  };

  const edited = () => {
    showDirty(true);
    window.clearTimeout(changeTimer);
    changeTimer = window.setTimeout(() => {
      showDirty(isDirty());
      deps.changed();
    }, CHANGE_DEBOUNCE_MS);
  };

  const refreshLabels = () => {
    const used = [...new Set(segments.map((s) => (s.label ?? "").trim()).filter((l) => l !== ""))].sort();
    labels.replaceChildren(...used.map((l) => el("option", { value: l })));
  };

  /** Overlap flags and local problems after times or speakers changed. */
  const refreshFlags = () => {
    segments = markOverlaps(segments);
    const found = problems(segments);
    segments.forEach((s, i) => {
      const r = rows.get(s.id);
      if (!r) return;
      r.overlap.hidden = !s.overlaps;
      const p = found.get(s.id);
      r.problem.textContent = p ? tr.t(PROBLEM_KEYS[p]) : "";
      r.problem.hidden = !p;
      r.li.classList.toggle("has-problem", !!p);
      r.li.dataset.overlaps = String(s.overlaps === true);
      r.text.setAttribute("aria-label", tr.t("review.segment_text_label", { n: i + 1 }));
    });
  };

  const buildRow = (s: SegmentDoc): Row => {
    const start = el("input", { type: "text", class: "seg-time mono", "data-testid": "segment-start", "aria-label": tr.t("review.segment_start"), inputmode: "decimal", autocomplete: "off", spellcheck: "false" });
    const end = el("input", { type: "text", class: "seg-time mono", "data-testid": "segment-end", "aria-label": tr.t("review.segment_end"), inputmode: "decimal", autocomplete: "off", spellcheck: "false" });
    const speaker = el("select", { "data-testid": "segment-speaker", "aria-label": tr.t("review.segment_speaker") });
    for (const sp of SPEAKERS) speaker.append(el("option", { value: sp }, tr.t(`review.speaker.${sp}` as MessageKey)));
    const label = el("input", { type: "text", class: "seg-label", "data-testid": "segment-label", list: "review-speaker-labels", placeholder: tr.t("review.segment_label_placeholder"), "aria-label": tr.t("review.segment_label"), autocomplete: "off" });
    const text = el("textarea", { class: "seg-text", "data-testid": "segment-text", rows: "1", spellcheck: "true", lang: deps.language });
    const overlap = el("span", { class: "overlap-badge", "data-testid": "segment-overlap", title: tr.t("review.overlap_hint"), hidden: "" }, tr.t("review.overlap"));
    const problem = el("span", { class: "seg-problem", "data-testid": "segment-problem", role: "status", hidden: "" });
    const li = el(
      "li",
      { class: "segment-row", "data-testid": "segment-row", "data-segment-id": s.id },
      el("div", { class: "seg-times" }, start, end),
      el("div", { class: "seg-who" }, speaker, label),
      el("div", { class: "seg-body" }, el("div", { class: "grow" }, text), el("div", { class: "seg-flags" }, overlap, problem)),
    );
    if (mayEdit) {
      li.append(el("button", { type: "button", class: "icon seg-delete", "data-testid": "segment-delete", "aria-label": tr.t("review.segment_delete"), title: tr.t("review.segment_delete") }, "×"));
    } else {
      for (const c of [start, end, label]) c.readOnly = true;
      label.removeAttribute("placeholder");
      text.readOnly = true;
      speaker.disabled = true;
    }
    const row: Row = { li, start, end, speaker, label, text, overlap, problem };
    fill(row, s);
    return row;
  };

  const fill = (r: Row, s: SegmentDoc) => {
    r.start.value = formatPrecise(s.start_ms);
    r.end.value = formatPrecise(s.end_ms);
    r.speaker.value = s.speaker;
    r.label.value = s.label ?? "";
    r.text.value = s.text;
    grow(r.text);
    r.li.dataset.speaker = s.speaker;
    for (const c of [r.start, r.end]) {
      c.removeAttribute("aria-invalid");
      c.title = "";
    }
  };

  /** Puts the rows in the segments' order, moving only those out of place, keeping focus and caret. */
  const placeRows = () => {
    const active = document.activeElement;
    const keep = active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement ? active : null;
    const range: [number, number] | null = keep && list.contains(keep) ? [keep.selectionStart ?? 0, keep.selectionEnd ?? 0] : null;
    const ids = new Set(segments.map((s) => s.id));
    for (const [id, r] of rows) {
      if (!ids.has(id)) {
        r.li.remove();
        rows.delete(id);
      }
    }
    segments.forEach((s, i) => {
      if (i >= placed) return;
      let r = rows.get(s.id);
      if (!r) {
        r = buildRow(s);
        rows.set(s.id, r);
      }
      if (list.children[i] !== r.li) list.insertBefore(r.li, list.children[i] ?? null);
    });
    empty.hidden = segments.length > 0;
    if (keep && range && document.activeElement !== keep && keep.isConnected) {
      keep.focus({ preventScroll: true });
      keep.setSelectionRange(range[0], range[1]);
    }
    refreshFlags();
  };

  /** Rows for every segment now: before anything looks a row up. */
  const showAll = () => {
    if (placed === Number.POSITIVE_INFINITY) return;
    window.cancelAnimationFrame(filling);
    placed = Number.POSITIVE_INFINITY;
    placeRows();
  };

  const fillNext = () => {
    filling = window.requestAnimationFrame(() => {
      placed += ROWS_PER_FRAME;
      if (placed >= segments.length) placed = Number.POSITIVE_INFINITY;
      placeRows();
      if (placed !== Number.POSITIVE_INFINITY) fillNext();
    });
  };

  const rebuild = () => {
    window.cancelAnimationFrame(filling);
    for (const r of rows.values()) r.li.remove();
    rows.clear();
    currentId = null;
    placed = segments.length > FIRST_ROWS ? FIRST_ROWS : Number.POSITIVE_INFINITY;
    placeRows();
    refreshLabels();
    if (placed !== Number.POSITIVE_INFINITY) fillNext();
  };

  const rowOf = (target: EventTarget | null): [Row, SegmentDoc] | null => {
    const li = target instanceof Element ? target.closest<HTMLLIElement>("li.segment-row") : null;
    const id = li?.dataset.segmentId;
    const r = id ? rows.get(id) : undefined;
    const s = id ? segments.find((x) => x.id === id) : undefined;
    return r && s ? [r, s] : null;
  };

  const commitTime = (input: HTMLInputElement): boolean => {
    const hit = rowOf(input);
    if (!hit) return true;
    const [r, s] = hit;
    const which = input === r.start ? "start_ms" : "end_ms";
    const ms = parseTime(input.value);
    const invalid = (key: MessageKey, args?: Record<string, unknown>) => {
      input.setAttribute("aria-invalid", "true");
      input.title = tr.t(key, args);
      r.problem.textContent = tr.t(key, args);
      r.problem.hidden = false;
      return false;
    };
    if (ms === null) return invalid("review.time_invalid");
    if (deps.durationMs !== null && ms > deps.durationMs) return invalid("review.time_after_end", { end: formatPrecise(deps.durationMs) });
    input.removeAttribute("aria-invalid");
    input.title = "";
    input.value = formatPrecise(ms);
    if (s[which] === ms) {
      refreshFlags();
      return true;
    }
    s[which] = ms;
    if (which === "start_ms") segments = sortSegments(segments);
    placeRows();
    edited();
    return true;
  };

  const updateSelection = (t: HTMLTextAreaElement) => {
    const hit = rowOf(t);
    if (!hit || t.selectionStart === t.selectionEnd) return;
    const [, s] = hit;
    const key = `${s.id}:${s.start_ms}:${s.end_ms}`;
    if (key === lastSelection) return;
    lastSelection = key;
    deps.select({ start_ms: s.start_ms, end_ms: s.end_ms, segment_id: s.id });
  };

  list.addEventListener("input", (e) => {
    const t = e.target;
    const hit = rowOf(t);
    if (!hit) return;
    const [r, s] = hit;
    if (t === r.text) {
      s.text = r.text.value;
      grow(r.text);
      edited();
    } else if (t === r.label) {
      s.label = r.label.value;
      refreshFlags();
      edited();
    } else if (t === r.start || t === r.end) {
      (t as HTMLInputElement).removeAttribute("aria-invalid");
    }
  });
  list.addEventListener("change", (e) => {
    const t = e.target;
    const hit = rowOf(t);
    if (!hit) return;
    const [r, s] = hit;
    if (t === r.speaker) {
      s.speaker = r.speaker.value as SegmentDoc["speaker"];
      r.li.dataset.speaker = s.speaker;
      refreshFlags();
      edited();
    } else if (t === r.start || t === r.end) {
      commitTime(t as HTMLInputElement);
    } else if (t === r.label) {
      refreshLabels();
    }
  });
  list.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && t instanceof HTMLInputElement && t.classList.contains("seg-time")) {
      e.preventDefault();
      commitTime(t);
    }
  });
  // Clicking a time (not yet being edited) seeks there; focusing it by keyboard does not.
  list.addEventListener("mousedown", (e) => {
    const t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.classList.contains("seg-time") || document.activeElement === t) return;
    const ms = parseTime(t.value);
    if (ms !== null) deps.seek(ms);
  });
  list.addEventListener("click", (e) => {
    const t = e.target;
    if (!(t instanceof HTMLElement) || !t.classList.contains("seg-delete")) return;
    const hit = rowOf(t);
    if (!hit) return;
    const i = segments.indexOf(hit[1]);
    segments = segments.filter((s) => s !== hit[1]);
    placeRows();
    refreshLabels();
    edited();
    // Keep the keyboard in the list: the next row's text, else the previous one's.
    const next = segments[Math.min(i, segments.length - 1)];
    if (next) rows.get(next.id)?.text.focus();
    else add.focus();
  });
  list.addEventListener("select", (e) => {
    if (e.target instanceof HTMLTextAreaElement) updateSelection(e.target);
  });
  list.addEventListener("mouseup", (e) => {
    if (e.target instanceof HTMLTextAreaElement) updateSelection(e.target);
  });
  list.addEventListener("keyup", (e) => {
    if (e.shiftKey && e.target instanceof HTMLTextAreaElement) updateSelection(e.target);
  });
  list.addEventListener("focusout", (e) => {
    const t = e.target;
    if (t instanceof HTMLInputElement && t.classList.contains("seg-time") && mayEdit) commitTime(t);
  });

  /** The focused segment text, if it may be edited. */
  const focusedText = (): HTMLTextAreaElement | null => {
    const a = document.activeElement;
    return mayEdit && a instanceof HTMLTextAreaElement && list.contains(a) && !a.readOnly ? a : null;
  };

  /**
   * Applies an edit to the focused text through the editing commands where
   * the web view has them, so Ctrl+Z undoes a quick key like typing.
   */
  const applyEdit = (t: HTMLTextAreaElement, edit: (value: string, from: number, to: number) => Edit) => {
    const from = t.selectionStart;
    const to = t.selectionEnd;
    const next = edit(t.value, from, to);
    const inserted = next.value.slice(from, next.value.length - (t.value.length - to));
    t.setSelectionRange(from, to);
    const done = typeof document.execCommand === "function" && document.execCommand("insertText", false, inserted);
    if (!done || t.value !== next.value) {
      t.value = next.value;
      t.dispatchEvent(new Event("input", { bubbles: true }));
    }
    t.setSelectionRange(next.caret, next.caret);
  };

  const save_ = async () => {
    if (!mayEdit || saving) return;
    const active = document.activeElement;
    if (active instanceof HTMLInputElement && active.classList.contains("seg-time") && list.contains(active) && !commitTime(active)) return;
    showError(undefined);
    const badTime = list.querySelector<HTMLInputElement>('.seg-time[aria-invalid="true"]');
    if (badTime) {
      error.textContent = tr.t("review.fix_times");
      error.hidden = false;
      badTime.focus();
      return;
    }
    const doc = normalize({ segments });
    const local = problems(doc.segments);
    const first = doc.segments.find((s) => local.has(s.id));
    if (first) {
      const code = PROBLEM_ERRORS[local.get(first.id)!];
      const e: CommandError = { code, message: code, args: { segment: describe(first.id) } };
      showError(e, tr.error(code, e.args, tr.t(PROBLEM_KEYS[local.get(first.id)!])));
      focusRow(first.id);
      return;
    }
    saving = true;
    save.disabled = true;
    note.textContent = tr.t("review.saving");
    const r = await api.saveTranscript(deps.sessionId, doc);
    saving = false;
    save.disabled = false;
    if (!r.ok) {
      note.textContent = "";
      const id = r.error.args.segment;
      const known = id !== undefined && segments.some((s) => s.id === id);
      const named = known ? { ...r.error, args: { ...r.error.args, segment: describe(id) } } : r.error;
      showError(named);
      if (known) focusRow(id);
      return;
    }
    // What was sent is what is stored: edits typed during the save stay unsaved.
    baseline = canonical(doc);
    savedRev = r.value.rev;
    showRev();
    showDirty(isDirty());
    note.textContent = tr.t("review.saved_rev", { rev: r.value.rev });
    deps.savedRevision(r.value);
  };

  const focusRow = (id: string) => {
    showAll();
    const r = rows.get(id);
    if (!r) return;
    r.li.classList.add("flash");
    window.setTimeout(() => r.li.classList.remove("flash"), 1600);
    r.li.scrollIntoView({ block: "center" });
    r.text.focus({ preventScroll: true });
  };

  function addAtPlayhead(): void {
    if (!mayEdit) return;
    const last = segments[segments.length - 1];
    // Without a recording there is no playhead: continue after the last segment.
    const at = deps.hasPlayer ? deps.position() : last ? last.end_ms : 0;
    const s = segmentAtPlayhead(segments, at, deps.durationMs, freshId(new Set(segments.map((x) => x.id)), randomHex));
    showAll();
    segments = insertSorted(segments, s);
    placeRows();
    edited();
    const r = rows.get(s.id)!;
    r.li.scrollIntoView({ block: "nearest" });
    r.text.focus({ preventScroll: true });
  }

  add.addEventListener("click", addAtPlayhead);
  save.addEventListener("click", () => void save_());

  showRev();
  rebuild();
  showDirty(isDirty());

  return {
    node,
    document: () => ({ segments: normalize({ segments }).segments.map(copy) }),
    draft: () => segments.map(copy),
    dirty: isDirty,
    rev: () => savedRev,
    setPlayhead(ms, playing) {
      const s = segmentAt(segments, ms);
      const id = s?.id ?? null;
      if (id === currentId) return;
      if (currentId) rows.get(currentId)?.li.classList.remove("current");
      currentId = id;
      if (id && !rows.has(id)) showAll();
      const r = id ? rows.get(id) : undefined;
      if (!r) return;
      r.li.classList.add("current");
      // Follow the playback, unless the reviewer is typing in another segment.
      const a = document.activeElement;
      const typingElsewhere = a instanceof HTMLElement && list.contains(a) && !r.li.contains(a);
      if (playing && !typingElsewhere) r.li.scrollIntoView({ block: "nearest" });
    },
    focusSegment(id, seek) {
      const s = segments.find((x) => x.id === id);
      if (!s) return false;
      focusRow(id);
      lastSelection = `${s.id}:${s.start_ms}:${s.end_ms}`;
      deps.select({ start_ms: s.start_ms, end_ms: s.end_ms, segment_id: s.id });
      if (seek) deps.seek(s.start_ms);
      return true;
    },
    revealSegment(id) {
      showAll();
      const r = rows.get(id);
      if (!r) return;
      r.li.scrollIntoView({ block: "nearest" });
      r.li.classList.add("flash");
      window.setTimeout(() => r.li.classList.remove("flash"), 1600);
    },
    addAtPlayhead,
    insertMark(kind) {
      const t = focusedText();
      if (!t) return false;
      applyEdit(t, (v, a, b) => insertMark(v, a, b, kind, deps.language));
      return true;
    },
    insertStamp() {
      const t = focusedText();
      if (!t) return false;
      const ms = deps.position();
      applyEdit(t, (v, a, b) => insertStamp(v, a, b, ms));
      return true;
    },
    save: save_,
    replace(doc) {
      segments = sortSegments(doc.segments.map(copy));
      rebuild();
      showError(undefined);
      note.textContent = "";
      edited();
    },
    dispose() {
      window.clearTimeout(changeTimer);
      window.cancelAnimationFrame(filling);
    },
  };
}
