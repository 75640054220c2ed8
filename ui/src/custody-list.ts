// A list of custody lines as the vault signed them, oldest first, with a
// filter by event: the review's Custody panel (the lines about one session)
// and the case's custody screen (every line of the case) both show it.
// Read-only by nature.

import type { CustodyEntryView } from "./api";
import { groupHash } from "./capture";
import { el } from "./dom";
import type { Translator } from "./i18n";
import { detailFacts, eventKey, eventsPresent, formatRanges, heardMs, parseDetails, playbackRanges } from "./review/custody-model";
import { formatClock } from "./review/time";

export interface CustodyListOptions {
  /** Listening ranges of this recording are links that seek the player there. */
  playback?: { recordingId: string | null; seek(ms: number): void };
}

export interface CustodyList {
  filter: HTMLSelectElement;
  count: HTMLElement;
  list: HTMLElement;
  show(entries: CustodyEntryView[]): void;
}

/** A custody time to the second: the chain is read for order and exact moments. */
function formatMoment(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

/** Ids are long; the first block tells them apart in a case. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

export function custodyList(tr: Translator, options: CustodyListOptions = {}): CustodyList {
  let entries: CustodyEntryView[] = [];
  const filter = el("select", { "data-testid": "custody-filter", "aria-label": tr.t("custody.filter") });
  const count = el("p", { class: "panel-count", "data-testid": "custody-count" });
  const list = el("ol", { class: "panel-rows custody-list", "data-testid": "custody-list" });

  const eventName = (event: string) => {
    const key = eventKey(event);
    return key ? tr.t(key) : event;
  };
  const objectKind = (kind: string) => {
    const key = `custody.kind.${kind}`;
    const text = tr.t(key as Parameters<typeof tr.t>[0]);
    return text === key ? kind : text;
  };

  const fillFilter = () => {
    const keep = filter.value || "all";
    filter.replaceChildren(el("option", { value: "all" }, tr.t("custody.all_events")));
    for (const e of eventsPresent(entries)) filter.append(el("option", { value: e }, eventName(e)));
    filter.value = [...filter.options].some((o) => o.value === keep) ? keep : "all";
  };

  const heardRanges = (details: Record<string, unknown>): HTMLElement => {
    const ranges = playbackRanges(details);
    const playback = options.playback;
    // Ranges of the recording being reviewed can be listened to again from here.
    const here = playback !== undefined && (details.recording_id === undefined || details.recording_id === playback.recordingId);
    const heard = el("div", { class: "custody-heard", "data-testid": "custody-ranges", "data-ranges": JSON.stringify(ranges) }, `${tr.t("custody.heard")} `);
    if (ranges.length === 0) heard.append(tr.t("common.none"));
    ranges.forEach(([a, b], i) => {
      if (i > 0) heard.append(", ");
      const text = formatRanges([[a, b]], formatClock);
      if (here) {
        const go = el("button", { type: "button", class: "link small" }, text);
        go.addEventListener("click", () => playback.seek(a));
        heard.append(go);
      } else heard.append(text);
    });
    if (ranges.length > 1) heard.append(el("span", { class: "muted small" }, ` (${tr.t("custody.heard_total", { time: formatClock(heardMs(ranges)) })})`));
    return heard;
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
    if (e.event === "PLAYBACK") item.append(heardRanges(details));
    const facts = detailFacts(details).map((f) => tr.t(f.key, f.args));
    if (e.object_kind) facts.unshift(tr.t("custody.object", { kind: objectKind(e.object_kind), id: e.object_id ? shortId(e.object_id) : "" }));
    if (facts.length) item.append(el("div", { class: "muted small" }, facts.join(" · ")));
    if (e.sha256) {
      item.append(el("div", { class: "muted small" }, "SHA-256 ", el("code", { class: "hash", title: e.sha256, "data-sha256": e.sha256 }, groupHash(e.sha256))));
    }
    // The bundle's custody.head was written just before its export was
    // logged: it is this line's link to the one before.
    if (e.event === "EXPORT_CREATED") {
      item.append(
        el("div", { class: "muted small" }, `${tr.t("custody.bundle_head")} `, el("code", { class: "hash", "data-testid": "custody-bundle-head", "data-sha256": e.prev }, groupHash(e.prev))),
      );
    }
    return item;
  };

  const render = () => {
    const shown = filter.value && filter.value !== "all" ? entries.filter((e) => e.event === filter.value) : entries;
    count.textContent =
      shown.length === entries.length ? tr.t("custody.count", { n: entries.length }) : tr.t("custody.count_filtered", { n: shown.length, total: entries.length });
    list.replaceChildren(...shown.map(row));
    if (entries.length === 0) list.append(el("li", { class: "panel-empty muted" }, tr.t("custody.empty")));
  };
  filter.addEventListener("change", render);
  fillFilter();

  return {
    filter,
    count,
    list,
    show(next) {
      entries = next;
      fillFilter();
      render();
    },
  };
}
