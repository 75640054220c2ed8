// The Suggestions panel: for every interviewer turn, the prompt type the
// rule-based suggester proposes (and the rule that fired) next to the
// reviewer's own classification. Nothing is applied by itself: a
// suggestion becomes an annotation only when the reviewer accepts it or
// picks another type.

import { api, type PromptSuggestion } from "../api";
import { el } from "../dom";
import type { MessageKey } from "../i18n";
import { errorMessage } from "../view";
import { withSaved } from "./annotations-model";
import type { ReviewCtx } from "./context";
import { codeDefinition, codeLabel, debounce, errorSlot, latestOnly, PROMPT_CODES, showError } from "./panel-common";
import {
  classification,
  countRows,
  filterRows,
  ROW_FILTERS,
  rowState,
  suggestionRows,
  type RowFilter,
  type SuggestionRow,
} from "./suggestions-model";
import { formatClock, formatPrecise } from "./time";
import "./panels.css";

/** Transcript edits arrive per keystroke; ask the suggester once typing pauses. */
const REFRESH_MS = 500;

/** A rule's name as the panel explains it; the raw name for a rule added later. */
export function ruleText(rule: string, t: (key: MessageKey) => string): string {
  const key = `suggestions.rule.${rule}` as MessageKey;
  const text = t(key);
  return text === key ? rule : text;
}

export function mountSuggestionsPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  const vocab = ctx.data.vocabulary;
  const label = (code: string) => codeLabel(vocab, "prompt-type", code, tr.locale);
  const definition = (code: string) => codeDefinition(vocab, "prompt-type", code, tr.locale);
  const cleanups: (() => void)[] = [];

  let suggestions: PromptSuggestion[] = [];
  const requests = latestOnly();
  /** Segments being saved, so a second click does not save twice. */
  const saving = new Set<string>();
  /** The last outcome per segment, shown in its row until the next redraw of that row's data. */
  const rowNotes = new Map<string, { text: string; error: boolean; code?: string }>();

  const filter = el("select", { "data-testid": "suggestion-filter", "aria-label": tr.t("suggestions.filter") });
  for (const f of ROW_FILTERS) filter.append(el("option", { value: f }, tr.t(`suggestions.filter.${f}` as MessageKey)));
  const summary = el("p", { class: "panel-count", "data-testid": "suggestion-summary", "aria-live": "polite" });
  const state = el("p", { class: "muted small", "data-testid": "suggestion-state", "aria-live": "polite" });
  const loadError = errorSlot("suggestion-error");
  const list = el("ul", { class: "panel-rows sug-list", "data-testid": "suggestion-list" });

  const render = () => {
    const rows = suggestionRows(ctx.transcript(), suggestions, ctx.annotations());
    const counts = countRows(rows);
    summary.textContent = tr.t("suggestions.summary", { ...counts });
    const shown = filterRows(rows, filter.value as RowFilter);
    list.replaceChildren(...shown.map(row));
    if (shown.length === 0) {
      list.append(el("li", { class: "panel-empty muted" }, tr.t(rows.length === 0 ? "suggestions.no_interviewer" : "suggestions.none_match")));
    }
  };

  const row = (r: SuggestionRow): HTMLElement => {
    const s = r.segment;
    const decided = r.classified[0];
    const suggested = r.suggestion?.kind ?? "";
    const time = el("button", { type: "button", class: "link time", title: `${formatPrecise(s.start_ms)} – ${formatPrecise(s.end_ms)}` }, formatClock(s.start_ms));
    const text = el("button", { type: "button", class: "link seg-text", "data-testid": "suggestion-text" }, s.text.trim() || tr.t("suggestions.empty_text"));
    for (const b of [time, text]) b.addEventListener("click", () => ctx.focusSegment(s.id));

    const item = el(
      "li",
      {
        class: `sug-row state-${rowState(r)}`,
        "data-testid": "suggestion-row",
        "data-segment-id": s.id,
        "data-code": suggested,
        "data-classified": decided?.code ?? "",
      },
      el("div", { class: "sug-head" }, time, text),
    );

    if (r.suggestion) {
      item.append(
        el(
          "p",
          { class: "sug-line" },
          el("span", { class: "muted" }, tr.t("suggestions.suggested")),
          " ",
          el("strong", { class: "sug-code", "data-testid": "suggestion-code", title: definition(suggested) }, label(suggested)),
          el("span", { class: "muted small", "data-testid": "suggestion-rule", "data-rule": r.suggestion.rule }, ` · ${tr.t("suggestions.rule", { rule: ruleText(r.suggestion.rule, (k) => tr.t(k)) })}`),
        ),
      );
    } else {
      item.append(el("p", { class: "sug-line muted" }, tr.t("suggestions.no_suggestion")));
    }

    const decision = el("p", { class: "sug-line", "data-testid": "suggestion-classified" });
    if (decided) {
      decision.append(
        el("span", { class: "muted" }, tr.t("suggestions.classified")),
        " ",
        el("strong", { title: definition(decided.code) }, label(decided.code)),
        el("span", { class: "muted small" }, ` · ${tr.t("suggestions.classified_rev", { rev: decided.rev, author: decided.author })}`),
      );
      if (r.suggestion && r.suggestion.kind !== decided.code) decision.append(" ", el("span", { class: "badge" }, tr.t("suggestions.differs")));
    } else {
      decision.append(el("span", { class: "muted" }, tr.t("suggestions.unclassified")));
    }
    item.append(decision);
    if (r.classified.length > 1) {
      item.append(el("p", { class: "notice warn small", "data-testid": "suggestion-several" }, tr.t("suggestions.several", { n: r.classified.length })));
    }

    if (ctx.mayEdit) {
      const actions = el("div", { class: "row-actions" });
      const busy = saving.has(s.id);
      if (r.suggestion && decided?.code !== suggested) {
        const accept = el(
          "button",
          { type: "button", class: "small primary", "data-testid": "suggestion-accept" },
          tr.t(decided ? "suggestions.accept_instead" : "suggestions.accept", { type: label(suggested) }),
        );
        accept.disabled = busy;
        accept.addEventListener("click", () => void classify(r, suggested));
        actions.append(accept);
      }
      const change = el("select", { "data-testid": "suggestion-change", "aria-label": tr.t("suggestions.change_label") });
      change.append(el("option", { value: "" }, tr.t(decided ? "suggestions.change" : "suggestions.classify_as")));
      for (const code of PROMPT_CODES) {
        if (code === decided?.code) continue;
        change.append(el("option", { value: code, title: definition(code) }, label(code)));
      }
      change.disabled = busy;
      change.addEventListener("change", () => {
        // Choosing a type is the reviewer's decision: save it right away.
        if (change.value) void classify(r, change.value);
      });
      actions.append(change);
      item.append(actions);
    }
    const outcome = rowNotes.get(s.id);
    if (outcome) {
      item.append(
        el(
          "p",
          {
            class: outcome.error ? "form-error" : "panel-status",
            role: outcome.error ? "alert" : "status",
            "data-testid": "suggestion-outcome",
            "data-error-code": outcome.code,
          },
          outcome.text,
        ),
      );
    }
    return item;
  };

  const classify = async (r: SuggestionRow, code: string) => {
    if (saving.has(r.segment.id)) return;
    saving.add(r.segment.id);
    rowNotes.delete(r.segment.id);
    render();
    const { id, input } = classification(r.segment, code, r.classified[0]);
    const result = await api.saveAnnotation(ctx.sessionId, id, input);
    saving.delete(r.segment.id);
    if (!result.ok) {
      rowNotes.set(r.segment.id, { text: errorMessage(result.error, tr), error: true, code: result.error.code });
      return render();
    }
    rowNotes.set(r.segment.id, { text: tr.t("suggestions.saved", { type: label(code), rev: result.value.rev }), error: false });
    // setAnnotations emits annotations-changed, which redraws the rows.
    ctx.setAnnotations(withSaved(ctx.annotations(), result.value));
    render();
  };

  const refresh = async () => {
    const ticket = requests.next();
    state.textContent = tr.t("suggestions.computing");
    const r = await api.promptSuggestions(ctx.transcript(), ctx.language);
    if (!requests.isCurrent(ticket)) return;
    state.textContent = "";
    if (r.ok) {
      suggestions = r.value;
      showError(loadError, undefined, tr);
    } else {
      // The rows stay, so turns can still be classified by hand.
      suggestions = [];
      showError(loadError, r.error, tr);
    }
    render();
  };
  const refreshSoon = debounce(() => void refresh(), REFRESH_MS);

  filter.addEventListener("change", render);

  host.replaceChildren(
    el(
      "div",
      { class: "panel suggestions-panel", "data-testid": "suggestions-panel" },
      el("p", { class: "hint" }, tr.t("suggestions.intro")),
      el("div", { class: "panel-toolbar" }, filter, state),
      summary,
      loadError,
      list,
    ),
  );
  render();
  void refresh();

  cleanups.push(
    ctx.on("transcript-changed", () => {
      // Text and times show at once; the suggestions follow when typing pauses.
      render();
      refreshSoon();
    }),
    ctx.on("annotations-changed", render),
    refreshSoon.cancel,
  );
  return () => {
    for (const c of cleanups) c();
    requests.next();
    host.replaceChildren();
  };
}
