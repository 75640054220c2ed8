// The review workspace of one session: transport, waveform, transcript
// editor and the side panels (annotations, suggestions, quality, search,
// custody — in their own files), sharing one ReviewCtx.
//
// The screen outlives a redraw of itself (a language switch re-renders
// everything): the open player and unsaved edits are carried over to the
// new one. Leaving the screen closes the player, which writes the
// PLAYBACK custody line.

import { api, onCloseRefused, type AnnotationView, type CommandError, type PlayerStatus, type ReviewData, type SegmentDoc } from "../api";
import { formatElapsed, groupHash } from "../capture";
import { el, formatDate } from "../dom";
import type { MessageKey, Translator } from "../i18n";
import type { Ctx } from "../screens/context";
import { errorBox, loading } from "../screens/shared";
import { errorMessage } from "../view";
import { mountAnnotationsPanel } from "./annotations";
import type { ReviewCtx, ReviewEvent, Selection } from "./context";
import { mountCustodyPanel } from "./custody";
import { BINDINGS, isTextAction, resolveKey, type KeyAction } from "./keys";
import { buildPeaks } from "./peaks";
import { markUnsaved } from "./unsaved";
import { Player } from "./player";
import { mountQualityPanel } from "./quality";
import { mountRevisions, type Revisions } from "./revisions";
import { mountSearchPanel } from "./search";
import { mountSuggestionsPanel } from "./suggestions";
import { formatClock, parseTime } from "./time";
import { MARKS } from "./transcript-model";
import { mountEditor, type Editor } from "./transcript-editor";
import {
  REWIND_CHOICES_MS,
  STEP_CHOICES_MS,
  formatSpeed,
  loadSettings,
  saveSettings,
  type TransportSettings,
} from "./transport-model";
import { mountWaveform, type Waveform } from "./waveform";
import "./review.css";

type TabId = "annotations" | "suggestions" | "quality" | "search" | "custody";
const TABS: { id: TabId; mount: (ctx: ReviewCtx, host: HTMLElement) => () => void }[] = [
  { id: "annotations", mount: mountAnnotationsPanel },
  { id: "suggestions", mount: mountSuggestionsPanel },
  { id: "quality", mount: mountQualityPanel },
  { id: "search", mount: mountSearchPanel },
  { id: "custody", mount: mountCustodyPanel },
];

/** The screen on display, if any. */
interface Live {
  sessionId: string;
  /** Removes listeners, timers and panels; closes the player unless it is handed to a redrawn screen. */
  teardown(closePlayer: boolean): void;
  /** What a redrawn screen takes over. */
  handover(): Handover;
  dirty(): boolean;
  /** Asks about unsaved edits; calls `proceed` if the reviewer chooses to leave. */
  askToLeave(proceed: () => void): void;
  /** Saves unsaved transcript edits as a revision, if they pass the rules. */
  saveIfDirty(): Promise<void>;
}

interface Handover {
  draft: SegmentDoc[] | null;
  tab: TabId;
  playerOpen: boolean;
}

let live: Live | undefined;
/** Set once the reviewer chose to leave without saving, so the navigation goes through. */
let leaveApproved = false;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Leaves the review screen: closes the player (custody line) and drops the screen's state. */
export function closeReview(): void {
  live?.teardown(true);
  live = undefined;
  leaveApproved = false;
}

/**
 * Before the vault locks (idle or Ctrl+L): unsaved transcript edits are
 * saved as a revision rather than lost with the screen. Edits that break
 * a rule cannot be saved; the lock goes ahead all the same.
 */
export async function reviewSaveBeforeLock(): Promise<void> {
  await live?.saveIfDirty().catch(() => undefined);
}

/**
 * The window was asked to close with unsaved transcript edits (the app
 * refused): the reviewer chooses to save, discard or stay, as when
 * leaving the screen, and then the window closes.
 */
let closeListening = false;
function listenForCloseWithEdits(): void {
  if (closeListening) return;
  closeListening = true;
  void onCloseRefused(() => {
    if (!live?.dirty()) return;
    live.askToLeave(() => {
      markUnsaved(false);
      void api.closeWindow();
    });
  }).catch(() => undefined);
}

/**
 * Whether the shell may navigate away now. With unsaved transcript edits
 * it asks the reviewer in the screen and returns false; `proceed` is
 * called if they choose to leave anyway (or after saving).
 */
export function reviewMayLeave(proceed: () => void): boolean {
  if (!live || leaveApproved || !live.dirty()) return true;
  live.askToLeave(() => {
    leaveApproved = true;
    proceed();
  });
  return false;
}

export function reviewScreen(ctx: Ctx, sessionId: string): HTMLElement {
  const { tr } = ctx;
  listenForCloseWithEdits();
  let carried: Handover | undefined;
  if (live && live.sessionId === sessionId) {
    carried = live.handover();
    live.teardown(false);
  } else if (live) {
    live.teardown(true);
  }
  live = undefined;
  leaveApproved = false;

  const screen = el("div", { class: "review", "data-testid": "review-screen", "data-session-id": sessionId }, loading(tr));
  document.body.classList.add("reviewing");
  // Registered before loading, so leaving during the load still closes what it opens.
  let built: Live | undefined;
  let cancelled = false;
  const pending: Live = {
    sessionId,
    teardown(closePlayer) {
      cancelled = true;
      built?.teardown(closePlayer);
      if (!built) {
        document.body.classList.remove("reviewing");
        if (closePlayer && carried?.playerOpen) void api.playerClose();
      }
    },
    handover: () => built?.handover() ?? carried ?? { draft: null, tab: "annotations", playerOpen: false },
    dirty: () => built?.dirty() ?? false,
    askToLeave: (proceed) => (built ? built.askToLeave(proceed) : proceed()),
    saveIfDirty: () => built?.saveIfDirty() ?? Promise.resolve(),
  };
  live = pending;

  void (async () => {
    const r = await api.reviewSession(sessionId);
    if (cancelled) return;
    if (!r.ok) {
      screen.replaceChildren(backLink(tr, sessionId, null), errorBox(tr, r.error));
      if (carried?.playerOpen) void api.playerClose();
      return;
    }
    built = buildScreen(ctx, screen, r.value, carried);
  })();
  return screen;
}

function backLink(tr: Translator, sessionId: string, code: string | null): HTMLElement {
  return el(
    "a",
    { href: `#/sessions/${encodeURIComponent(sessionId)}`, class: "back", "data-testid": "back-to-session" },
    code ? tr.t("review.back", { code }) : tr.t("review.back_plain"),
  );
}

function buildScreen(app: Ctx, screen: HTMLElement, data: ReviewData, carried: Handover | undefined): Live {
  const { tr } = app;
  const session = data.session;
  const sessionId = session.id;
  const mayEdit = data.may_edit;
  const language: "es" | "en" = session.language === "en" ? "en" : "es";
  const recording = data.recordings.find((r) => r.id === data.recording_id) ?? null;
  const peaks = data.peaks ? buildPeaks(data.peaks) : null;
  const durationMs = recording ? Number(recording.duration_ms) || (peaks?.durationMs ?? 0) : null;
  const cleanups: (() => void)[] = [];
  let settings: TransportSettings = loadSettings(storage());

  // ---- shared state and events --------------------------------------------
  const listeners = new Map<ReviewEvent, Set<() => void>>();
  const emit = (event: ReviewEvent) => {
    for (const cb of [...(listeners.get(event) ?? [])]) {
      try {
        cb();
      } catch (e) {
        console.error(`review: a ${event} listener failed`, e);
      }
    }
  };
  let annotations: AnnotationView[] = data.annotations;
  let selection: Selection | null = null;
  let focusedAnnotation: string | null = null;
  /** Without a recording there is no player; seeking only moves this. */
  let idlePosition = 0;

  const setSelection = (s: Selection) => {
    selection = s;
    waveform?.redraw();
    emit("selection-changed");
  };

  // ---- player -------------------------------------------------------------
  const playState = el("button", { type: "button", class: "play", "data-testid": "review-play-state", "data-state": "paused", title: "Esc · Ctrl+Space" });
  const position = el("span", { class: "mono position", "data-testid": "review-position" }, formatClock(0));
  const duration = el("span", { class: "mono duration", "data-testid": "review-duration" }, formatClock(durationMs ?? 0));
  const speed = el("span", { class: "mono speed", "data-testid": "review-speed", "aria-live": "polite" }, formatSpeed(1));
  const playerError = el("p", { class: "form-error player-error", role: "alert", "data-testid": "review-player-error", hidden: "" });
  const showPlayerError = (e: CommandError | undefined) => {
    playerError.textContent = e ? errorMessage(e, tr) : "";
    playerError.hidden = !e;
    if (e) playerError.dataset.errorCode = e.code;
  };
  const showPlayState = (playing: boolean) => {
    const state = playing ? "playing" : "paused";
    if (playState.dataset.state === state && playState.textContent) return;
    playState.dataset.state = state;
    playState.textContent = playing ? `❚❚ ${tr.t("review.pause")}` : `▶ ${tr.t("review.play")}`;
    playState.setAttribute("aria-label", tr.t(playing ? "review.pause" : "review.play"));
  };
  showPlayState(false);

  let shownSecond = -1;
  const player: Player | null = recording
    ? new Player(recording.id, durationMs ?? 0, {
        frame(ms, playing) {
          const second = Math.floor(ms / 1000);
          if (second !== shownSecond) {
            shownSecond = second;
            position.textContent = formatClock(ms);
          }
          position.dataset.ms = String(Math.round(ms));
          waveform?.setPlayhead(ms, playing);
          editor.setPlayhead(ms, playing);
        },
        status(s: PlayerStatus) {
          // A failure the player reports (a damaged chunk, a locked vault,
          // a lost output) stays shown until playback works again.
          showPlayerError(s.error ? { code: s.error, message: s.error, args: {} } : undefined);
          showPlayState(s.playing && !s.ended);
          speed.textContent = formatSpeed(s.speed);
          speed.dataset.speed = s.speed.toFixed(1);
          duration.textContent = formatClock(s.duration_ms || durationMs || 0);
        },
        error: showPlayerError,
      })
    : null;
  const positionMs = () => (player ? player.positionMs() : idlePosition);
  const seek = (ms: number) => {
    if (player) {
      void player.seek(ms);
    } else {
      idlePosition = Math.max(0, ms);
      editor.setPlayhead(idlePosition, false);
    }
  };

  // ---- waveform -------------------------------------------------------------
  const waveform: Waveform | null = recording
    ? mountWaveform({
        tr,
        peaks,
        durationMs: durationMs ?? 0,
        markers: data.markers,
        phases: data.phases,
        annotations: () => annotations,
        selection: () => selection,
        focusedAnnotation: () => focusedAnnotation,
        seek,
        select: setSelection,
        openAnnotation: (id) => rctx.focusAnnotation(id),
      })
    : null;
  if (waveform) cleanups.push(() => waveform.dispose());

  // ---- transcript editor and revisions ------------------------------------------
  const help = helpPanel(tr, language);
  const helpButton = el("button", { type: "button", "data-testid": "review-help", "aria-expanded": "false", "aria-controls": "review-help-panel" }, tr.t("review.help"));
  const toggleHelp = (show = help.hidden) => {
    help.hidden = !show;
    helpButton.setAttribute("aria-expanded", String(show));
  };
  helpButton.addEventListener("click", () => toggleHelp());
  help.querySelector<HTMLButtonElement>("[data-testid=review-help-close]")!.addEventListener("click", () => {
    toggleHelp(false);
    helpButton.focus();
  });

  const revisions: Revisions = mountRevisions({
    tr,
    sessionId,
    mayEdit,
    current: () => editor.document(),
    dirty: () => editor.dirty(),
    seek,
    load: (doc) => editor.replace(doc),
  });
  const editor: Editor = mountEditor({
    tr,
    sessionId,
    language,
    mayEdit,
    durationMs,
    saved: data.transcript,
    draft: carried?.draft ?? undefined,
    hasPlayer: player !== null,
    position: positionMs,
    seek,
    select: setSelection,
    changed: () => emit("transcript-changed"),
    savedRevision: () => {
      revisions.invalidate();
      emit("transcript-saved");
    },
    tools: [revisions.button, helpButton],
  });

  // ---- the context the panels share -----------------------------------------------
  const rctx: ReviewCtx = {
    app,
    sessionId,
    language,
    data,
    mayEdit,
    transcript: () => editor.document(),
    annotations: () => annotations,
    setAnnotations(list) {
      annotations = list;
      if (focusedAnnotation && !list.some((a) => a.id === focusedAnnotation)) focusedAnnotation = null;
      waveform?.redraw();
      emit("annotations-changed");
    },
    selection: () => selection,
    positionMs,
    seek,
    focusSegment(id) {
      editor.focusSegment(id, true);
    },
    focusAnnotation(id) {
      const a = annotations.find((x) => x.id === id);
      if (!a) return;
      focusedAnnotation = id;
      waveform?.reveal(a.start_ms, a.end_ms);
      waveform?.redraw();
      seek(a.start_ms);
      if (a.segment_id) editor.revealSegment(a.segment_id);
      selectTab("annotations");
      const row = panelHosts.get("annotations")?.querySelector<HTMLElement>(`[data-annotation-id="${CSS.escape(id)}"]`);
      if (row) {
        row.scrollIntoView({ block: "nearest" });
        row.classList.add("flash");
        window.setTimeout(() => row.classList.remove("flash"), 1600);
      }
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
  };

  // ---- sidebar tabs ------------------------------------------------------------
  const tablist = el("div", { class: "tabs", role: "tablist", "aria-label": tr.t("review.panels") });
  const panelArea = el("div", { class: "tab-panels" });
  const tabButtons = new Map<TabId, HTMLButtonElement>();
  const panelHosts = new Map<TabId, HTMLElement>();
  const panelDisposers = new Map<TabId, () => void>();
  let currentTab: TabId = carried?.tab ?? "annotations";
  for (const { id } of TABS) {
    const button = el(
      "button",
      { type: "button", role: "tab", id: `tab-${id}`, "data-testid": `tab-${id}`, "aria-controls": `panel-${id}`, "aria-selected": "false", tabindex: "-1" },
      tr.t(`review.tab.${id}` as MessageKey),
    );
    button.addEventListener("click", () => selectTab(id));
    tabButtons.set(id, button);
    tablist.append(button);
    const host = el("div", { class: "tab-panel", role: "tabpanel", id: `panel-${id}`, "aria-labelledby": `tab-${id}`, "data-panel": id, hidden: "" });
    panelHosts.set(id, host);
    panelArea.append(host);
  }
  tablist.addEventListener("keydown", (e) => {
    const i = TABS.findIndex((t) => t.id === currentTab);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    const next = e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : (i + step + TABS.length) % TABS.length;
    selectTab(TABS[next]!.id);
    tabButtons.get(TABS[next]!.id)!.focus();
  });
  function selectTab(id: TabId): void {
    currentTab = id;
    for (const { id: other, mount } of TABS) {
      const on = other === id;
      const button = tabButtons.get(other)!;
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
      const host = panelHosts.get(other)!;
      host.hidden = !on;
      // Panels mount the first time they are shown and stay mounted, keeping what was typed in them.
      if (on && !panelDisposers.has(other)) {
        try {
          panelDisposers.set(other, mount(rctx, host));
        } catch (e) {
          console.error(`review: the ${other} panel failed to start`, e);
          host.replaceChildren(el("p", { class: "form-error", role: "alert" }, tr.t("error.unexpected", { message: String(e) })));
          panelDisposers.set(other, () => undefined);
        }
      }
    }
  }
  cleanups.push(() => {
    for (const dispose of panelDisposers.values()) {
      try {
        dispose();
      } catch (e) {
        console.error("review: a panel failed to close", e);
      }
    }
    panelDisposers.clear();
  });

  // ---- transport ------------------------------------------------------------------
  const stepLabel = () => tr.t("review.seconds", { n: formatSeconds(settings.stepMs, tr) });
  const back = el("button", { type: "button", "data-testid": "review-back", title: "F1" }, `⟲ ${stepLabel()}`);
  const forward = el("button", { type: "button", "data-testid": "review-forward", title: "F2" }, `${stepLabel()} ⟳`);
  const slower = el("button", { type: "button", class: "icon", "data-testid": "review-slower", title: "F3", "aria-label": tr.t("review.slower") }, "−");
  const faster = el("button", { type: "button", class: "icon", "data-testid": "review-faster", title: "F4", "aria-label": tr.t("review.faster") }, "+");
  const gotoInput = el("input", { type: "text", class: "mono", "data-testid": "review-goto", placeholder: "hh:mm:ss", "aria-label": tr.t("review.goto_label"), autocomplete: "off", spellcheck: "false" });
  const gotoGo = el("button", { type: "button", class: "small", "data-testid": "review-goto-go" }, tr.t("review.goto_go"));
  const gotoError = el("span", { class: "field-error", role: "alert", hidden: "" });
  const gotoBox = el("div", { class: "popover goto", "data-testid": "review-goto-box", hidden: "" }, gotoInput, gotoGo, gotoError);
  const gotoOpen = el("button", { type: "button", "data-testid": "review-goto-open", title: "Ctrl+G", "aria-expanded": "false" }, tr.t("review.goto"));
  const stepSelect = el("select", { id: "review-step", "data-testid": "review-step" });
  for (const ms of STEP_CHOICES_MS) stepSelect.append(el("option", { value: String(ms) }, tr.t("review.seconds", { n: formatSeconds(ms, tr) })));
  const rewindSelect = el("select", { id: "review-rewind", "data-testid": "review-rewind" });
  for (const ms of REWIND_CHOICES_MS) {
    rewindSelect.append(el("option", { value: String(ms) }, ms === 0 ? tr.t("review.rewind_none") : tr.t("review.seconds", { n: formatSeconds(ms, tr) })));
  }
  const settingsBox = el(
    "div",
    { class: "popover settings", "data-testid": "review-settings", hidden: "" },
    el("div", { class: "field" }, el("label", { for: "review-step" }, tr.t("review.step")), stepSelect),
    el("div", { class: "field" }, el("label", { for: "review-rewind" }, tr.t("review.rewind")), rewindSelect, el("p", { class: "hint" }, tr.t("review.rewind_hint"))),
  );
  const settingsOpen = el("button", { type: "button", "data-testid": "review-settings-open", "aria-expanded": "false" }, tr.t("review.settings"));
  const showSettings = () => {
    stepSelect.value = String(settings.stepMs);
    if (!STEP_CHOICES_MS.includes(settings.stepMs)) stepSelect.append(el("option", { value: String(settings.stepMs) }, tr.t("review.seconds", { n: formatSeconds(settings.stepMs, tr) })));
    stepSelect.value = String(settings.stepMs);
    rewindSelect.value = String(settings.rewindMs);
    back.textContent = `⟲ ${stepLabel()}`;
    forward.textContent = `${stepLabel()} ⟳`;
  };
  const changeSettings = () => {
    settings = { stepMs: Number(stepSelect.value), rewindMs: Number(rewindSelect.value) };
    saveSettings(storage(), settings);
    showSettings();
  };
  stepSelect.addEventListener("change", changeSettings);
  rewindSelect.addEventListener("change", changeSettings);
  showSettings();

  /** Where the keyboard was before a popover took it, to give it back. */
  let returnFocus: HTMLElement | null = null;
  const openPopover = (box: HTMLElement, opener: HTMLElement, focus: HTMLElement) => {
    const a = document.activeElement;
    returnFocus = a instanceof HTMLElement && a !== document.body ? a : null;
    box.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    focus.focus();
  };
  const closePopover = (box: HTMLElement, opener: HTMLElement, restore: boolean) => {
    box.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    if (restore && returnFocus?.isConnected) returnFocus.focus({ preventScroll: true });
    returnFocus = null;
  };
  const openGoto = () => {
    gotoError.hidden = true;
    gotoInput.removeAttribute("aria-invalid");
    gotoInput.value = formatClock(positionMs());
    openPopover(gotoBox, gotoOpen, gotoInput);
    gotoInput.select();
  };
  const go = () => {
    const ms = parseTime(gotoInput.value);
    if (ms === null || (durationMs !== null && ms > durationMs)) {
      gotoError.textContent = ms === null ? tr.t("review.time_invalid") : tr.t("review.time_after_end", { end: formatClock(durationMs ?? 0) });
      gotoError.hidden = false;
      gotoInput.setAttribute("aria-invalid", "true");
      return;
    }
    seek(ms);
    closePopover(gotoBox, gotoOpen, true);
  };
  gotoOpen.addEventListener("click", () => (gotoBox.hidden ? openGoto() : closePopover(gotoBox, gotoOpen, false)));
  gotoGo.addEventListener("click", go);
  gotoInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      go();
    }
  });
  settingsOpen.addEventListener("click", () =>
    settingsBox.hidden ? openPopover(settingsBox, settingsOpen, stepSelect) : closePopover(settingsBox, settingsOpen, false),
  );

  const toggle = () => void player?.toggle(settings.rewindMs);
  playState.addEventListener("click", toggle);
  back.addEventListener("click", () => void player?.skip(-settings.stepMs));
  forward.addEventListener("click", () => void player?.skip(settings.stepMs));
  slower.addEventListener("click", () => void player?.stepSpeed(-1));
  faster.addEventListener("click", () => void player?.stepSpeed(1));

  const transport = player
    ? el(
        "div",
        { class: "transport", role: "toolbar", "aria-label": tr.t("review.transport") },
        back,
        playState,
        forward,
        el("span", { class: "clock" }, position, el("span", { class: "sep", "aria-hidden": "true" }, " / "), duration),
        el("span", { class: "speed-group", role: "group", "aria-label": tr.t("review.speed") }, slower, speed, faster),
        el("span", { class: "popover-anchor" }, gotoOpen, gotoBox),
        el("span", { class: "popover-anchor" }, settingsOpen, settingsBox),
      )
    : "";

  // ---- keyboard -----------------------------------------------------------------
  const side = el("aside", { class: "review-side", "aria-label": tr.t("review.panels") }, tablist, panelArea);
  /** Esc first closes what is open over the work (a popover, the help, the revisions). */
  const closeTop = (): boolean => {
    if (!gotoBox.hidden) return closePopover(gotoBox, gotoOpen, true), true;
    if (!settingsBox.hidden) return closePopover(settingsBox, settingsOpen, true), true;
    if (leaveDialog.isConnected) return leaveDialog.remove(), true;
    if (!help.hidden) return toggleHelp(false), true;
    if (revisions.isOpen()) return revisions.close(), true;
    return false;
  };
  const run = (a: KeyAction) => {
    switch (a.kind) {
      case "toggle":
        return toggle();
      case "skip":
        return void player?.skip(a.direction * settings.stepMs);
      case "speed":
        return void player?.stepSpeed(a.direction);
      case "goto":
        return player ? openGoto() : undefined;
      case "add-segment":
        return editor.addAtPlayhead();
      case "save":
        return void editor.save();
      case "stamp":
        return void editor.insertStamp();
      case "mark":
        return void editor.insertMark(a.mark);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (!screen.isConnected) return;
    const a = resolveKey(e);
    if (!a) return;
    if (e.key === "Escape" && closeTop()) {
      e.preventDefault();
      return;
    }
    // The side panels have their own forms: adding segments and quick marks belong to the transcript.
    const inSide = e.target instanceof Node && side.contains(e.target);
    if (inSide && (isTextAction(a) || a.kind === "add-segment")) return;
    e.preventDefault();
    run(a);
  };
  document.addEventListener("keydown", onKey, true);
  cleanups.push(() => document.removeEventListener("keydown", onKey, true));

  // ---- leaving with unsaved edits -----------------------------------------------
  const leaveDialog = el("div", { class: "review-dialog leave", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "leave-q", "data-testid": "review-leave-dialog" });
  const askToLeave = (proceed: () => void) => {
    const stay = el("button", { type: "button", "data-testid": "review-leave-stay" }, tr.t("review.leave_stay"));
    const discard = el("button", { type: "button", "data-testid": "review-leave-discard" }, tr.t("review.leave_discard"));
    const saveLeave = el("button", { type: "button", class: "primary", "data-testid": "review-leave-save" }, tr.t("review.leave_save"));
    stay.addEventListener("click", () => leaveDialog.remove());
    discard.addEventListener("click", () => {
      leaveDialog.remove();
      proceed();
    });
    saveLeave.addEventListener("click", async () => {
      leaveDialog.remove();
      await editor.save();
      if (!editor.dirty()) proceed();
    });
    if (!mayEdit) saveLeave.hidden = true;
    leaveDialog.replaceChildren(el("p", { id: "leave-q" }, tr.t("review.leave_question")), el("div", { class: "actions" }, stay, discard, saveLeave));
    screen.append(leaveDialog);
    stay.focus();
  };

  // ---- layout -------------------------------------------------------------------
  const recordingLine = recording
    ? el(
        "p",
        { class: "hint recording-line", "data-testid": "review-recording", "data-recording-id": recording.id },
        tr.t("review.recording_line", {
          when: formatDate(recording.started_at, tr.locale),
          duration: formatElapsed(Number(recording.duration_ms)),
          origin: tr.t(recording.origin === "imported" ? "review.origin_imported" : "review.origin_captured"),
        }),
        " ",
        recording.sha256 ? el("code", { class: "hash", title: groupHash(recording.sha256) }, recording.sha256.slice(0, 12)) : "",
      )
    : el("p", { class: "notice", role: "status", "data-testid": "review-no-recording" }, tr.t("review.no_recording"));
  const damaged =
    data.damaged_annotations > 0
      ? el("p", { class: "notice warn", role: "status", "data-testid": "review-damaged" }, tr.t("review.damaged_annotations", { count: data.damaged_annotations }))
      : "";

  const left = el("div", { class: "review-left" }, editor.node, revisions.panel, help);
  screen.replaceChildren(
    el(
      "header",
      { class: "review-top" },
      el("div", { class: "review-title" }, backLink(tr, sessionId, session.child_code), el("h2", { class: "page-title", "data-testid": "review-title" }, tr.t("review.heading", { code: session.child_code }))),
      transport,
    ),
    playerError,
    recordingLine,
    damaged,
    waveform ? waveform.node : "",
    el("div", { class: "review-main" }, left, side),
  );
  selectTab(currentTab);

  // ---- player start ------------------------------------------------------------
  /** How this screen ended, for a player open that completes after it. */
  const end: { state: "no" | "closed" | "handed" } = { state: "no" };
  if (player) {
    void (async () => {
      await (carried?.playerOpen ? player.adopt() : player.open());
      // Left while opening (the close may have reached the backend first): the
      // player must not stay open with nobody listening — unless another review
      // screen has started since and the player is now its own.
      if (end.state === "closed" && live === undefined) void api.playerClose();
    })();
  } else if (carried?.playerOpen) {
    void api.playerClose();
  }

  const self: Live = {
    sessionId,
    teardown(closePlayer) {
      for (const c of cleanups.splice(0)) c();
      // Leaving the screen, saved or not, is decided by now.
      if (closePlayer) markUnsaved(false);
      editor.dispose();
      listeners.clear();
      document.body.classList.remove("reviewing");
      end.state = closePlayer ? "closed" : "handed";
      if (player) {
        if (closePlayer) void player.close();
        else player.detach();
      }
    },
    handover: () => ({ draft: editor.dirty() ? editor.draft() : null, tab: currentTab, playerOpen: player !== null }),
    dirty: () => editor.dirty(),
    askToLeave,
    saveIfDirty: async () => {
      if (editor.dirty()) await editor.save();
    },
  };
  return self;
}

function formatSeconds(ms: number, tr: Translator): string {
  return new Intl.NumberFormat(tr.locale, { maximumFractionDigits: 2 }).format(ms / 1000);
}

/** The keys and the transcription marks, as docs/TRANSCRIPTION.md lists them. */
function helpPanel(tr: Translator, language: "es" | "en"): HTMLElement {
  const keys = el("dl", { class: "keys-list" });
  for (const b of BINDINGS) {
    const combos = el("dt", {});
    b.keys.forEach((k, i) => {
      if (i > 0) combos.append(` ${tr.t("review.or")} `);
      combos.append(el("kbd", {}, k));
    });
    keys.append(combos, el("dd", {}, tr.t(b.description)));
  }
  const marks = el("dl", { class: "keys-list" });
  const m = MARKS[language];
  const convention = (text: string, key: MessageKey) => marks.append(el("dt", {}, el("code", {}, text)), el("dd", {}, tr.t(key)));
  convention(m.pause.text, "review.conv.pause");
  convention(m.long_pause.text.replace("  ", " 4 "), "review.conv.long_pause");
  convention(m.unintelligible.text, "review.conv.unintelligible");
  convention(language === "es" ? "[llora]" : "[cries]", "review.conv.nonverbal");
  convention(m.overlap.text, "review.conv.overlap");
  convention("[00:12:34]", "review.conv.stamp");
  convention("—", "review.conv.cut_off");
  convention(language === "es" ? "(camión?)" : "(truck?)", "review.conv.uncertain");
  return el(
    "section",
    { class: "review-dialog help", id: "review-help-panel", role: "dialog", "aria-labelledby": "review-help-heading", "data-testid": "review-help-panel", hidden: "" },
    el(
      "div",
      { class: "dialog-head" },
      el("h2", { class: "card-heading", id: "review-help-heading" }, tr.t("review.help_heading")),
      el("button", { type: "button", class: "icon", "data-testid": "review-help-close", "aria-label": tr.t("review.close"), title: tr.t("review.close") }, "×"),
    ),
    el("div", { class: "help-columns" }, el("div", {}, el("h3", { class: "sub" }, tr.t("review.help_keys")), keys), el("div", {}, el("h3", { class: "sub" }, tr.t("review.help_marks", { language: tr.t(`language.${language}` as MessageKey) })), marks, el("p", { class: "hint" }, tr.t("review.help_marks_note")))),
  );
}
