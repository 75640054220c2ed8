// The waveform (canvas) and the annotation-density strip under it.
//
// Two stacked canvases: the base (phases, selection, waveform, annotation
// lanes, markers) is redrawn only when the view or the data changes; the
// overlay (playhead, hover) every frame while playing, which stays cheap
// for a 2-hour recording at any zoom.

import type { AnnotationView, MarkView, PhaseView } from "../api";
import { el } from "../dom";
import type { MessageKey, Translator } from "../i18n";
import type { Selection } from "./context";
import {
  clampView,
  columns,
  density,
  fitView,
  follow,
  intensity,
  msToX,
  spanAt,
  xToMs,
  zoomView,
  type Peaks,
  type View,
} from "./peaks";
import { formatClock } from "./time";

export interface WaveformDeps {
  tr: Translator;
  peaks: Peaks | null;
  durationMs: number;
  markers: MarkView[];
  phases: PhaseView[];
  annotations(): AnnotationView[];
  selection(): Selection | null;
  /** The annotation shown last (outlined), if any. */
  focusedAnnotation(): string | null;
  seek(ms: number): void;
  select(selection: Selection): void;
  openAnnotation(id: string): void;
}

export interface Waveform {
  node: HTMLElement;
  setPlayhead(ms: number, playing: boolean): void;
  /** Annotations, selection or focus changed. */
  redraw(): void;
  /** Scrolls (never zooms) so that the span is in view. */
  reveal(startMs: number, endMs: number): void;
  dispose(): void;
}

export const TIERS = ["indicators", "notes", "prompt-type"] as const;
/** Kept equal to the .tier-* colours in review.css (no inline styles: the CSP forbids them). */
export const TIER_COLOURS: Record<string, string> = { indicators: "#2f5d62", notes: "#9a6b1f", "prompt-type": "#6a4f8a" };
const PHASE_COLOURS: Record<string, string> = {
  rapport: "#ebe5d3",
  free_narrative: "#dcebe3",
  clarification: "#e4dff0",
  closing: "#efe2d9",
};

const HEIGHT = 128;
const PHASE_LANE = 16;
const LANE = 6;
const LANES_TOP = HEIGHT - TIERS.length * (LANE + 1) - 2;
const WAVE_TOP = PHASE_LANE + 2;
const WAVE_BOTTOM = LANES_TOP - 3;
const DRAG_PX = 4;
const ZOOM_STEP = 2;

function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext("2d")!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return g;
}

export function mountWaveform(deps: WaveformDeps): Waveform {
  const { tr } = deps;
  const duration = Math.max(1, deps.durationMs);
  const base = el("canvas", { class: "wave-base", "aria-hidden": "true" });
  const overlay = el("canvas", { class: "wave-overlay", "aria-hidden": "true" });
  const surface = el(
    "div",
    { class: "waveform", "data-testid": "waveform", tabindex: "0", role: "group", "aria-label": tr.t("review.waveform_label") },
    base,
    overlay,
  );
  const zoomOut = el("button", { type: "button", class: "icon", "data-testid": "zoom-out", "aria-label": tr.t("review.zoom_out"), title: tr.t("review.zoom_out") }, "−");
  const zoomIn = el("button", { type: "button", class: "icon", "data-testid": "zoom-in", "aria-label": tr.t("review.zoom_in"), title: tr.t("review.zoom_in") }, "+");
  const fit = el("button", { type: "button", class: "small", "data-testid": "zoom-fit" }, tr.t("review.zoom_fit"));
  const hoverTime = el("span", { class: "wave-hover mono", "aria-hidden": "true" });
  const scroll = el("input", { type: "range", class: "wave-scroll", min: "0", max: "0", step: "any", "data-testid": "waveform-scroll", "aria-label": tr.t("review.wave_scroll") });
  const densityCanvas = el("canvas", { "aria-hidden": "true" });
  const strip = el("div", { class: "density-strip", "data-testid": "density-strip", title: tr.t("review.density_hint") }, densityCanvas);
  const legend = el("div", { class: "wave-legend" });
  for (const tier of TIERS) {
    legend.append(el("span", { class: "legend-item" }, el("span", { class: `swatch tier-${tier}` }), tr.t(`review.tier.${tier}` as MessageKey)));
  }
  const noPeaks = deps.peaks ? "" : el("span", { class: "hint", "data-testid": "waveform-no-peaks" }, tr.t("review.no_peaks"));
  const node = el(
    "div",
    { class: "wave-area" },
    el("div", { class: "wave-tools" }, zoomOut, zoomIn, fit, noPeaks, hoverTime, legend),
    surface,
    scroll,
    strip,
  );

  let width = 0;
  let view: View = { startMs: 0, msPerPx: 1 };
  let fitted = true;
  let playhead = 0;
  let playing = false;
  let hoverX: number | null = null;
  let drag: { x0: number; pointer: number; moved: boolean } | null = null;
  let preview: Selection | null = null;
  let baseCtx: CanvasRenderingContext2D | null = null;
  let overlayCtx: CanvasRenderingContext2D | null = null;
  let densityCtx: CanvasRenderingContext2D | null = null;
  let baseQueued = 0;
  /** Annotations per bucket of the strip, counted when annotations or the size change. */
  let densityCounts: Uint32Array = new Uint32Array(0);
  let densityMax = 0;

  const setView = (next: View) => {
    view = clampView(next, duration, width);
    fitted = view.msPerPx >= fitView(duration, width).msPerPx && view.startMs === 0;
    const span = view.msPerPx * width;
    scroll.max = String(Math.max(0, duration - span));
    scroll.value = String(view.startMs);
    scroll.hidden = fitted;
    queueBase();
  };

  const queueBase = () => {
    if (!baseQueued) baseQueued = requestAnimationFrame(drawAll);
  };

  const drawAll = () => {
    baseQueued = 0;
    countDensity();
    drawBase();
    drawOverlay();
    drawDensity();
  };

  function drawBase(): void {
    const g = baseCtx;
    if (!g || width === 0) return;
    g.clearRect(0, 0, width, HEIGHT);
    g.fillStyle = "#fbfaf7";
    g.fillRect(0, 0, width, HEIGHT);
    const endX = Math.min(width, msToX(view, duration));

    // Phase bands, labelled in the top lane.
    const phases = [...deps.phases].sort((a, b) => a.at_ms - b.at_ms);
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "middle";
    phases.forEach((p, i) => {
      const x0 = Math.max(0, msToX(view, p.at_ms));
      const x1 = Math.min(endX, msToX(view, phases[i + 1]?.at_ms ?? duration));
      if (x1 <= x0) return;
      const colour = PHASE_COLOURS[p.phase] ?? "#eee";
      g.fillStyle = colour;
      g.globalAlpha = 0.45;
      g.fillRect(x0, PHASE_LANE, x1 - x0, LANES_TOP - PHASE_LANE);
      g.globalAlpha = 1;
      g.fillRect(x0, 0, x1 - x0, PHASE_LANE);
      g.fillStyle = "#58554f";
      g.fillRect(Math.round(msToX(view, p.at_ms)), 0, 1, PHASE_LANE);
      const label = tr.t(`phase.${p.phase}` as MessageKey);
      if (x1 - x0 > 30) {
        g.save();
        g.beginPath();
        g.rect(x0, 0, x1 - x0 - 2, PHASE_LANE);
        g.clip();
        g.fillText(label, x0 + 4, PHASE_LANE / 2);
        g.restore();
      }
    });

    // The selection (a waveform drag or a segment).
    const sel = preview ?? deps.selection();
    if (sel) {
      const x0 = msToX(view, sel.start_ms);
      const x1 = Math.max(x0 + 1, msToX(view, sel.end_ms));
      g.fillStyle = "rgba(47, 93, 98, 0.16)";
      g.fillRect(x0, PHASE_LANE, x1 - x0, LANES_TOP - PHASE_LANE);
      g.fillStyle = "rgba(47, 93, 98, 0.7)";
      g.fillRect(x0, PHASE_LANE, 1, LANES_TOP - PHASE_LANE);
      g.fillRect(x1 - 1, PHASE_LANE, 1, LANES_TOP - PHASE_LANE);
    }

    // The waveform: one min–max bar a pixel; a flat line without peaks.
    const mid = (WAVE_TOP + WAVE_BOTTOM) / 2;
    const half = (WAVE_BOTTOM - WAVE_TOP) / 2;
    g.fillStyle = "#3f6f74";
    if (deps.peaks) {
      const cols = columns(deps.peaks, view.startMs, view.msPerPx, Math.ceil(width));
      for (let x = 0; x < width; x++) {
        const lo = cols[2 * x]!;
        const hi = cols[2 * x + 1]!;
        if (Number.isNaN(lo)) continue;
        const y0 = mid - hi * half;
        const y1 = mid - lo * half;
        g.fillRect(x, y0, 1, Math.max(1, y1 - y0));
      }
    } else {
      g.fillRect(0, Math.round(mid), endX, 1);
    }
    g.fillStyle = "rgba(88, 85, 79, 0.25)";
    g.fillRect(0, Math.round(mid), endX, 1);

    // Annotation lanes, one per tier; the focused annotation outlined.
    const focused = deps.focusedAnnotation();
    TIERS.forEach((tier, lane) => {
      const y = LANES_TOP + lane * (LANE + 1);
      g.fillStyle = "#efece5";
      g.fillRect(0, y, endX, LANE);
      g.fillStyle = TIER_COLOURS[tier]!;
      for (const a of deps.annotations()) {
        if (a.tier !== tier) continue;
        const x0 = msToX(view, a.start_ms);
        const x1 = msToX(view, a.end_ms);
        if (x1 < -2 || x0 > width + 2) continue;
        g.fillRect(x0, y, Math.max(2, x1 - x0), LANE);
      }
    });
    const f = focused ? deps.annotations().find((a) => a.id === focused) : undefined;
    if (f) {
      const x0 = msToX(view, f.start_ms);
      const x1 = Math.max(x0 + 2, msToX(view, f.end_ms));
      g.strokeStyle = TIER_COLOURS[f.tier] ?? "#2a2a28";
      g.lineWidth = 1.5;
      g.strokeRect(x0 - 0.5, PHASE_LANE + 0.5, x1 - x0 + 1, HEIGHT - PHASE_LANE - 2);
    }

    // Markers placed while recording.
    g.fillStyle = "#8a5a12";
    for (const m of deps.markers) {
      const x = Math.round(msToX(view, m.at_ms));
      if (x < -4 || x > width + 4) continue;
      for (let y = PHASE_LANE; y < LANES_TOP; y += 4) g.fillRect(x, y, 1, 2);
      g.beginPath();
      g.moveTo(x - 4, PHASE_LANE);
      g.lineTo(x + 4, PHASE_LANE);
      g.lineTo(x, PHASE_LANE + 6);
      g.closePath();
      g.fill();
    }

    // Past the end of the recording (a short one zoomed out cannot fill the width).
    if (endX < width) {
      g.fillStyle = "#f3f1ec";
      g.fillRect(endX, 0, width - endX, HEIGHT);
    }
  }

  function drawOverlay(): void {
    const g = overlayCtx;
    if (!g || width === 0) return;
    g.clearRect(0, 0, width, HEIGHT);
    if (hoverX !== null && !drag?.moved) {
      g.fillStyle = "rgba(42, 42, 40, 0.35)";
      g.fillRect(Math.round(hoverX), PHASE_LANE, 1, HEIGHT - PHASE_LANE);
    }
    const x = Math.round(msToX(view, playhead));
    if (x >= -1 && x <= width + 1) {
      g.fillStyle = "#8f2a2a";
      g.fillRect(x - 1, 0, 2, HEIGHT);
    }
  }

  function countDensity(): void {
    densityCounts = density(deps.annotations(), duration, Math.max(1, Math.floor(strip.clientWidth / 3)));
    densityMax = 0;
    for (const c of densityCounts) densityMax = Math.max(densityMax, c);
  }

  function drawDensity(): void {
    const g = densityCtx;
    const w = strip.clientWidth;
    if (!g || w === 0) return;
    const h = strip.clientHeight;
    g.clearRect(0, 0, w, h);
    g.fillStyle = "#efece5";
    g.fillRect(0, 0, w, h);
    const buckets = densityCounts.length;
    const bw = w / Math.max(1, buckets);
    for (let i = 0; i < buckets; i++) {
      const k = intensity(densityCounts[i]!, densityMax);
      if (k === 0) continue;
      g.fillStyle = `rgba(47, 93, 98, ${(0.15 + 0.85 * k).toFixed(3)})`;
      g.fillRect(i * bw, 0, Math.ceil(bw), h);
    }
    // Where the waveform's view and the playhead are, on the whole recording.
    const scale = w / duration;
    if (!fitted) {
      g.strokeStyle = "#2a2a28";
      g.lineWidth = 1;
      g.strokeRect(view.startMs * scale + 0.5, 0.5, Math.max(2, view.msPerPx * width * scale) - 1, h - 1);
    }
    g.fillStyle = "#8f2a2a";
    g.fillRect(Math.round(playhead * scale) - 1, 0, 2, h);
  }

  const resize = () => {
    const w = surface.clientWidth;
    if (w === 0) return;
    const old = width;
    width = w;
    baseCtx = sizeCanvas(base, w, HEIGHT);
    overlayCtx = sizeCanvas(overlay, w, HEIGHT);
    densityCtx = sizeCanvas(densityCanvas, strip.clientWidth, strip.clientHeight);
    setView(fitted || old === 0 ? fitView(duration, w) : view);
    drawAll();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(surface);
  observer.observe(strip);

  const localX = (e: { clientX: number }) => e.clientX - surface.getBoundingClientRect().left;
  const localY = (e: { clientY: number }) => e.clientY - surface.getBoundingClientRect().top;
  const clampMs = (ms: number) => Math.min(duration, Math.max(0, ms));

  overlay.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    drag = { x0: localX(e), pointer: e.pointerId, moved: false };
    overlay.setPointerCapture(e.pointerId);
    surface.focus({ preventScroll: true });
  });
  overlay.addEventListener("pointermove", (e) => {
    const x = localX(e);
    hoverX = x;
    hoverTime.textContent = formatClock(clampMs(xToMs(view, x)));
    if (drag && (drag.moved || Math.abs(x - drag.x0) > DRAG_PX)) {
      drag.moved = true;
      const a = clampMs(xToMs(view, drag.x0));
      const b = clampMs(xToMs(view, x));
      preview = { start_ms: Math.round(Math.min(a, b)), end_ms: Math.round(Math.max(a, b)), segment_id: null };
      queueBase();
    } else {
      drawOverlay();
    }
  });
  overlay.addEventListener("pointerleave", () => {
    hoverX = null;
    hoverTime.textContent = "";
    drawOverlay();
  });
  const endDrag = (e: PointerEvent, cancelled: boolean) => {
    if (!drag || drag.pointer !== e.pointerId) return;
    const d = drag;
    drag = null;
    const chosen = preview;
    preview = null;
    if (cancelled) return queueBase();
    if (d.moved && chosen) {
      deps.select(chosen);
    } else {
      const ms = clampMs(xToMs(view, localX(e)));
      const y = localY(e);
      const lane = Math.floor((y - LANES_TOP) / (LANE + 1));
      const tier = y >= LANES_TOP ? TIERS[lane] : undefined;
      const hit = tier ? spanAt(deps.annotations().filter((a) => a.tier === tier), ms, 3 * view.msPerPx) : null;
      if (hit) deps.openAnnotation(hit.id);
      else deps.seek(ms);
    }
    queueBase();
  };
  overlay.addEventListener("pointerup", (e) => endDrag(e, false));
  overlay.addEventListener("pointercancel", (e) => endDrag(e, true));

  surface.addEventListener(
    "wheel",
    (e) => {
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        fitted = false;
        setView(zoomView(view, e.deltaY > 0 ? 1.25 : 0.8, localX(e), duration, width));
        return;
      }
      if (fitted) return; // nothing to scroll: let the page have the wheel
      e.preventDefault();
      const delta = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY;
      const px = e.deltaMode === 1 ? delta * 16 : delta;
      setView({ startMs: view.startMs + px * view.msPerPx, msPerPx: view.msPerPx });
    },
    { passive: false },
  );
  surface.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "+" || e.key === "=") zoomAround(1 / ZOOM_STEP);
    else if (e.key === "-") zoomAround(ZOOM_STEP);
    else if (e.key === "ArrowLeft") setView({ ...view, startMs: view.startMs - width * 0.25 * view.msPerPx });
    else if (e.key === "ArrowRight") setView({ ...view, startMs: view.startMs + width * 0.25 * view.msPerPx });
    else return;
    e.preventDefault();
  });

  /** Zoom keeping the playhead in place when it is in view, else the middle. */
  const zoomAround = (factor: number) => {
    const px = msToX(view, playhead);
    fitted = false;
    setView(zoomView(view, factor, px >= 0 && px <= width ? px : width / 2, duration, width));
  };
  zoomIn.addEventListener("click", () => zoomAround(1 / ZOOM_STEP));
  zoomOut.addEventListener("click", () => zoomAround(ZOOM_STEP));
  fit.addEventListener("click", () => setView(fitView(duration, width)));
  scroll.addEventListener("input", () => setView({ startMs: Number(scroll.value), msPerPx: view.msPerPx }));

  strip.addEventListener("click", (e) => {
    const w = strip.clientWidth;
    if (w === 0) return;
    const ms = clampMs(((e.clientX - strip.getBoundingClientRect().left) / w) * duration);
    deps.seek(ms);
    if (!fitted) setView({ startMs: ms - (view.msPerPx * width) / 2, msPerPx: view.msPerPx });
  });

  let lastDensityAt = 0;
  return {
    node,
    setPlayhead(ms, isPlaying) {
      playhead = ms;
      playing = isPlaying;
      if (playing && !drag && width > 0 && !fitted) {
        const next = follow(view, ms, duration, width);
        if (next !== view) setView(next);
      }
      drawOverlay();
      // The strip's playhead tick moves a pixel every few seconds: no need for every frame.
      const now = performance.now();
      if (!playing || now - lastDensityAt > 250) {
        lastDensityAt = now;
        drawDensity();
      }
    },
    redraw: queueBase,
    reveal(startMs, endMs) {
      if (width === 0) return;
      const x0 = msToX(view, startMs);
      const x1 = msToX(view, endMs);
      if (x0 >= 0 && x1 <= width) return queueBase();
      setView({ startMs: startMs - width * 0.1 * view.msPerPx, msPerPx: view.msPerPx });
    },
    dispose() {
      observer.disconnect();
      cancelAnimationFrame(baseQueued);
    },
  };
}
