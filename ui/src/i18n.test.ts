import { describe, expect, it } from "vitest";
import {
  DEFAULT_LOCALE,
  ERROR_CATALOGS,
  STORAGE_KEY,
  UI_CATALOGS,
  format,
  loadLocale,
  lookup,
  saveLocale,
  translator,
  type Catalog,
  type KeyValueStore,
  type Locale,
} from "./i18n";

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? data[k]! : null),
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe("format", () => {
  it("substitutes named placeholders", () => {
    expect(format("No hay ninguna bóveda en {path}.", { path: "/tmp/v" })).toBe("No hay ninguna bóveda en /tmp/v.");
  });
  it("substitutes several and repeated placeholders", () => {
    expect(format("{a}-{b}-{a}", { a: 1, b: "x" })).toBe("1-x-1");
  });
  it("leaves unknown placeholders visible", () => {
    expect(format("at {path}: {reason}", { path: "/v" })).toBe("at /v: {reason}");
  });
  it("does not interpret $ patterns or braces inside values", () => {
    expect(format("{p}", { p: "$& {q} $1" , q: "no"})).toBe("$& {q} $1");
  });
  it("supports escaped braces", () => {
    expect(format("{{path}} is {path}", { path: "/v" })).toBe("{path} is /v");
  });
  it("ignores inherited properties", () => {
    expect(format("{toString}", {})).toBe("{toString}");
  });
});

describe("catalogs", () => {
  it("have the same UI keys in every locale", () => {
    const reference = Object.keys(UI_CATALOGS[DEFAULT_LOCALE]).sort();
    for (const catalog of Object.values(UI_CATALOGS)) {
      expect(Object.keys(catalog).sort()).toEqual(reference);
    }
  });
  it("have the same error codes in every locale", () => {
    const reference = Object.keys(ERROR_CATALOGS[DEFAULT_LOCALE]).sort();
    for (const catalog of Object.values(ERROR_CATALOGS)) {
      expect(Object.keys(catalog).sort()).toEqual(reference);
    }
  });
  it("translate the vault probe errors", () => {
    for (const code of ["vault.not_a_vault", "vault.in_use", "vault.newer_format", "vault.io"]) {
      expect(ERROR_CATALOGS["es-MX"][code], code).toBeTypeOf("string");
      expect(ERROR_CATALOGS.en[code], code).toBeTypeOf("string");
    }
  });
});

describe("locale fallback", () => {
  const ui: Record<Locale, Catalog> = {
    "es-MX": { "app.title": "Relato", "status.loading": "Comprobando…" },
    en: { "app.title": "Relato" },
  };
  const errors: Record<Locale, Catalog> = {
    "es-MX": { "vault.in_use": "En uso: {path}", "vault.io": "E/S: {path}" },
    en: { "vault.in_use": "In use: {path}" },
  };

  it("uses the chosen locale first", () => {
    expect(lookup(errors, "en", "vault.in_use")).toBe("In use: {path}");
  });
  it("falls back to Spanish when the chosen locale lacks a key", () => {
    expect(translator("en", ui, errors).t("status.loading")).toBe("Comprobando…");
    expect(translator("en", ui, errors).error("vault.io", { path: "/v" }, "fallback")).toBe("E/S: /v");
  });
  it("falls back to the key for an unknown UI string", () => {
    expect(translator("en", { "es-MX": {}, en: {} }, errors).t("status.loading")).toBe("status.loading");
  });
  it("falls back to the given text for an unknown error code", () => {
    expect(translator("es-MX", ui, errors).error("vault.future", {}, "english text")).toBe("english text");
  });
});

describe("remembered locale", () => {
  it("defaults to Spanish (Mexico)", () => {
    expect(loadLocale(memoryStore())).toBe("es-MX");
    expect(loadLocale(undefined)).toBe("es-MX");
  });
  it("remembers the choice", () => {
    const store = memoryStore();
    saveLocale(store, "en");
    expect(store.data[STORAGE_KEY]).toBe("en");
    expect(loadLocale(store)).toBe("en");
  });
  it("ignores an unknown stored value", () => {
    expect(loadLocale(memoryStore({ [STORAGE_KEY]: "fr" }))).toBe("es-MX");
  });
  it("survives a storage that throws", () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
    };
    expect(loadLocale(broken)).toBe("es-MX");
    expect(() => saveLocale(broken, "en")).not.toThrow();
  });
});

describe("identifiers in error arguments", () => {
  it("are shown through their catalog entries, in each locale", () => {
    const es = translator("es-MX");
    const en = translator("en");
    const args = { field: "child_code" };
    expect(es.error("input.empty", args, "x")).toBe("El campo «código de la niña o niño» no puede quedar vacío.");
    expect(en.error("input.empty", args, "x")).toBe("The child code must not be empty.");
    expect(en.error("auth.not_permitted", { role: "reviewer", action: "create_cases" }, "x")).toBe(
      "Your role (reviewer) does not allow this: create cases.",
    );
  });

  it("leave unknown identifiers as they are", () => {
    expect(translator("en").error("input.empty", { field: "mystery" }, "x")).toBe("The mystery must not be empty.");
  });
});
