// The transcript's revisions: the list (who saved which, when, its
// SHA-256), one old revision shown read-only, and a segment-level
// comparison of any two (or of one with the unsaved edits).

import { api, type CommandError, type RevisionSummary, type SegmentDoc, type TranscriptDoc, type TranscriptView } from "../api";
import { groupHash } from "../capture";
import { el, formatDate } from "../dom";
import type { MessageKey, Translator } from "../i18n";
import { errorMessage } from "../view";
import { diffTranscripts, diffWords, type SegmentChange } from "./diff";
import { formatClock, formatPrecise } from "./time";

export interface RevisionsDeps {
  tr: Translator;
  sessionId: string;
  mayEdit: boolean;
  /** The editor's segments, saved or not. */
  current(): TranscriptDoc;
  dirty(): boolean;
  seek(ms: number): void;
  /** Puts an old revision's segments into the editor (saving makes it the newest revision). */
  load(doc: TranscriptDoc): void;
}

export interface Revisions {
  /** The toolbar button. */
  button: HTMLButtonElement;
  /** The panel, placed by the screen over the transcript. */
  panel: HTMLElement;
  isOpen(): boolean;
  open(): Promise<void>;
  close(): void;
  /** A revision was saved: the list is stale. */
  invalidate(): void;
}

const CURRENT = "current";

function speakerName(tr: Translator, s: SegmentDoc): string {
  const role = tr.t(`review.speaker.${s.speaker}` as MessageKey);
  return s.label ? `${s.label} (${role})` : role;
}

function span(s: SegmentDoc): string {
  return `${formatPrecise(s.start_ms)}–${formatPrecise(s.end_ms)}`;
}

export function mountRevisions(deps: RevisionsDeps): Revisions {
  const { tr } = deps;
  const cache = new Map<number, TranscriptView>();
  let summaries: RevisionSummary[] | null = null;

  const button = el("button", { type: "button", "data-testid": "revisions-open", "aria-expanded": "false" }, tr.t("review.revisions"));
  const close = el("button", { type: "button", class: "icon", "data-testid": "revisions-close", "aria-label": tr.t("review.close"), title: tr.t("review.close") }, "×");
  const list = el("ol", { class: "revision-list", "data-testid": "revision-list" });
  const from = el("select", { "data-testid": "revision-compare-from", "aria-label": tr.t("review.compare_from") });
  const to = el("select", { "data-testid": "revision-compare-to", "aria-label": tr.t("review.compare_to") });
  const compare = el("button", { type: "button", "data-testid": "revision-compare" }, tr.t("review.compare"));
  const output = el("div", { class: "revision-output", "data-testid": "revision-output", "aria-live": "polite" });
  const error = el("p", { class: "form-error", role: "alert", "data-testid": "revisions-error", hidden: "" });
  const panel = el(
    "section",
    { class: "review-dialog revisions", role: "dialog", "aria-labelledby": "revisions-heading", "data-testid": "revisions-dialog", hidden: "" },
    el("div", { class: "dialog-head" }, el("h2", { class: "card-heading", id: "revisions-heading" }, tr.t("review.revisions")), close),
    error,
    list,
    el("div", { class: "compare-bar" }, el("span", {}, tr.t("review.compare_label")), from, el("span", { "aria-hidden": "true" }, "→"), to, compare),
    output,
  );

  const showError = (e: CommandError | undefined) => {
    error.textContent = e ? errorMessage(e, tr) : "";
    error.hidden = !e;
  };

  const revision = async (rev: number): Promise<TranscriptView | null> => {
    const hit = cache.get(rev);
    if (hit) return hit;
    const r = await api.transcriptRevision(deps.sessionId, rev);
    if (!r.ok) {
      showError(r.error);
      return null;
    }
    cache.set(rev, r.value);
    return r.value;
  };

  const documentOf = async (value: string): Promise<TranscriptDoc | null> => {
    if (value === CURRENT) return deps.current();
    const v = await revision(Number(value));
    return v ? v.document : null;
  };

  const renderList = (items: RevisionSummary[]) => {
    list.replaceChildren();
    if (items.length === 0) list.append(el("li", { class: "hint" }, tr.t("review.no_revisions")));
    // Newest first: the one a reviewer looks for.
    for (const r of [...items].reverse()) {
      const view = el("button", { type: "button", class: "small", "data-testid": "revision-view" }, tr.t("review.view_revision"));
      view.addEventListener("click", () => void showRevision(r.rev));
      list.append(
        el(
          "li",
          { class: "revision-row", "data-testid": "revision-row", "data-rev": String(r.rev) },
          el("span", { class: "rev" }, tr.t("review.rev", { rev: r.rev })),
          el("span", { class: "when" }, formatDate(r.saved_at, tr.locale)),
          el("span", { class: "who" }, r.author),
          el("code", { class: "hash", title: groupHash(r.sha256), "data-sha256": r.sha256 }, r.sha256.slice(0, 12)),
          el("span", { class: "count" }, tr.t("review.segment_count", { count: r.segments })),
          el("span", { class: "source" }, r.source ?? ""),
          view,
        ),
      );
    }
    const options = (select: HTMLSelectElement) => {
      select.replaceChildren(
        ...[...items].reverse().map((r) => el("option", { value: String(r.rev) }, tr.t("review.rev", { rev: r.rev }))),
        el("option", { value: CURRENT }, tr.t("review.current_edits")),
      );
    };
    options(from);
    options(to);
    // Default: what the latest save changed, or the unsaved edits against the latest.
    const latest = items[items.length - 1];
    const before = items[items.length - 2];
    if (deps.dirty() && latest) {
      from.value = String(latest.rev);
      to.value = CURRENT;
    } else if (latest && before) {
      from.value = String(before.rev);
      to.value = String(latest.rev);
    } else if (latest) {
      from.value = String(latest.rev);
      to.value = CURRENT;
    }
    compare.disabled = items.length === 0;
  };

  const showRevision = async (rev: number) => {
    showError(undefined);
    const v = await revision(rev);
    if (!v) return;
    const rows = el("ol", { class: "revision-segments" });
    for (const s of v.document.segments) {
      const at = el("button", { type: "button", class: "link mono", title: tr.t("review.seek_here") }, formatClock(s.start_ms));
      at.addEventListener("click", () => deps.seek(s.start_ms));
      rows.append(
        el(
          "li",
          { "data-testid": "revision-segment", "data-segment-id": s.id, "data-speaker": s.speaker },
          at,
          el("span", { class: "who" }, speakerName(tr, s)),
          el("span", { class: "text" }, s.text),
        ),
      );
    }
    const head = el(
      "div",
      { class: "output-head" },
      el("h3", { class: "sub" }, tr.t("review.revision_heading", { rev: v.rev })),
      el("span", { class: "hint" }, tr.t("review.revision_meta", { author: v.author, when: formatDate(v.saved_at, tr.locale) })),
    );
    const actions = el("div", { class: "actions left" });
    if (deps.mayEdit) {
      const restore = el("button", { type: "button", "data-testid": "revision-restore" }, tr.t("review.restore"));
      restore.addEventListener("click", () => {
        if (deps.dirty() && !actions.querySelector(".confirm-inline")) {
          const yes = el("button", { type: "button", class: "primary", "data-testid": "revision-restore-confirm" }, tr.t("review.restore_confirm"));
          const no = el("button", { type: "button" }, tr.t("review.cancel"));
          const ask = el("span", { class: "confirm-inline", role: "alert" }, tr.t("review.restore_question"), " ", no, yes);
          no.addEventListener("click", () => ask.remove());
          yes.addEventListener("click", () => load(v));
          actions.append(ask);
          no.focus();
          return;
        }
        load(v);
      });
      actions.append(restore, el("span", { class: "hint" }, tr.t("review.restore_hint")));
    }
    output.replaceChildren(el("div", { class: "revision-view", "data-testid": "revision-view-panel", "data-rev": String(v.rev) }, head, actions, rows));
  };

  const load = (v: TranscriptView) => {
    deps.load(v.document);
    close_();
  };

  const renderDiff = (changes: SegmentChange[], fromLabel: string, toLabel: string) => {
    const rows = el("ol", { class: "diff" });
    const kindText = (c: SegmentChange) =>
      c.kind === "changed"
        ? tr.t("review.diff.changed", { fields: c.fields.map((f) => tr.t(`review.diff.field.${f}` as MessageKey)).join(", ") })
        : tr.t(`review.diff.${c.kind}` as MessageKey);
    for (const c of changes) {
      const seg = c.kind === "removed" ? c.before : c.after;
      const at = el("button", { type: "button", class: "link mono", title: tr.t("review.seek_here") }, formatClock(seg.start_ms));
      at.addEventListener("click", () => deps.seek(seg.start_ms));
      const body = el("div", { class: "diff-body" });
      if (c.kind === "added") body.append(el("ins", {}, c.after.text || "∅"));
      else if (c.kind === "removed") body.append(el("del", {}, c.before.text || "∅"));
      else {
        if (c.fields.includes("text")) {
          const line = el("p", { class: "diff-text" });
          for (const p of diffWords(c.before.text, c.after.text)) {
            line.append(p.kind === "same" ? p.text : el(p.kind === "added" ? "ins" : "del", {}, p.text));
          }
          body.append(line);
        } else {
          body.append(el("p", { class: "diff-text" }, c.after.text));
        }
        if (c.fields.includes("times")) body.append(el("p", { class: "hint mono" }, `${span(c.before)} → ${span(c.after)}`));
        if (c.fields.includes("speaker")) body.append(el("p", { class: "hint" }, `${speakerName(tr, c.before)} → ${speakerName(tr, c.after)}`));
      }
      rows.append(
        el(
          "li",
          { class: `diff-row ${c.kind}`, "data-testid": "revision-diff-row", "data-kind": c.kind, "data-segment-id": seg.id },
          el("div", { class: "diff-meta" }, at, el("span", { class: "diff-kind" }, kindText(c)), el("span", { class: "who" }, speakerName(tr, seg))),
          body,
        ),
      );
    }
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const c of changes) counts[c.kind]++;
    output.replaceChildren(
      el(
        "div",
        { class: "revision-diff", "data-testid": "revision-diff" },
        el("h3", { class: "sub" }, tr.t("review.compare_heading", { from: fromLabel, to: toLabel })),
        el("p", { class: "hint", "data-testid": "revision-diff-summary" }, changes.length === 0 ? tr.t("review.diff.none") : tr.t("review.diff.summary", counts)),
        rows,
      ),
    );
  };

  compare.addEventListener("click", async () => {
    showError(undefined);
    compare.disabled = true;
    const [a, b] = await Promise.all([documentOf(from.value), documentOf(to.value)]);
    compare.disabled = false;
    if (!a || !b) return;
    const label = (s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? s.value;
    renderDiff(diffTranscripts(a, b), label(from), label(to));
  });

  const open = async () => {
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    showError(undefined);
    let items = summaries;
    if (items === null) {
      list.replaceChildren(el("li", { class: "hint" }, tr.t("common.loading")));
      const r = await api.transcriptRevisions(deps.sessionId);
      if (!r.ok) {
        list.replaceChildren();
        showError(r.error);
        return;
      }
      summaries = items = r.value;
    }
    renderList(items);
    close.focus();
  };

  const close_ = () => {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    output.replaceChildren();
  };

  button.addEventListener("click", () => (panel.hidden ? void open() : close_()));
  close.addEventListener("click", () => {
    close_();
    button.focus();
  });

  return {
    button,
    panel,
    isOpen: () => !panel.hidden,
    open,
    close: close_,
    invalidate() {
      summaries = null;
      if (!panel.hidden) void open();
    },
  };
}
