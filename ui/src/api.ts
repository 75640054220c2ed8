// The commands, as the screens call them.
//
// `bindings.ts` is generated from the Rust commands and types (tauri-specta;
// a Rust test fails when it is stale). This file only turns its results into
// `Outcome`s whose errors always have string arguments, and answers with
// `app.no_backend` when the page runs outside the desktop app.

import { commands, events, LIMITS, type Result } from "./bindings";
import type { AddedCode, AnnotationInput, BundleInput, CaseCustodyView, ChainCheckView, CommandError as WireError, HandOverDirection, HandOverFields, LiveStatus, LockReason, PackagingInput, PlayerView, RedactionInput, Tier, Transcript } from "./bindings";

export type {
  AboutInfo,
  BundleItemView,
  ExportedView,
  PackagingInput,
  VerifiedView,
  BundleInput,
  HandOverDirection,
  HandOverFields,
  HandOverLogged,
  ReceivedView,
  ReceivedSessionView,
  ReceivedOriginalView,
  AddedCode,
  VocabularyEntry,
  AnnotationInput,
  AnnotationView,
  CustodyEntryView,
  MarkView,
  Match,
  MatchTarget,
  PeaksView,
  PhaseView,
  PlayerView,
  PromptType,
  QualityReport,
  RecordingView,
  ReviewData,
  RevisionSummary,
  Segment,
  SegmentSuggestion,
  Speaker,
  Tier,
  Transcript,
  TranscriptView,
  CheckResult,
  LiveStatus,
  Mark,
  RecordingStarted,
  RecordingSummary,
  RecoveredView,
  CaseInput,
  CaseList,
  CaseView,
  CreatedVault,
  DeviceView,
  LockReason,
  MeView,
  NewVaultInput,
  SessionInput,
  SessionList,
  SessionView,
  VaultState,
  VaultStatus,
} from "./bindings";
/** The review screens' names for the generated review types. */
export type TranscriptDoc = import("./bindings").Transcript;
export type SegmentDoc = import("./bindings").Segment;
export type PlayerStatus = import("./bindings").PlayerView;
export type CodeView = import("./bindings").VocabularyEntry;
export type SearchMatch = import("./bindings").Match;
export type PromptSuggestion = import("./bindings").SegmentSuggestion;

/** The vault's rules, generated from relato-vault (see src-tauri/src/dto.rs `Limits`). */
export const MIN_PASSPHRASE_CHARS: number = LIMITS.min_passphrase_chars;
export const MAX_AGE_YEARS: number = LIMITS.max_age_years;
export const PRESENT_ROLES: readonly string[] = LIMITS.present_roles;

/** Every command error: a stable code, an English message and template arguments. */
export interface CommandError {
  code: string;
  message: string;
  args: Record<string, string>;
}

/** Codes produced on this side of the boundary (no backend, IPC refused). */
export const UI_ERROR_CODES = { noBackend: "app.no_backend", ipc: "app.ipc" } as const;

/** A case's chain of custody, its check's failure as the UI's error. */
export type CaseCustody = Omit<CaseCustodyView, "check"> & { check: Omit<ChainCheckView, "failure"> & { failure: CommandError | null } };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CommandError };

function isCommandError(e: unknown): e is WireError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === "string" && typeof o.message === "string" && typeof o.args === "object";
}

/** Turns whatever a command failed with into a `CommandError`. */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) {
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.args ?? {})) args[k] = typeof v === "string" ? v : JSON.stringify(v);
    return { code: e.code, message: e.message, args };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: UI_ERROR_CODES.ipc, message, args: { message } };
}

export function hasBackend(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

async function call<T>(run: () => Promise<Result<T, WireError>>): Promise<Outcome<T>> {
  if (!hasBackend()) {
    const message = "not running inside the Relato desktop app";
    return { ok: false, error: { code: UI_ERROR_CODES.noBackend, message, args: { message } } };
  }
  try {
    const r = await run();
    return r.status === "ok" ? { ok: true, value: r.data } : { ok: false, error: toCommandError(r.error) };
  } catch (e) {
    return { ok: false, error: toCommandError(e) };
  }
}

export const api = {
  vaultStatus: () => call(() => commands.vaultStatus()),
  createVault: (organisation: string, admin_name: string, passphrase: string) =>
    call(() => commands.createVault({ organisation, admin_name, passphrase })),
  unlockVault: (name: string, passphrase: string) => call(() => commands.unlockVault(name, passphrase)),
  lockVault: (reason: LockReason) => call(() => commands.lockVault(reason)),
  listCases: () => call(() => commands.listCases()),
  getCase: (id: string) => call(() => commands.getCase(id)),
  createCase: (input: Parameters<typeof commands.createCase>[0]) => call(() => commands.createCase(input)),
  listSessions: (caseId: string) => call(() => commands.listSessions(caseId)),
  getSession: (id: string) => call(() => commands.getSession(id)),
  createSession: (input: Parameters<typeof commands.createSession>[0]) => call(() => commands.createSession(input)),
  about: () => call(() => commands.about()),
  listDevices: () => call(() => commands.listDevices()),
  startCheck: (device: string | null) => call(() => commands.startCheck(device)),
  finishCheck: () => call(() => commands.finishCheck()),
  testAudio: () => call(() => commands.testAudio()),
  cancelCheck: () => call(() => commands.cancelCheck()),
  startRecording: (sessionId: string, device: string | null) => call(() => commands.startRecording(sessionId, device)),
  captureStatus: () => call(() => commands.captureStatus()),
  marker: () => call(() => commands.placeMarker()),
  phase: (number: 1 | 2 | 3 | 4) => call(() => commands.markPhase(number)),
  switchDevice: (name: string) => call(() => commands.switchDevice(name)),
  stopRecording: () => call(() => commands.stopRecording()),
  recoveredRecordings: () => call(() => commands.recoveredRecordings()),
  // Review workspace (src-tauri/src/review_commands.rs).
  reviewSession: (sessionId: string) => call(() => commands.reviewSession(sessionId)),
  saveTranscript: (sessionId: string, document: Transcript) => call(() => commands.saveTranscript(sessionId, document)),
  transcriptRevisions: (sessionId: string) => call(() => commands.transcriptRevisions(sessionId)),
  transcriptRevision: (sessionId: string, rev: number) => call(() => commands.transcriptRevision(sessionId, rev)),
  saveAnnotation: (sessionId: string, annotationId: string | null, input: AnnotationInput) =>
    call(() => commands.saveAnnotation(sessionId, annotationId, input)),
  deleteAnnotation: (sessionId: string, annotationId: string) => call(() => commands.deleteAnnotation(sessionId, annotationId)),
  annotationHistory: (sessionId: string, annotationId: string) => call(() => commands.annotationHistory(sessionId, annotationId)),
  promptSuggestions: (document: Transcript, language: string) => call(() => commands.promptSuggestions(document, language)),
  qualityReport: (sessionId: string, document: Transcript | null) => call(() => commands.qualityReport(sessionId, document)),
  searchSession: (sessionId: string, query: string, document: Transcript | null) =>
    call(() => commands.searchSession(sessionId, query, document)),
  sessionCustody: (sessionId: string) => call(() => commands.sessionCustody(sessionId)),
  caseCustody: async (caseId: string): Promise<Outcome<CaseCustody>> => {
    const r = await call(() => commands.caseCustody(caseId));
    if (!r.ok) return r;
    const { failure } = r.value.check;
    return { ok: true, value: { ...r.value, check: { ...r.value.check, failure: failure ? toCommandError(failure) : null } } };
  },
  closeWindow: () => call(() => commands.closeWindow()),
  playerOpen: (recordingId: string) => call(() => commands.playerOpen(recordingId)),
  playerPlay: (rewindMs: number) => call(() => commands.playerPlay(Math.max(0, Math.round(rewindMs)))),
  playerPause: () => call(() => commands.playerPause()),
  playerSeek: (positionMs: number) => call(() => commands.playerSeek(Math.max(0, Math.round(positionMs)))),
  playerSpeed: (speed: number) => call(() => commands.playerSpeed(speed)),
  playerStatus: () => call(() => commands.playerStatus()),
  playerClose: () => call(() => commands.playerClose()),
  saveVocabularyCode: (tier: Tier, code: string, texts: AddedCode) => call(() => commands.saveVocabularyCode(tier, code, texts)),
  // Evidence bundles (src-tauri/src/evidence_commands.rs).
  exportBundle: (sessions: string[], purpose: string | null, recipient: string | null, packaging: PackagingInput, redaction: RedactionInput | null) =>
    call(() => commands.exportBundle(sessions, purpose, recipient, packaging, redaction)),
  verifyBundle: (path: string, ageIdentityPath: string | null, agePassphrase: string | null) =>
    call(() => commands.verifyBundle(path, ageIdentityPath, agePassphrase)),
  logHandover: (caseId: string, kind: HandOverDirection, counterpart: string, details: HandOverFields, bundle: BundleInput | null) =>
    call(() => commands.logHandover(caseId, kind, counterpart, details, bundle)),
  receiveBundle: (bundle: BundleInput, from: string, intoCase: string | null, details: HandOverFields) =>
    call(() => commands.receiveBundle(bundle, from, intoCase, details)),
};

/** Calls `handler` with the review player's state (about 25 a second while open); returns the unlisten function. */
export async function onPlayerStatus(handler: (status: PlayerView) => void): Promise<() => void> {
  if (!hasBackend()) return () => {};
  return events.playerStatusEvent.listen((e) => handler(e.payload.status));
}

/** Calls `handler` when the window refused to close during a recording. */
export async function onCloseRefused(handler: () => void): Promise<void> {
  if (!hasBackend()) return;
  await events.closeRefused.listen(() => handler());
}

/** Calls `handler` with every capture status the backend sends (about 20 a second). */
export async function onCaptureStatus(handler: (status: LiveStatus, sentAtMs: number) => void): Promise<void> {
  if (!hasBackend()) return;
  await events.captureStatus.listen((e) => handler(e.payload.status, e.payload.sent_at_ms));
}

/** Calls `handler` whenever the vault is locked (by the backend or another path). */
export async function onVaultLocked(handler: (reason: LockReason) => void): Promise<void> {
  if (!hasBackend()) return;
  await events.vaultLocked.listen((e) => handler(e.payload.reason));
}

/** What became of a file saved through the web view (see src-tauri/src/downloads.rs). */
export type { DownloadFinished } from "./bindings";

/** Calls `handler` once, when the next download finishes. */
export async function onceDownloadFinished(handler: (e: import("./bindings").DownloadFinished) => void): Promise<void> {
  if (!hasBackend()) return;
  await events.downloadFinished.once((e) => handler(e.payload));
}
