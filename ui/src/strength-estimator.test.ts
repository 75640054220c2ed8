import { describe, expect, it } from "vitest";
import { MIN_SCORE } from "./strength";
import { estimate } from "./strength-estimator";

describe("passphrase estimator", () => {
  it("refuses common Spanish passwords an English-only estimator let through", () => {
    // zxcvbn 4.4.2 (English only) scored "contraseña123" 3 and "Guadalupe2010" 1.
    for (const weak of ["contraseña123", "Guadalupe2010", "teamomucho", "corazon12345"]) {
      expect(estimate(weak, []).score, weak).toBeLessThan(MIN_SCORE);
    }
  });

  it("accepts long phrases of ordinary words, Spanish or English", () => {
    for (const phrase of ["una frase de acceso larga", "mi perro se llama firulais", "correct horse battery staple"]) {
      expect(estimate(phrase, []).score, phrase).toBeGreaterThanOrEqual(MIN_SCORE + 1);
    }
  });

  it("counts the form's own words (the organisation, the name) as guessable", () => {
    // As the form passes them: whole fields, whose words count one by one
    // (the organisation's words in another order make a strong-looking phrase).
    const phrase = "oaxacaodioaxaca";
    expect(estimate(phrase, ["ODI Oaxaca", "Ana"]).score).toBeLessThan(estimate(phrase, []).score);
    expect(estimate(phrase, ["ODI Oaxaca", "Ana"]).guessesLog10).toBeLessThan(estimate(phrase, []).guessesLog10 - 2);
  });
});
