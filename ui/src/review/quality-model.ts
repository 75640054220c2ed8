// The quality panel's figures as shown, without DOM: percentages that never
// round a non-zero share to 0 % or a partial one to 100 %, bar widths, and
// which segments each figure counts (its "show me" list).

import type { QualityReport } from "../api";

/** A 0..1 share as a whole percentage; "—" when there is nothing to divide. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  const clamped = Math.min(1, Math.max(0, share));
  const pct = Math.round(clamped * 100);
  // 0.3 % of invitations is not "none", and 99.7 % is not "all".
  if (pct === 0 && clamped > 0) return "<1%";
  if (pct === 100 && clamped < 1) return ">99%";
  return `${pct}%`;
}

/** A bar's width in percent of its track: `count` out of `total`. */
export function barPercent(count: number, total: number): number {
  if (!(total > 0) || !(count > 0)) return 0;
  return Math.min(100, (count / total) * 100);
}

/** The figures that link to segments. */
export type FigureId =
  | "child"
  | "interviewer"
  | "other"
  | "share"
  | "turns"
  | "invitations"
  | "longest"
  | `prompt-${string}`;

/**
 * The segments figure `id` counts, in the report's order (each at most
 * once): a speaker's talk, both speakers for the share, the free-narrative
 * turns, a prompt type's segments, the invitations, the longest narrative.
 */
export function figureSegments(report: QualityReport, id: FigureId): string[] {
  const unique = (ids: string[]) => [...new Set(ids)];
  switch (id) {
    case "child":
      return unique(report.child.segment_ids);
    case "interviewer":
      return unique(report.interviewer.segment_ids);
    case "other":
      return unique(report.other.segment_ids);
    case "share":
      return unique([...report.child.segment_ids, ...report.interviewer.segment_ids]);
    case "turns":
      return unique(report.free_narrative_interviewer_turns.turns.flat());
    case "invitations":
      return unique(report.invitation_share.segment_ids);
    case "longest":
      return unique(report.longest_child_narrative?.segment_ids ?? []);
    default: {
      const kind = id.slice("prompt-".length);
      return unique(report.prompt_types.find((p) => p.kind === kind)?.segment_ids ?? []);
    }
  }
}

/** The number of counted prompts (the prompt-type bars' common total). */
export function promptTotal(report: QualityReport): number {
  return report.prompt_types.reduce((sum, p) => sum + p.count, 0);
}

/** Whether any phase boundary marks the free narrative (else its turn count is 0 by definition). */
export function hasFreeNarrative(phases: readonly { phase: string }[]): boolean {
  return phases.some((p) => p.phase === "free_narrative");
}
