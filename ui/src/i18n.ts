// Locales, message catalogs and template substitution.
//
// UI strings live in ./locales/<locale>.json; error messages in
// assets/locales/errors.<locale>.json, shared with the CLI and keyed by the
// stable error codes of the Rust crates.

import esMX from "./locales/es-MX.json";
import en from "./locales/en.json";
import errorsEsMX from "../../assets/locales/errors.es-MX.json";
import errorsEn from "../../assets/locales/errors.en.json";

export const LOCALES = ["es-MX", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "es-MX";
export const STORAGE_KEY = "relato.locale";

/** A UI message key: the Spanish catalog is the reference. */
export type MessageKey = keyof typeof esMX;
export type Catalog = Record<string, string>;

export const UI_CATALOGS: Record<Locale, Catalog> = { "es-MX": esMX, en };
export const ERROR_CATALOGS: Record<Locale, Catalog> = { "es-MX": errorsEsMX, en: errorsEn };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * Replaces each `{name}` in `template` with `args[name]`. Unknown names are
 * left as they are, so a missing argument is visible rather than silently
 * dropped. `{{` and `}}` stand for literal braces.
 */
export function format(template: string, args: Record<string, unknown> = {}): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z0-9_]+)\}/g, (match, name: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    if (name !== undefined && Object.prototype.hasOwnProperty.call(args, name)) {
      const v = args[name];
      return v === null || v === undefined ? "" : String(v);
    }
    return match;
  });
}

/** Looks `key` up in the locale's catalog, then in the default locale's. */
export function lookup(catalogs: Record<Locale, Catalog>, locale: Locale, key: string): string | undefined {
  return catalogs[locale][key] ?? catalogs[DEFAULT_LOCALE][key];
}

/**
 * Arguments that hold an identifier rather than text (`field: "child_code"`,
 * `role: "reviewer"`) are shown through their own catalog entry
 * (`field.child_code`); the Rust crates list them in `TRANSLATED_ARGS`.
 */
export const TRANSLATED_ARGS = ["field", "role", "kind", "action", "tier"] as const;

export function translateIdentifiers(
  catalogs: Record<Locale, Catalog>,
  locale: Locale,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...args };
  for (const name of TRANSLATED_ARGS) {
    const id = args[name];
    if (typeof id === "string") {
      const text = lookup(catalogs, locale, `${name}.${id}`);
      if (text !== undefined) shown[name] = text;
    }
  }
  return shown;
}

/** A bound translator for one locale. */
export interface Translator {
  locale: Locale;
  /** A UI string; falls back to the default locale, then to the key itself. */
  t(key: MessageKey, args?: Record<string, unknown>): string;
  /** An error message by code; falls back to the default locale, then to `fallback`. */
  error(code: string, args: Record<string, unknown>, fallback: string): string;
}

export function translator(
  locale: Locale,
  ui: Record<Locale, Catalog> = UI_CATALOGS,
  errors: Record<Locale, Catalog> = ERROR_CATALOGS,
): Translator {
  return {
    locale,
    t(key, args) {
      return format(lookup(ui, locale, key) ?? key, args);
    },
    error(code, args, fallback) {
      const template = lookup(errors, locale, code);
      return template === undefined ? fallback : format(template, translateIdentifiers(errors, locale, args));
    },
  };
}

/** Minimal storage interface, so tests need no DOM. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The remembered locale, or the default (Spanish) when none or an unknown one is stored. */
export function loadLocale(store: KeyValueStore | undefined): Locale {
  try {
    const saved = store?.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function saveLocale(store: KeyValueStore | undefined, locale: Locale): void {
  try {
    store?.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage unavailable: the choice lasts for this session only.
  }
}
