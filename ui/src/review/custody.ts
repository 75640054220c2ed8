// The Custody panel: the case chain's lines about this session — its
// creation, recordings, listening, transcript and annotation revisions —
// oldest first, as the vault signed them. Read-only by nature.

import { api, type CustodyEntryView } from "../api";
import { groupHash } from "../capture";
import { el } from "../dom";
import type { ReviewCtx } from "./context";
import { detailFacts, eventKey, eventsPresent, formatRanges, heardMs, parseDetails, playbackRanges } from "./custody-model";
import { errorSlot, latestOnly, showError } from "./panel-common";
import { formatClock } from "./time";
import "./panels.css";

/** A custody time to the second: the chain is read for order and exact moments. */
function formatMoment(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

export function mountCustodyPanel(ctx: ReviewCtx, host: HTMLElement): () => void {
  const { tr } = ctx.app;
  const cleanups: (() => void)[] = [];
  const requests = latestOnly();
  let entries: CustodyEntryView[] = [];

  const refreshButton = el("button", { type: "button", class: "small", "data-testid": "custody-refresh" }, tr.t("custody.refresh"));
  const filter = el("select", { "data-testid": "custody-filter", "aria-label": tr.t("custody.filter") });
  const state = el("p", { class: "muted small", "data-testid": "custody-state", "aria-live": "polite" });
  const error = errorSlot("custody-error");
  const count = el("p", { class: "panel-count", "data-testid": "custody-count" });
  const list = el("ol", { class: "panel-rows custody-list", "data-testid": "custody-list" });

  const eventName = (event: string) => {
    const key = eventKey(event);
    return key ? tr.t(key) : event;
  };

  const fillFilter = () => {
    const keep = filter.value || "all";
    filter.replaceChildren(el("option", { value: "all" }, tr.t("custody.all_events")));
    for (const e of eventsPresent(entries)) filter.append(el("option", { value: e }, eventName(e)));
    filter.value = [...filter.options].some((o) => o.value === keep) ? keep : "all";
  };

  const row = (e: CustodyEntryView): HTMLElement => {
    const details = parseDetails(e.details);
    const item = el(
      "li",
      { class: "custody-row", "data-testid": "custody-row", "data-event": e.event, "data-seq": String(e.seq) },
      el(
        "div",
        { class: "custody-head" },
        el("span", { class: "custody-event", title: e.event }, eventName(e.event)),
        el("span", { class: "muted small" }, `#${e.seq}`),
      ),
      el("div", { class: "muted small" }, el("time", { datetime: e.at }, formatMoment(e.at, tr.locale)), ` · ${e.actor}`),
    );

    if (e.event === "PLAYBACK") {
      const ranges = playbackRanges(details);
      // Ranges of the recording under review can be listened to again from here.
      const here = details.recording_id === undefined || details.recording_id === ctx.data.recording_id;
      const heard = el("div", { class: "custody-heard", "data-testid": "custody-ranges", "data-ranges": JSON.stringify(ranges) }, `${tr.t("custody.heard")} `);
      if (ranges.length === 0) heard.append(tr.t("common.none"));
      ranges.forEach(([a, b], i) => {
        if (i > 0) heard.append(", ");
        const text = formatRanges([[a, b]], formatClock);
        if (here) {
          const go = el("button", { type: "button", class: "link small" }, text);
          go.addEventListener("click", () => ctx.seek(a));
          heard.append(go);
        } else heard.append(text);
      });
      if (ranges.length > 1) heard.append(el("span", { class: "muted small" }, ` (${tr.t("custody.heard_total", { time: formatClock(heardMs(ranges)) })})`));
      item.append(heard);
    }

    const facts = detailFacts(details).map((f) => tr.t(f.key, f.args));
    if (e.object_kind) facts.unshift(tr.t("custody.object", { kind: objectKind(e.object_kind), id: e.object_id ? shortId(e.object_id) : "" }));
    if (facts.length) item.append(el("div", { class: "muted small" }, facts.join(" · ")));
    if (e.sha256) {
      item.append(el("div", { class: "muted small" }, "SHA-256 ", el("code", { class: "hash", title: e.sha256, "data-sha256": e.sha256 }, groupHash(e.sha256))));
    }
    return item;
  };

  const objectKind = (kind: string) => {
    const key = `custody.kind.${kind}`;
    const text = tr.t(key as Parameters<typeof tr.t>[0]);
    return text === key ? kind : text;
  };

  const render = () => {
    const shown = filter.value && filter.value !== "all" ? entries.filter((e) => e.event === filter.value) : entries;
    count.textContent =
      shown.length === entries.length ? tr.t("custody.count", { n: entries.length }) : tr.t("custody.count_filtered", { n: shown.length, total: entries.length });
    list.replaceChildren(...shown.map(row));
    if (entries.length === 0) list.append(el("li", { class: "panel-empty muted" }, tr.t("custody.empty")));
  };

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
    entries = r.value;
    fillFilter();
    render();
  };

  refreshButton.addEventListener("click", () => void refresh());
  filter.addEventListener("change", render);

  host.replaceChildren(
    el(
      "div",
      { class: "panel custody-panel", "data-testid": "custody-panel" },
      el("p", { class: "hint" }, tr.t("custody.intro")),
      el("div", { class: "panel-toolbar" }, filter, refreshButton, state),
      error,
      count,
      list,
    ),
  );
  fillFilter();
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

/** Ids are long; the first block tells them apart in a session. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
