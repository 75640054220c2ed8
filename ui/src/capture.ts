// The recording screens' logic, without DOM: what a key does in listening
// mode, how a level reads as a bar, how time is shown, what a check means.

/** What a key press in listening mode asks for. */
export type ListeningAction = { kind: "marker" } | { kind: "phase"; number: 1 | 2 | 3 | 4 } | { kind: "none" };

/**
 * M places a silent marker, 1–4 a phase boundary. Nothing else: no key may
 * ask the interviewer to type during the narrative, and modified keys
 * (Ctrl+M, Alt+1…) or auto-repeat never count.
 */
export function listeningAction(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }): ListeningAction {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return { kind: "none" };
  if (e.key === "m" || e.key === "M") return { kind: "marker" };
  if (e.key === "1" || e.key === "2" || e.key === "3" || e.key === "4") return { kind: "phase", number: Number(e.key) as 1 | 2 | 3 | 4 };
  return { kind: "none" };
}

/** `1:02:03` over an hour, else `02:03`: the large timer. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** A dBFS reading as a fraction of a meter spanning −60…0 dB. */
export function levelFraction(dbfs: number): number {
  if (!Number.isFinite(dbfs)) return 0;
  return Math.min(1, Math.max(0, (dbfs + 60) / 60));
}

/** Below this for the whole check window, the input counts as silent. */
export const SILENCE_DBFS = -50;

/** The phases in key order, as the vault names them. */
export const PHASE_IDS = ["rapport", "free_narrative", "clarification", "closing"] as const;
export type PhaseId = (typeof PHASE_IDS)[number];

export function isPhaseId(s: string | null | undefined): s is PhaseId {
  return (PHASE_IDS as readonly string[]).includes(s ?? "");
}

/** The verdicts `finish_check` gives, in the order of their severity. */
export const VERDICTS = ["silent", "quiet", "clipping", "good"] as const;
export type Verdict = (typeof VERDICTS)[number];

export function isVerdict(s: string): s is Verdict {
  return (VERDICTS as readonly string[]).includes(s);
}

/** A SHA-256 in groups of eight, easier to read aloud and compare on paper. */
export function groupHash(hex: string): string {
  return hex.match(/.{1,8}/g)?.join(" ") ?? hex;
}

/** Tracks the delay between a status being sent and drawn (level-meter latency). */
export class LatencyStats {
  private samples: number[] = [];
  add(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) {
      this.samples.push(ms);
      if (this.samples.length > 2000) this.samples.shift();
    }
  }
  get count(): number {
    return this.samples.length;
  }
  percentile(p: number): number {
    if (this.samples.length === 0) return NaN;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[i]!;
  }
}

/** What a banner in listening mode must say, most serious first. */
export type Trouble = "disk" | "device" | "duration" | "";

export function troubleOf(s: { writer_failed: boolean; device_lost: boolean; max_duration_near: boolean }): Trouble {
  if (s.writer_failed) return "disk";
  if (s.device_lost) return "device";
  if (s.max_duration_near) return "duration";
  return "";
}

/**
 * The input to choose after listing the inputs (again): `keep` if it is
 * still there and usable, else the first usable one; `lost` says whether
 * `keep` was asked for and is gone or unusable now.
 */
export function chooseInput(devices: { name: string; format: string | null }[], keep?: string): { name: string | undefined; lost: boolean } {
  const kept = devices.find((d) => d.name === keep && d.format);
  const name = (kept ?? devices.find((d) => d.format))?.name;
  return { name, lost: keep !== undefined && keep !== "" && !kept };
}
