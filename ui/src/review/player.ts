// The transport: playback runs in Rust (nothing decoded reaches the web
// view); this side sends commands, listens to the status event (~25 a
// second) and moves the playhead smoothly between events with
// requestAnimationFrame.

import { api, onPlayerStatus, type CommandError, type Outcome, type PlayerStatus } from "../api";
import { interpolate, smoothPosition, stepSpeed, type PlayheadBase } from "./transport-model";

export interface PlayerHooks {
  /** Every drawn frame while playing, and once after each change while paused. */
  frame(positionMs: number, playing: boolean): void;
  /** A new status (play state, speed, duration may have changed). */
  status(s: PlayerStatus): void;
  error(e: CommandError): void;
}

export class Player {
  private base: PlayheadBase | undefined;
  private shown: number | undefined;
  private current: PlayerStatus | undefined;
  private raf = 0;
  /** Commands in flight: events sent before they took effect would pull the playhead back. */
  private pending = 0;
  private unlisten: (() => void) | undefined;
  private disposed = false;
  /** The speed and play state last asked for: keys pressed faster than the answers come act on them. */
  private requestedSpeed: number | undefined;
  private requestedPlaying: boolean | undefined;

  constructor(
    private readonly recordingId: string,
    /** The recording's length as stored, for originals whose decoder cannot tell it. */
    private readonly knownDurationMs: number,
    private readonly hooks: PlayerHooks,
  ) {}

  async open(): Promise<boolean> {
    await this.listen();
    return (await this.run(() => api.playerOpen(this.recordingId))) !== undefined;
  }

  /** Takes over a player this screen left open (it was redrawn, e.g. for a language switch). */
  async adopt(): Promise<boolean> {
    await this.listen();
    const r = await api.playerStatus();
    if (this.disposed) return false;
    if (r.ok && r.value && r.value.recording_id === this.recordingId) {
      this.apply(r.value);
      return true;
    }
    return (await this.run(() => api.playerOpen(this.recordingId))) !== undefined;
  }

  private async listen(): Promise<void> {
    if (this.unlisten) return;
    const unlisten = await onPlayerStatus((s) => {
      if (this.disposed || this.pending > 0 || s.recording_id !== this.recordingId) return;
      this.apply(s);
    }).catch(() => undefined);
    if (this.disposed) unlisten?.();
    else this.unlisten = unlisten;
  }

  status(): PlayerStatus | undefined {
    return this.current;
  }

  playing(): boolean {
    return this.current?.playing === true && !this.current.ended;
  }

  positionMs(): number {
    if (!this.base) return 0;
    return smoothPosition(this.shown, interpolate(this.base, performance.now()), this.base.playing);
  }

  durationMs(): number {
    return this.current?.duration_ms || this.knownDurationMs;
  }

  async toggle(rewindMs: number): Promise<void> {
    if (this.requestedPlaying ?? this.playing()) {
      this.requestedPlaying = false;
      await this.run(() => api.playerPause());
      return;
    }
    this.requestedPlaying = true;
    const s = this.current;
    const duration = this.durationMs();
    if (s && (s.ended || (duration > 0 && s.position_ms >= duration))) {
      // Finished: play again from the start rather than nothing.
      await this.seek(0);
      await this.run(() => api.playerPlay(0));
      return;
    }
    await this.run(() => api.playerPlay(Math.max(0, Math.round(rewindMs))));
  }


  async seek(ms: number): Promise<void> {
    const target = Math.max(0, Math.min(this.durationMs() || Infinity, Math.round(ms)));
    // Show the new place at once; the command's answer confirms it.
    if (this.base) {
      this.base = { ...this.base, positionMs: target, at: performance.now() };
      this.shown = undefined;
      this.hooks.frame(target, this.base.playing);
    }
    await this.run(() => api.playerSeek(target));
  }

  async skip(deltaMs: number): Promise<void> {
    await this.seek(this.positionMs() + deltaMs);
  }

  async stepSpeed(direction: -1 | 1): Promise<void> {
    const speed = stepSpeed(this.requestedSpeed ?? this.current?.speed ?? 1, direction);
    this.requestedSpeed = speed;
    await this.run(() => api.playerSpeed(speed));
  }

  /** Closes the player (the backend writes the PLAYBACK custody line). */
  async close(): Promise<void> {
    this.detach();
    await api.playerClose();
  }

  /** Stops listening and drawing, leaving the player open (for a redrawn screen to adopt). */
  detach(): void {
    this.disposed = true;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.unlisten?.();
    this.unlisten = undefined;
  }

  private async run(command: () => Promise<Outcome<PlayerStatus>>): Promise<PlayerStatus | undefined> {
    this.pending++;
    let r: Outcome<PlayerStatus>;
    try {
      r = await command();
    } finally {
      this.pending--;
    }
    if (this.disposed) return undefined;
    if (!r.ok) {
      this.hooks.error(r.error);
      return undefined;
    }
    this.apply(r.value);
    return r.value;
  }

  private apply(s: PlayerStatus): void {
    const playing = s.playing && !s.ended;
    const wasPlaying = this.base?.playing === true;
    const previous = this.positionMs();
    this.current = s;
    if (this.pending === 0) {
      this.requestedSpeed = undefined;
      this.requestedPlaying = undefined;
    }
    this.base = { positionMs: s.position_ms, durationMs: this.durationMs() || Infinity, playing, speed: s.speed, at: performance.now() };
    // Hold small backward steps only between two reports of the same run.
    this.shown = playing && wasPlaying ? previous : undefined;
    this.hooks.status(s);
    cancelAnimationFrame(this.raf);
    this.draw();
  }

  private draw = (): void => {
    this.raf = 0;
    if (this.disposed || !this.base) return;
    const position = this.positionMs();
    if (this.base.playing) this.shown = position;
    this.hooks.frame(position, this.base.playing);
    if (this.base.playing) this.raf = requestAnimationFrame(this.draw);
  };
}
