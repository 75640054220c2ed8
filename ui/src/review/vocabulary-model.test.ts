import { describe, expect, it } from "vitest";
import type { AnnotationView, CodeView } from "../api";
import { translator, UI_CATALOGS } from "../i18n";
import {
  addedCodes,
  buildCodeInput,
  codeChoiceText,
  codeSlug,
  codesInUse,
  codeTooltip,
  errorField,
  followLabel,
  isValidCode,
  withCode,
  type CodeDraft,
} from "./vocabulary-model";

const vehicle: CodeView = {
  tier: "indicators",
  code: "vehiculo_rojo",
  label_es: "Vehículo rojo",
  label_en: "Red vehicle",
  definition_es: "Menciona un vehículo rojo.",
  definition_en: "Mentions a red vehicle.",
  added: true,
};

const vocab: CodeView[] = [
  { tier: "indicators", code: "places", label_es: "Lugares", label_en: "Places", definition_es: "Describe un lugar.", definition_en: "Describes a place.", added: false },
  vehicle,
  { tier: "notes", code: "note", label_es: "Nota", label_en: "Note", definition_es: "Texto libre.", definition_en: "Free text.", added: false },
  { tier: "prompt-type", code: "invitation", label_es: "Invitación", label_en: "Invitation", definition_es: "Abierta.", definition_en: "Open.", added: false },
];

function draft(over: Partial<CodeDraft> = {}): CodeDraft {
  return { code: "gato", label_es: "Gato", label_en: "Cat", definition_es: "Menciona un gato.", definition_en: "Mentions a cat.", ...over };
}

describe("codeSlug", () => {
  it("lowercases, drops accents and turns spaces and punctuation into single underscores", () => {
    expect(codeSlug("Vehículo rojo")).toBe("vehiculo_rojo");
    expect(codeSlug("¿Año 2020?")).toBe("ano_2020");
    expect(codeSlug("  Niño -- pingüino!! ")).toBe("nino_pinguino");
    expect(codeSlug("Cámara o dispositivo de grabación")).toBe("camara_o_dispositivo_de_grabacion");
  });
  it("prefixes a label that starts with a digit, so the code starts with a letter", () => {
    expect(codeSlug("3 personas")).toBe("c_3_personas");
    expect(codeSlug("¡1!")).toBe("c_1");
  });
  it("is empty without letters or digits; letters outside a–z become separators", () => {
    expect(codeSlug("")).toBe("");
    expect(codeSlug("¿?¡! —")).toBe("");
    expect(codeSlug("Straße")).toBe("stra_e");
  });
  it("keeps at most 48 characters, never ending in an underscore", () => {
    const long = codeSlug("palabra ".repeat(20));
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long.endsWith("_")).toBe(false);
    expect(isValidCode(long)).toBe(true);
    expect(codeSlug("9".repeat(60))).toBe(`c_${"9".repeat(46)}`);
  });
  it("produces valid codes for ordinary labels", () => {
    for (const label of ["Vehículo rojo", "¿Año 2020?", "3 personas", "Él dijo: «sí»", "Olor a humo"]) {
      expect(isValidCode(codeSlug(label)), label).toBe(true);
    }
  });
});

describe("isValidCode", () => {
  it("follows the vault's rule", () => {
    for (const ok of ["ab", "vehicle", "c_3", "a".repeat(48)]) expect(isValidCode(ok), ok).toBe(true);
    for (const bad of ["", "v", "Vehicle", "1car", "car-park", "coche ", "ñandú", "_a", "a".repeat(49)]) expect(isValidCode(bad), bad).toBe(false);
  });
});

describe("followLabel", () => {
  it("follows the label while the code is empty or still the last proposal", () => {
    expect(followLabel("", "", "Gato")).toBe("gato");
    expect(followLabel("gato", "gato", "Gato negro")).toBe("gato_negro");
    expect(followLabel("  ", "x", "Gato")).toBe("gato");
  });
  it("leaves an identifier the administrator typed", () => {
    expect(followLabel("felino", "gato", "Gato negro")).toBe("felino");
  });
});

describe("buildCodeInput", () => {
  it("gives the code and trimmed texts", () => {
    const r = buildCodeInput(draft({ code: " gato ", label_es: " Gato " }), vocab, null);
    expect(r).toEqual({ ok: true, code: "gato", texts: { label_es: "Gato", label_en: "Cat", definition_es: "Menciona un gato.", definition_en: "Mentions a cat." } });
  });
  it("reports the first problem in the form's order", () => {
    const problem = (d: CodeDraft) => {
      const r = buildCodeInput(d, vocab, null);
      return r.ok ? null : [r.problem.key, r.problem.field];
    };
    expect(problem(draft({ label_es: " ", label_en: "" }))).toEqual(["vocab.problem.label_es_required", "label_es"]);
    expect(problem(draft({ label_en: "", code: "" }))).toEqual(["vocab.problem.label_en_required", "label_en"]);
    expect(problem(draft({ code: "", definition_es: "" }))).toEqual(["vocab.problem.code_required", "code"]);
    expect(problem(draft({ code: "Gato" }))).toEqual(["vocab.problem.code_format", "code"]);
    expect(problem(draft({ code: "g" }))).toEqual(["vocab.problem.code_format", "code"]);
    expect(problem(draft({ definition_es: "" }))).toEqual(["vocab.problem.definition_es_required", "definition_es"]);
    expect(problem(draft({ definition_en: "\n" }))).toEqual(["vocab.problem.definition_en_required", "definition_en"]);
  });
  it("refuses a seeded identifier, and an added one unless revising it", () => {
    const seeded = buildCodeInput(draft({ code: "places" }), vocab, null);
    expect(!seeded.ok && seeded.problem).toEqual({ key: "vocab.problem.code_seeded", field: "code", args: { code: "places" } });
    const taken = buildCodeInput(draft({ code: "vehiculo_rojo" }), vocab, null);
    expect(!taken.ok && taken.problem.key).toBe("vocab.problem.code_exists");
    // A code of another tier with the same identifier is no conflict: only indicators take codes.
    expect(buildCodeInput(draft({ code: "invitation" }), vocab, null).ok).toBe(true);
  });
  it("revises an added code under its own identifier, and only when something changed", () => {
    const same = buildCodeInput({ ...vehicle, code: "ignored", label_es: " Vehículo rojo " }, vocab, "vehiculo_rojo");
    expect(!same.ok && same.problem.key).toBe("vocab.problem.unchanged");
    const changed = buildCodeInput({ ...vehicle, code: "ignored", definition_es: "Menciona un coche rojo." }, vocab, "vehiculo_rojo");
    expect(changed.ok && changed.code).toBe("vehiculo_rojo");
  });
  it("has every problem message in both languages", () => {
    for (const key of Object.keys(UI_CATALOGS["es-MX"]).filter((k) => k.startsWith("vocab."))) {
      expect(UI_CATALOGS.en[key], key).toBeTruthy();
    }
    expect(translator("en").t("vocab.problem.code_seeded", { code: "places" })).toContain("places");
  });
});

describe("errorField", () => {
  const e = (code: string, args: Record<string, string> = {}) => ({ code, message: "", args });
  it("points at the field a backend error is about", () => {
    expect(errorField(e("review.vocabulary_bad_code", { code: "X" }))).toBe("code");
    expect(errorField(e("review.vocabulary_code_seeded"))).toBe("code");
    expect(errorField(e("review.vocabulary_text_required", { field: "definition_en" }))).toBe("definition_en");
    expect(errorField(e("review.vocabulary_text_required", { field: "weird" }))).toBeNull();
    expect(errorField(e("review.vocabulary_code_in_use", { code: "x" }))).toBeNull();
    expect(errorField(e("auth.not_permitted"))).toBeNull();
  });
  it("names the field and the action in the translated message", () => {
    expect(translator("es-MX").error("review.vocabulary_text_required", { field: "label_en" }, "x")).toContain("etiqueta en inglés");
    expect(translator("en").error("review.vocabulary_text_required", { field: "definition_es" }, "x")).toContain("definition in Spanish");
    expect(translator("en").error("auth.not_permitted", { role: "reviewer", action: "edit_vocabulary" }, "x")).toContain("add or change vocabulary codes");
  });
});

describe("withCode", () => {
  it("adds a new code after the last code of its tier", () => {
    const cat: CodeView = { ...vehicle, code: "gato", label_es: "Gato" };
    const next = withCode(vocab, cat);
    expect(next.map((c) => c.code)).toEqual(["places", "vehiculo_rojo", "gato", "note", "invitation"]);
    expect(vocab).toHaveLength(4);
  });
  it("replaces a revised code in place", () => {
    const revised = { ...vehicle, definition_es: "Un coche rojo." };
    const next = withCode(vocab, revised);
    expect(next).toHaveLength(4);
    expect(next[1]).toBe(revised);
  });
  it("appends when the tier has no code yet", () => {
    expect(withCode([], vehicle)).toEqual([vehicle]);
  });
});

describe("added codes", () => {
  it("lists the added indicators only", () => {
    expect(addedCodes(vocab).map((c) => c.code)).toEqual(["vehiculo_rojo"]);
  });
  it("knows which indicator codes this session uses", () => {
    const a = (tier: AnnotationView["tier"], code: string) => ({ tier, code }) as AnnotationView;
    expect([...codesInUse([a("indicators", "vehiculo_rojo"), a("prompt-type", "invitation")])]).toEqual(["vehiculo_rojo"]);
  });
  it("are marked in the code select and the tooltip", () => {
    expect(codeChoiceText(vehicle, "es-MX", "agregado")).toBe("Vehículo rojo (agregado)");
    expect(codeChoiceText(vehicle, "en", "added")).toBe("Red vehicle (added)");
    expect(codeChoiceText(vocab[0]!, "en", "added")).toBe("Places");
    expect(codeTooltip(vehicle, "en", "added")).toBe("Mentions a red vehicle. (added)");
    expect(codeTooltip(vocab[0]!, "es-MX", "agregado")).toBe("Describe un lugar.");
    expect(codeTooltip(undefined, "es-MX", "agregado")).toBe("");
  });
});
