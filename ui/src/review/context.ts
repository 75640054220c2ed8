// What the review screen shares with its panels (contract: /work/notes/review-contract.md).

import type { AnnotationView, ReviewData, TranscriptDoc } from "../api";
import type { Ctx } from "../screens/context";

export interface Selection {
  start_ms: number;
  end_ms: number;
  segment_id: string | null;
}

export type ReviewEvent = "transcript-changed" | "annotations-changed" | "selection-changed" | "transcript-saved";

export interface ReviewCtx {
  app: Ctx;
  sessionId: string;
  /** The session's language, for the suggester. */
  language: "es" | "en";
  /** As loaded. */
  data: ReviewData;
  mayEdit: boolean;
  /** The editor's current state (maybe unsaved). */
  transcript(): TranscriptDoc;
  annotations(): AnnotationView[];
  /** After save/delete: redraws waveform regions, emits annotations-changed. */
  setAnnotations(list: AnnotationView[]): void;
  /** Waveform region or transcript text selection. */
  selection(): Selection | null;
  positionMs(): number;
  seek(ms: number): void;
  /** Scrolls to, highlights, and seeks to the segment. */
  focusSegment(id: string): void;
  /** Seeks and shows the annotation. */
  focusAnnotation(id: string): void;
  /** Returns the unsubscribe function. */
  on(event: ReviewEvent, cb: () => void): () => void;
}
