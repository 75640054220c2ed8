// The passphrase guess estimator: zxcvbn-ts with Spanish (Spain's word
// lists: common words, names, surnames, Wikipedia — the Latin American
// vocabulary overlaps most of it) and English dictionaries, the common
// password lists and keyboard graphs. The first users type Spanish, and an
// English-only estimator rates "contraseña123" as strong.
//
// Building the tables is heavy: the worker (strength.worker.ts) does it
// once, off the window.

import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import * as es from "@zxcvbn-ts/language-es-es";

let factory: ZxcvbnFactory | undefined;

export interface Estimate {
  /** zxcvbn's 0..4. */
  score: number;
  /** How many guesses an attacker needs, as a power of ten. */
  guessesLog10: number;
}

/** `inputs` are words of this form (names, organisation) that count as guessable. */
export function estimate(text: string, inputs: string[]): Estimate {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, ...es.dictionary },
    graphs: common.adjacencyGraphs,
  });
  // The form passes whole fields ("ODI Oaxaca"): each word counts too.
  const words = inputs.flatMap((i) => [i, ...i.split(/\s+/)]).filter((w) => w.length > 0);
  const { score, guessesLog10 } = factory.check(text, words);
  return { score, guessesLog10 };
}
