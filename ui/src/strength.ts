// Passphrase strength: zxcvbn's score mapped to what the meter shows, and
// the rule the form applies. The vault itself only refuses passphrases
// shorter than MIN_PASSPHRASE_CHARS; the form also refuses the two weakest
// zxcvbn scores, because a long but guessable phrase protects nothing.

import type { MessageKey } from "./i18n";

export type StrengthLevel = "empty" | "too_short" | "very_weak" | "weak" | "fair" | "strong" | "very_strong";

export interface Strength {
  level: StrengthLevel;
  /** 0..4 filled segments of the meter. */
  segments: number;
  label: MessageKey;
  acceptable: boolean;
}

const BY_SCORE: StrengthLevel[] = ["very_weak", "weak", "fair", "strong", "very_strong"];
/** Lowest zxcvbn score the form accepts. */
export const MIN_SCORE = 2;

/**
 * `score` is zxcvbn's 0..4 (undefined while the estimator is loading);
 * `minChars` the vault's minimum length.
 */
export function assess(passphrase: string, score: number | undefined, minChars: number): Strength {
  const chars = [...passphrase].length;
  if (chars === 0) return { level: "empty", segments: 0, label: "strength.empty", acceptable: false };
  if (chars < minChars) return { level: "too_short", segments: 0, label: "strength.too_short", acceptable: false };
  const s = Math.max(0, Math.min(4, Math.floor(score ?? 0)));
  const level = BY_SCORE[s]!;
  return { level, segments: s, label: `strength.${level}` as MessageKey, acceptable: score !== undefined && s >= MIN_SCORE };
}
