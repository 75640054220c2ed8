// The recording screens of one session.
//
// 1. Before recording: choose the input among all devices (Bluetooth ones
//    are flagged), watch the live level, make a 5-second test and play it
//    back. Nothing of the check is stored.
// 2. Listening mode: the whole window, quiet, a large timer, a faint level
//    indicator, the current phase and a discreet reminder of the method.
//    M places a silent marker, 1–4 mark a phase; nothing asks for typing.
//    Device loss and disk trouble show as a banner while recording goes on.
//    Stop asks for confirmation, then the sealed summary is shown.

import { api, onCaptureStatus, onCloseRefused, type CommandError, type DeviceView, type LiveStatus, type RecordingSummary } from "../api";
import {
  LatencyStats,
  PHASE_IDS,
  SILENCE_DBFS,
  chooseInput,
  formatElapsed,
  groupHash,
  isPhaseId,
  isVerdict,
  levelFraction,
  listeningAction,
  troubleOf,
  type Trouble,
} from "../capture";
import { el } from "../dom";
import type { MessageKey, Translator } from "../i18n";
import { errorMessage } from "../view";
import type { Ctx } from "./context";
import { errorBox, loading } from "./shared";
import "../record.css";

const TEST_MS = 5_000;

/** Whether a recording screen holds an open recording (the shell must not lock then). */
let recordingActive = false;
export function isRecordingActive(): boolean {
  return recordingActive;
}

/** The last input test's audio, in memory only, until replaced or released. */
let testUrl: string | undefined;
export function releaseTestAudio(): void {
  if (testUrl) URL.revokeObjectURL(testUrl);
  testUrl = undefined;
}

/** Level-meter latency: from the backend's reading to the drawn meter. */
export const meterLatency = new LatencyStats();

type StatusHandler = (s: LiveStatus) => void;
let statusHandler: StatusHandler | undefined;
let listening = false;

/** Told when the window refused to close because a recording runs. */
let closeRefusedHandler: (() => void) | undefined;

async function ensureStatusListener(): Promise<void> {
  if (listening) return;
  listening = true;
  await onCaptureStatus((s, sentAtMs) => {
    meterLatency.add(Date.now() - sentAtMs);
    statusHandler?.(s);
  });
  await onCloseRefused(() => closeRefusedHandler?.());
}

export function recordScreen(ctx: Ctx, sessionId: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "record-screen", "data-session-id": sessionId }, loading(tr));
  void (async () => {
    await ensureStatusListener().catch(() => undefined);
    const current = await api.captureStatus();
    if (current.ok && current.value?.mode === "recording") {
      // Came back to a recording in progress (the screen was redrawn): it
      // is that recording's session that is shown, whatever the route says.
      screen.replaceChildren(listeningMode(ctx, current.value.session_id ?? sessionId, current.value.device));
      return;
    }
    const session = await api.getSession(sessionId);
    if (!session.ok) return screen.replaceChildren(errorBox(tr, session.error));
    const devices = await api.listDevices();
    if (!devices.ok) {
      return screen.replaceChildren(back(tr, sessionId), el("section", { class: "card" }, errorBox(tr, devices.error, "record-error")));
    }
    screen.replaceChildren(back(tr, sessionId), beforeRecording(ctx, sessionId, session.value.child_code, devices.value));
  })();
  return screen;
}

function back(tr: Translator, sessionId: string): HTMLElement {
  const link = el("a", { href: `#/sessions/${encodeURIComponent(sessionId)}`, class: "back", "data-testid": "back-to-session" }, tr.t("record.back"));
  return link;
}

// ---- before recording ------------------------------------------------------

function beforeRecording(ctx: Ctx, sessionId: string, childCode: string, found: DeviceView[]): HTMLElement {
  const { tr } = ctx;
  let devices = found;
  const select = el("select", { id: "record-device", "data-testid": "record-device" });
  /** Lists the inputs, keeping `keep` chosen if it is still there and usable; says whether it is gone. */
  const fillSelect = (keep?: string): boolean => {
    select.replaceChildren();
    for (const d of devices) {
      const label = d.bluetooth ? `${d.name} — ${tr.t("record.bluetooth_short")}` : d.name;
      const option = el("option", { value: d.name }, label);
      if (!d.format) option.disabled = true;
      select.append(option);
    }
    const chosen = chooseInput(devices, keep);
    if (chosen.name !== undefined) select.value = chosen.name;
    return chosen.lost;
  };
  fillSelect();
  // A microphone plugged in after the screen opened: the inputs are listed
  // again with the meter's input closed (probing an open device can fail).
  const rescan = el("button", { type: "button", class: "small", "data-testid": "record-rescan" }, tr.t("record.rescan"));
  const rescanned = el("span", { class: "muted small", "data-testid": "record-rescanned", "aria-live": "polite" });
  const formatLine = el("p", { class: "hint", "data-testid": "record-format" });
  const bluetooth = el("p", { class: "notice warn", role: "status", "data-testid": "record-bluetooth-warning", hidden: "" }, tr.t("record.bluetooth_warning"));
  const meter = levelMeter("record-level");
  const silence = el("p", { class: "notice warn", role: "status", "data-testid": "record-silence-warning", hidden: "" }, tr.t("record.silence_warning"));
  const result = el("div", { class: "check-result", "data-testid": "record-check-result", "aria-live": "polite" });
  const error = el("p", { class: "form-error", role: "alert", "data-testid": "record-error", hidden: "" });
  const testButton = el("button", { type: "button", "data-testid": "record-test" }, tr.t("record.test"));
  const startButton = el("button", { type: "button", class: "primary large", "data-testid": "record-start" }, tr.t("record.start"));

  const showError = (e: CommandError | undefined) => {
    error.textContent = e ? errorMessage(e, tr) : "";
    error.hidden = !e;
    if (e) error.dataset.errorCode = e.code;
  };
  const chosen = () => devices.find((d) => d.name === select.value);
  let quietSince: number | undefined;
  const describe = () => {
    const d = chosen();
    formatLine.textContent = d?.format ? tr.t("record.format", { format: d.format }) : tr.t("record.no_format");
    bluetooth.hidden = !d?.bluetooth;
  };
  const startCheck = async () => {
    showError(undefined);
    quietSince = undefined;
    silence.hidden = true;
    const r = await api.startCheck(select.value || null);
    if (!r.ok) showError(r.error);
  };
  statusHandler = (s) => {
    if (s.mode !== "checking") return;
    meter.set(s.peak_dbfs, s.rms_dbfs);
    meter.node.dataset.latencyN = String(meterLatency.count);
    meter.node.dataset.latencyP50 = meterLatency.percentile(50).toFixed(1);
    meter.node.dataset.latencyP95 = meterLatency.percentile(95).toFixed(1);
    const now = Date.now();
    if (s.peak_dbfs < SILENCE_DBFS) quietSince ??= now;
    else quietSince = undefined;
    silence.hidden = quietSince === undefined || now - quietSince < TEST_MS;
  };
  select.addEventListener("change", () => {
    describe();
    result.replaceChildren();
    void startCheck();
  });
  rescan.addEventListener("click", async () => {
    // Nothing else may use the input meanwhile: the choice, the test and the start wait.
    for (const c of [rescan, testButton, startButton, select]) c.disabled = true;
    rescanned.textContent = "";
    const keep = select.value;
    await api.cancelCheck();
    const r = await api.listDevices();
    if (r.ok) {
      devices = r.value;
      const lost = fillSelect(keep);
      describe();
      result.replaceChildren();
      rescanned.textContent = lost ? tr.t("record.rescanned_lost", { n: devices.length, name: keep }) : tr.t("record.rescanned", { n: devices.length });
    }
    await startCheck();
    // After the check's own (which clears the slot first).
    if (!r.ok) showError(r.error);
    for (const c of [rescan, testButton, startButton, select]) c.disabled = false;
  });

  testButton.addEventListener("click", async () => {
    testButton.disabled = true;
    startButton.disabled = true;
    rescan.disabled = true;
    result.replaceChildren(el("p", { class: "muted", "data-testid": "record-testing" }, tr.t("record.testing")));
    await startCheck();
    await new Promise((resolve) => setTimeout(resolve, TEST_MS));
    const r = await api.finishCheck();
    if (!r.ok) {
      showError(r.error);
    } else {
      const verdict = isVerdict(r.value.verdict) ? r.value.verdict : "silent";
      const audio = await api.testAudio();
      // No download entry: the test stays in memory.
      const player = el("audio", { controls: "", controlslist: "nodownload", "data-testid": "record-playback" });
      releaseTestAudio();
      testUrl = audio.ok ? URL.createObjectURL(new Blob([base64Bytes(audio.value)], { type: "audio/wav" })) : undefined;
      if (testUrl) player.src = testUrl;
      result.replaceChildren(
        el(
          "p",
          { class: `notice ${verdict === "good" ? "ok" : "warn"}`, "data-testid": "record-verdict", "data-verdict": verdict },
          tr.t(`record.verdict.${verdict}` as MessageKey),
        ),
        el("p", { class: "hint" }, tr.t("record.test_levels", { peak: r.value.peak_dbfs.toFixed(1), rms: r.value.rms_dbfs.toFixed(1) })),
        el("p", { class: "hint" }, tr.t("record.test_not_stored")),
        player,
      );
      // Keep the meter alive for the choice that follows.
      void startCheck();
    }
    testButton.disabled = false;
    startButton.disabled = false;
    rescan.disabled = false;
  });

  startButton.addEventListener("click", async () => {
    // The input is the recording's from now on: no other choice, test or listing.
    for (const c of [startButton, testButton, rescan, select]) c.disabled = true;
    showError(undefined);
    const r = await api.startRecording(sessionId, select.value || null);
    if (!r.ok) {
      for (const c of [startButton, testButton, rescan, select]) c.disabled = false;
      showError(r.error);
      void startCheck();
      return;
    }
    const screen = startButton.closest<HTMLElement>("[data-testid=record-screen]")!;
    screen.replaceChildren(listeningMode(ctx, sessionId, r.value.device));
  });

  describe();
  void startCheck();
  return el(
    "section",
    { class: "card", "data-testid": "before-recording" },
    el("h2", { class: "page-title" }, tr.t("record.heading", { code: childCode })),
    el("p", { class: "muted" }, tr.t("record.intro")),
    el(
      "div",
      { class: "field" },
      el("label", { for: "record-device" }, tr.t("record.device")),
      el("div", { class: "device-row" }, select, rescan, rescanned),
      formatLine,
    ),
    bluetooth,
    el("div", { class: "field" }, el("span", { class: "label" }, tr.t("record.level")), meter.node),
    silence,
    el("div", { class: "actions" }, testButton),
    result,
    error,
    el("div", { class: "actions" }, startButton),
  );
}

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function levelMeter(testid: string): { node: HTMLElement; set(peak: number, rms: number): void } {
  const rms = el("div", { class: "level-rms" });
  const peak = el("div", { class: "level-peak" });
  const node = el("div", { class: "level-meter", role: "meter", "aria-valuemin": "-60", "aria-valuemax": "0", "data-testid": testid }, rms, peak);
  return {
    node,
    set(peakDb: number, rmsDb: number) {
      rms.style.width = `${(levelFraction(rmsDb) * 100).toFixed(1)}%`;
      peak.style.left = `${(levelFraction(peakDb) * 100).toFixed(1)}%`;
      node.setAttribute("aria-valuenow", peakDb.toFixed(0));
      node.dataset.peak = peakDb.toFixed(1);
    },
  };
}

// ---- listening mode --------------------------------------------------------

function listeningMode(ctx: Ctx, sessionId: string, device: string): HTMLElement {
  const { tr } = ctx;
  recordingActive = true;
  document.body.classList.add("listening");
  const timer = el("div", { class: "timer", "data-testid": "listening-timer", role: "timer" }, "00:00");
  const level = el("div", { class: "presence", "data-testid": "listening-level", "aria-hidden": "true" });
  const phase = el("div", { class: "phase", "data-testid": "listening-phase" }, tr.t("listening.no_phase"));
  const feedback = el("div", { class: "feedback", "data-testid": "listening-feedback", "aria-live": "polite" });
  const banner = el("div", { class: "banner", role: "alert", "data-testid": "listening-banner", hidden: "" });
  const reminder = el(
    "aside",
    { class: "reminder" },
    el("p", {}, tr.t("listening.reminder_listen")),
    el("p", {}, tr.t("listening.reminder_invitations")),
    el("p", { class: "keys" }, tr.t("listening.keys")),
  );
  const stop = el("button", { type: "button", class: "stop", "data-testid": "listening-stop" }, tr.t("listening.stop"));
  const view = el(
    "section",
    { class: "listening-view", "data-testid": "listening-mode", "data-device": device },
    banner,
    el("div", { class: "centre" }, phase, timer, level, feedback),
    reminder,
    el("div", { class: "bottom" }, stop),
  );

  let markers = 0;
  let feedbackTimer: number | undefined;
  const flash = (text: string) => {
    feedback.textContent = text;
    window.clearTimeout(feedbackTimer);
    feedbackTimer = window.setTimeout(() => (feedback.textContent = ""), 1500);
  };
  const showPhase = (id: string | null) => {
    if (isPhaseId(id)) {
      phase.textContent = tr.t(`phase.${id}` as MessageKey);
      phase.dataset.phase = id;
    }
  };
  let lastTrouble: Trouble = "";
  statusHandler = (s) => {
    if (s.mode !== "recording") return;
    timer.textContent = formatElapsed(s.elapsed_ms);
    timer.dataset.elapsedMs = String(s.elapsed_ms);
    // A faint presence that breathes with the voice, not a VU meter to watch.
    level.style.opacity = (0.15 + 0.6 * levelFraction(s.rms_dbfs + 12)).toFixed(2);
    level.dataset.peak = s.peak_dbfs.toFixed(1);
    showPhase(s.phase);
    markers = Number(s.markers);
    view.dataset.markers = String(markers);
    const trouble = troubleOf(s);
    if (trouble !== lastTrouble) {
      lastTrouble = trouble;
      showTrouble(ctx, banner, trouble);
    }
  };

  closeRefusedHandler = () => flash(tr.t("listening.close_refused"));

  const onKey = async (e: KeyboardEvent) => {
    if (!view.isConnected) return document.removeEventListener("keydown", onKey);
    if (view.querySelector(".confirm")) return;
    const action = listeningAction(e);
    if (action.kind === "none") return;
    e.preventDefault();
    if (action.kind === "marker") {
      const r = await api.marker();
      if (r.ok) flash(tr.t("listening.marker_placed", { n: markers + 1, at: formatElapsed(Number(r.value.at_ms)) }));
      else flash(errorMessage(r.error, tr));
    } else {
      const r = await api.phase(action.number);
      if (r.ok) {
        showPhase(r.value.kind);
        flash(tr.t("listening.phase_set", { phase: tr.t(`phase.${PHASE_IDS[action.number - 1]}` as MessageKey) }));
      } else flash(errorMessage(r.error, tr));
    }
  };
  document.addEventListener("keydown", onKey);

  stop.addEventListener("click", () => {
    if (view.querySelector(".confirm")) return;
    const yes = el("button", { type: "button", class: "primary", "data-testid": "listening-stop-confirm" }, tr.t("listening.stop_confirm"));
    const no = el("button", { type: "button", "data-testid": "listening-stop-cancel" }, tr.t("listening.stop_cancel"));
    const dialog = el(
      "div",
      { class: "confirm", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "stop-q", "data-testid": "listening-stop-dialog" },
      el("p", { id: "stop-q" }, tr.t("listening.stop_question")),
      el("div", { class: "actions" }, no, yes),
    );
    no.addEventListener("click", () => dialog.remove());
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      no.disabled = true;
      dialog.querySelector("p")!.textContent = tr.t("listening.sealing");
      const r = await api.stopRecording();
      document.removeEventListener("keydown", onKey);
      recordingActive = false;
      document.body.classList.remove("listening");
      statusHandler = undefined;
      closeRefusedHandler = undefined;
      const screen = view.closest<HTMLElement>("[data-testid=record-screen]")!;
      screen.replaceChildren(r.ok ? summaryCard(ctx, r.value) : stoppedWithError(ctx, sessionId, r.error));
    });
    view.append(dialog);
    no.focus();
  });
  return view;
}

function showTrouble(ctx: Ctx, banner: HTMLElement, trouble: Trouble): void {
  const { tr } = ctx;
  banner.hidden = trouble === "";
  banner.dataset.trouble = trouble;
  if (trouble === "") return banner.replaceChildren();
  const key = ({ disk: "listening.disk_full", device: "listening.device_lost", duration: "listening.duration_near" } as const)[trouble];
  banner.replaceChildren(el("p", {}, tr.t(key)));
  if (trouble === "device") {
    // Offer the other inputs; the recording continues on the chosen one.
    void (async () => {
      const devices = await api.listDevices();
      if (!devices.ok || banner.dataset.trouble !== "device") return;
      const select = el("select", { "data-testid": "listening-switch-device" });
      for (const d of devices.value.filter((d) => d.format)) select.append(el("option", { value: d.name }, d.name));
      const go = el("button", { type: "button", "data-testid": "listening-switch" }, tr.t("listening.switch"));
      go.addEventListener("click", async () => {
        const r = await api.switchDevice(select.value);
        if (!r.ok) banner.append(el("p", { class: "form-error" }, errorMessage(r.error, tr)));
      });
      banner.append(el("div", { class: "actions" }, select, go));
    })();
  }
}

function summaryCard(ctx: Ctx, s: RecordingSummary): HTMLElement {
  const { tr } = ctx;
  const facts = el("dl", { class: "facts plain" });
  const add = (label: string, value: Node | string, testid: string) => facts.append(el("dt", {}, label), el("dd", { "data-testid": testid }, value));
  add(tr.t("summary.duration"), formatElapsed(Number(s.duration_ms)), "summary-duration");
  add(tr.t("summary.sha256"), el("code", { class: "hash", "data-sha256": s.sha256 }, groupHash(s.sha256)), "summary-sha256");
  add(tr.t("summary.format"), `${s.device} · ${s.format}`, "summary-format");
  const marks = el("ul", { class: "marks" });
  for (const m of s.marks) {
    const what = m.kind === "marker" ? tr.t("summary.marker") : tr.t(`phase.${m.kind}` as MessageKey);
    marks.append(el("li", {}, `${formatElapsed(Number(m.at_ms))} · ${what}`));
  }
  add(tr.t("summary.marks"), s.marks.length ? marks : tr.t("common.none"), "summary-marks");
  add(tr.t("summary.dropped"), String(s.dropped_frames), "summary-dropped");
  if (Number(s.gaps) > 0) add(tr.t("summary.gaps"), String(s.gaps), "summary-gaps");
  return el(
    "section",
    { class: "card", "data-testid": "recording-summary", "data-recording-id": s.recording_id, "data-state": s.state },
    el("h2", { class: "page-title" }, tr.t(s.state === "recovered" ? "summary.heading_recovered" : "summary.heading")),
    el("p", { class: "muted" }, tr.t("summary.sealed_note")),
    facts,
    el(
      "div",
      { class: "actions" },
      el("a", { href: `#/sessions/${encodeURIComponent(s.session_id)}`, class: "button primary", "data-testid": "summary-done" }, tr.t("summary.done")),
    ),
  );
}

function stoppedWithError(ctx: Ctx, sessionId: string, error: CommandError): HTMLElement {
  const { tr } = ctx;
  return el(
    "section",
    { class: "card", "data-testid": "recording-stopped-error" },
    el("h2", { class: "page-title" }, tr.t("summary.heading_error")),
    errorBox(tr, error, "record-error"),
    el("a", { href: `#/sessions/${encodeURIComponent(sessionId)}`, class: "button", "data-testid": "summary-done" }, tr.t("summary.done")),
  );
}
