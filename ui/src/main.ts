// The shell: header, language switch, navigation, lock (button, Ctrl+L,
// idle), and the router that picks a screen from the vault state and the
// location hash. Screens live in ./screens, one file each.

import { api, onPlayerStatus, onVaultLocked, type CommandError, type LockReason, type MeView, type Outcome, type RecoveredView, type VaultStatus } from "./api";
import { formatElapsed, groupHash } from "./capture";
import { el } from "./dom";
import { mayReceive } from "./evidence";
import { LOCALES, loadLocale, saveLocale, translator, type Locale, type MessageKey, type Translator } from "./i18n";
import { IdleWatch, isLockShortcut, loadIdleMinutes, PlaybackActivity, saveIdleMinutes } from "./idle";
import { closeReview, reviewMayLeave, reviewSaveBeforeLock, reviewScreen } from "./review/screen";
import { isPublic, parseRoute, routeHash, type Route } from "./routes";
import { aboutScreen } from "./screens/about";
import { caseScreen } from "./screens/case";
import { casesScreen } from "./screens/cases";
import type { Ctx } from "./screens/context";
import { exportScreen, exportWork } from "./screens/export";
import { custodyScreen } from "./screens/custody";
import { handoverScreen } from "./screens/handover";
import { receiveScreen, receiveWork } from "./screens/receive";
import { isRecordingActive, recordScreen, releaseTestAudio } from "./screens/record";
import { recoveryScreen } from "./screens/recovery";
import { sessionScreen } from "./screens/session";
import { setupScreen } from "./screens/setup";
import { vaultCard } from "./screens/status";
import { unlockScreen } from "./screens/unlock";
import { verifyScreen } from "./screens/verify";
import { roleName } from "./view";

const LOCALE_LABEL: Record<Locale, MessageKey> = { "es-MX": "lang.es", en: "lang.en" };
const LOCALE_TESTID: Record<Locale, string> = { "es-MX": "lang-es", en: "lang-en" };

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const state: {
  locale: Locale;
  outcome?: Outcome<VaultStatus>;
  route: Route;
  /** The recovery code while its screen is up; never stored. */
  recovery?: { code: string; me: MeView };
  lockedBecause?: LockReason;
  /** The last login name, in memory only (never stored: it is a name). */
  lastName?: string;
  idleMinutes: number;
  /** Recordings sealed as recovered at the last unlock, until dismissed. */
  recovered?: Outcome<RecoveredView[]>;
} = {
  locale: loadLocale(storage()),
  route: parseRoute(window.location.hash),
  idleMinutes: loadIdleMinutes(storage()),
};
const idle = new IdleWatch(state.idleMinutes, Date.now());

function unlockedAs(): MeView | undefined {
  const o = state.outcome;
  return o?.ok && o.value.probe.state === "unlocked" ? o.value.probe.me : undefined;
}

function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash === hash) {
    state.route = route;
    render();
  } else {
    window.location.hash = hash; // hashchange renders
  }
}

async function reload(): Promise<void> {
  const wasUnlocked = unlockedAs() !== undefined;
  state.outcome = await api.vaultStatus();
  const me = unlockedAs();
  if (me) {
    state.lockedBecause = undefined;
    state.lastName = me.name;
    if (!wasUnlocked) {
      // Just unlocked: recordings whose recorder died were sealed then.
      const recovered = await api.recoveredRecordings();
      state.recovered = !recovered.ok || recovered.value.length > 0 ? recovered : undefined;
    }
  }
  render();
}

/** Set while this window locks the vault, so its own lock event does not redraw twice. */
let locking = false;

async function lock(reason: LockReason): Promise<void> {
  // A recording owns the vault until it is sealed; nothing may lock it away.
  if (isRecordingActive() || locking) return;
  // An export owns the vault until it has written and logged the bundle:
  // the lock waits for it.
  // So does a reception, until the bundle is taken in and logged.
  for (const work of [exportWork, receiveWork]) {
    if (work.isRunning()) {
      work.whenDone(() => void lock(reason));
      return;
    }
  }
  releaseTestAudio();
  if (!unlockedAs() && !state.recovery) return;
  locking = true;
  try {
    state.recovery = undefined;
    state.lockedBecause = reason;
    await reviewSaveBeforeLock();
    await api.lockVault(reason);
    await reload();
  } finally {
    locking = false;
  }
}

/** What recovery saved at unlock (or why it could not run), until dismissed. */
function recoveredNotice(tr: Translator, outcome: Outcome<RecoveredView[]>): HTMLElement {
  const dismiss = el("button", { type: "button", "data-testid": "recovered-dismiss" }, tr.t("recovered.dismiss"));
  dismiss.addEventListener("click", () => {
    state.recovered = undefined;
    render();
  });
  const failed = (e: CommandError) => el("p", {}, tr.t("recovered.failed", { code: e.code }));
  const body = outcome.ok
    ? [
        el("p", {}, tr.t("recovered.heading", { count: outcome.value.length })),
        el(
          "ul",
          {},
          ...outcome.value.map((r) =>
            el(
              "li",
              {},
              el("a", { href: routeHash({ name: "session", id: r.session_id }) }, tr.t("recovered.item", { duration: formatElapsed(Number(r.duration_ms)) })),
              " ",
              el("code", { class: "hash" }, groupHash(r.sha256)),
            ),
          ),
        ),
      ]
    : [failed(outcome.error)];
  return el("section", { class: "notice warn recovered", role: "status", "data-testid": "recovered-notice" }, ...body, el("div", { class: "actions" }, dismiss));
}

function languageSwitch(tr: Translator): HTMLElement {
  const group = el("div", { class: "lang", role: "group", "aria-label": tr.t("lang.label"), "data-testid": "lang-switch" });
  for (const locale of LOCALES) {
    const button = el(
      "button",
      { type: "button", lang: locale, "data-testid": LOCALE_TESTID[locale], "aria-pressed": String(locale === tr.locale) },
      tr.t(LOCALE_LABEL[locale]),
    );
    button.addEventListener("click", () => setLocale(locale));
    group.append(button);
  }
  return group;
}

function navBar(tr: Translator): HTMLElement {
  const me = unlockedAs();
  const nav = el("nav", { class: "nav", "aria-label": tr.t("nav.label") });
  const link = (route: Route, key: MessageKey, testid: string) => {
    const current = state.route.name === route.name || (route.name === "cases" && !isPublic(state.route) && state.route.name !== "receive");
    return el("a", { href: routeHash(route), "data-testid": testid, "aria-current": current ? "page" : undefined }, tr.t(key));
  };
  if (me && !state.recovery) nav.append(link({ name: "cases" }, "nav.cases", "nav-cases"));
  if (me && !state.recovery && mayReceive(me.role)) nav.append(link({ name: "receive" }, "nav.receive", "nav-receive"));
  // Verifying needs no vault: offered locked or unlocked.
  nav.append(link({ name: "verify" }, "nav.verify", "nav-verify"));
  nav.append(link({ name: "about" }, "nav.about", "nav-about"));
  if (me) {
    nav.append(el("span", { class: "who", "data-testid": "signed-in" }, tr.t("nav.signed_in", { name: me.name, role: roleName(me.role, tr) })));
    const lockButton = el("button", { type: "button", class: "lock", "data-testid": "lock", title: tr.t("nav.lock_hint") }, tr.t("nav.lock"));
    lockButton.addEventListener("click", () => void lock("command"));
    nav.append(lockButton);
  }
  return nav;
}

function screenFor(ctx: Ctx): HTMLElement {
  const o = state.outcome;
  if (o === undefined || !o.ok) return vaultCard(ctx.tr, o);
  if (state.recovery) {
    return recoveryScreen(ctx, state.recovery.code, () => {
      state.recovery = undefined;
      navigate({ name: "cases" });
    });
  }
  const route = state.route;
  if (route.name === "verify") return verifyScreen(ctx);
  if (isPublic(route)) return aboutScreen(ctx);
  switch (o.value.probe.state) {
    case "missing":
      return setupScreen(ctx);
    case "locked":
      return unlockScreen(ctx);
    case "unlocked":
      break;
  }
  switch (route.name) {
    case "cases":
      return casesScreen(ctx);
    case "case":
      return caseScreen(ctx, route.id);
    case "session":
      return sessionScreen(ctx, route.id);
    case "record":
      return recordScreen(ctx, route.sessionId);
    case "review":
      return reviewScreen(ctx, route.sessionId);
    case "export":
      return exportScreen(ctx, route.sessionId);
    case "handover":
      return handoverScreen(ctx, route.caseId);
    case "custody":
      return custodyScreen(ctx, route.caseId);
    case "receive":
      return receiveScreen(ctx);
    case "about":
      return aboutScreen(ctx);
  }
}

/** Radio buttons share a name: each is kept by name and value. */
function valueKey(c: HTMLInputElement | HTMLSelectElement): string {
  return c instanceof HTMLInputElement && c.type === "radio" ? `${c.name}=${c.value}` : c.name;
}

function isToggle(c: HTMLInputElement | HTMLSelectElement): c is HTMLInputElement {
  return c instanceof HTMLInputElement && (c.type === "checkbox" || c.type === "radio");
}

/** Values typed into the current screen, kept across a language switch. */
function formValues(root: HTMLElement): Map<string, string | boolean> {
  const values = new Map<string, string | boolean>();
  for (const c of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>("main [name]")) {
    values.set(valueKey(c), isToggle(c) ? c.checked : c.value);
  }
  return values;
}

function restoreValues(root: HTMLElement, values: Map<string, string | boolean>): void {
  for (const c of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>("main [name]")) {
    const v = values.get(valueKey(c));
    if (typeof v === "boolean" && c instanceof HTMLInputElement) c.checked = v;
    else if (typeof v === "string") c.value = v;
  }
}

function render(keepValues = false): void {
  const tr = translator(state.locale);
  document.documentElement.lang = state.locale;
  document.title = tr.t("app.title");
  const root = document.getElementById("app");
  if (!root) return;

  const ctx: Ctx = {
    tr,
    status: state.outcome?.ok ? state.outcome.value : { path: "", probe: { state: "missing" } },
    navigate,
    reload,
    showRecovery(code, me) {
      state.recovery = { code, me };
      void reload();
    },
    lockedBecause: state.lockedBecause,
    lastName: state.lastName,
    idleMinutes: state.idleMinutes,
    setIdleMinutes(minutes) {
      state.idleMinutes = minutes;
      saveIdleMinutes(storage(), minutes);
      idle.setMinutes(minutes, Date.now());
    },
  };

  const header = el(
    "header",
    { class: "top" },
    el(
      "div",
      { class: "brand" },
      el("h1", { "data-testid": "app-title" }, tr.t("app.title")),
      el("p", { class: "tagline" }, tr.t("app.tagline")),
    ),
    el("div", { class: "top-right" }, languageSwitch(tr), navBar(tr)),
  );
  const screen = screenFor(ctx);
  // Any other screen (another route, the lock screen) ends a review: its player closes.
  if (screen.dataset.testid !== "review-screen") closeReview();
  const main = el("main", { class: "content", "data-screen": state.recovery ? "recovery" : state.route.name }, screen);
  if (state.recovered && unlockedAs()) main.prepend(recoveredNotice(tr, state.recovered));
  const footer = el("footer", { class: "foot" }, tr.t("footer.offline"));

  const values = keepValues ? formValues(root) : undefined;
  const focusedTestId = document.activeElement?.getAttribute("data-testid");
  root.replaceChildren(header, main, footer);
  if (values) restoreValues(root, values);
  // Keep keyboard focus on the language button that was just pressed.
  if (focusedTestId) root.querySelector<HTMLElement>(`[data-testid="${focusedTestId}"]`)?.focus();
}

function setLocale(locale: Locale): void {
  state.locale = locale;
  saveLocale(storage(), locale);
  render(true);
}

function watchActivity(): void {
  const touch = () => idle.touch(Date.now());
  for (const type of ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"]) {
    window.addEventListener(type, touch, { passive: true, capture: true });
  }
  // Listening counts too: no lock mid-playback for a reviewer who is only
  // listening. Paused, the idle time runs as usual.
  const playback = new PlaybackActivity();
  void onPlayerStatus((s) => {
    const now = Date.now();
    if (playback.due(s, now)) idle.touch(now);
  }).catch(() => undefined);
  window.setInterval(() => {
    // Never during a recording: the recorder owns the vault, and the child
    // must not be interrupted by a lock screen.
    if (unlockedAs() && idle.due(Date.now())) void lock("idle");
  }, 5_000);
  window.addEventListener("keydown", (e) => {
    if (isLockShortcut(e)) {
      e.preventDefault();
      void lock("command");
    }
  });
}

async function start(): Promise<void> {
  window.addEventListener("hashchange", () => {
    const next = parseRoute(window.location.hash);
    if (state.route.name === "review" && routeHash(next) !== routeHash(state.route)) {
      const target = window.location.hash;
      if (!reviewMayLeave(() => (window.location.hash = target))) {
        // Staying for the unsaved transcript: put the address back without another hashchange.
        history.replaceState(null, "", routeHash(state.route));
        return;
      }
    }
    // Leaving the recording screens closes the input check (not a recording).
    if (state.route.name === "record" && !isRecordingActive()) {
      releaseTestAudio();
      void api.cancelCheck();
    }
    state.route = next;
    render();
  });
  watchActivity();
  render();
  await onVaultLocked((reason) => {
    // A lock this window asked for redraws once, when it returns.
    if (locking) return;
    state.lockedBecause = reason;
    state.recovery = undefined;
    if (unlockedAs()) void reload();
  }).catch(() => undefined);
  await reload();
}

void start();
