// The start screen: title, language switch and the vault card.

import { vaultStatus, type Outcome, type VaultStatus } from "./api";
import {
  LOCALES,
  loadLocale,
  saveLocale,
  translator,
  type Locale,
  type MessageKey,
  type Translator,
} from "./i18n";
import { describeStatus, type StatusView } from "./view";

const LOCALE_LABEL: Record<Locale, MessageKey> = { "es-MX": "lang.es", en: "lang.en" };
const LOCALE_TESTID: Record<Locale, string> = { "es-MX": "lang-es", en: "lang-en" };

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const state: { locale: Locale; outcome?: Outcome<VaultStatus> } = {
  locale: loadLocale(storage()),
};

function languageSwitch(tr: Translator): HTMLElement {
  const group = el("div", { class: "lang", role: "group", "aria-label": tr.t("lang.label"), "data-testid": "lang-switch" });
  for (const locale of LOCALES) {
    const button = el(
      "button",
      {
        type: "button",
        lang: locale,
        "data-testid": LOCALE_TESTID[locale],
        "aria-pressed": String(locale === tr.locale),
      },
      tr.t(LOCALE_LABEL[locale]),
    );
    button.addEventListener("click", () => setLocale(locale));
    group.append(button);
  }
  return group;
}

function vaultCard(tr: Translator, view: StatusView): HTMLElement {
  const card = el("section", {
    class: `card state-${view.kind}`,
    "data-testid": "vault-card",
    "data-state": view.kind,
    "aria-labelledby": "vault-heading",
  });
  card.append(el("h2", { id: "vault-heading", class: "card-heading" }, tr.t("vault.heading")));

  const status = el("div", { class: "status", role: view.kind === "error" ? "alert" : "status" });
  status.append(el("p", { class: "status-title", "data-testid": "vault-state" }, view.title));
  if (view.detail) {
    const detailAttrs: Record<string, string> = {
      class: "status-detail",
      "data-testid": view.kind === "error" ? "vault-error" : "vault-detail",
    };
    if (view.errorCode) detailAttrs["data-error-code"] = view.errorCode;
    status.append(el("p", detailAttrs, view.detail));
  }
  card.append(status);

  const facts = el("dl", { class: "facts" });
  if (view.path !== undefined) {
    facts.append(el("dt", {}, tr.t("vault.path")), el("dd", { class: "path", "data-testid": "vault-path" }, view.path));
  }
  for (const f of view.fields) {
    facts.append(el("dt", {}, f.label), el("dd", { "data-testid": f.testid }, f.value));
  }
  if (facts.childElementCount > 0) card.append(facts);
  if (view.codeLine) card.append(el("p", { class: "code-line", "data-testid": "vault-error-code" }, view.codeLine));
  return card;
}

function render(): void {
  const tr = translator(state.locale);
  document.documentElement.lang = state.locale;
  document.title = tr.t("app.title");

  const header = el(
    "header",
    { class: "top" },
    el(
      "div",
      { class: "brand" },
      el("h1", { "data-testid": "app-title" }, tr.t("app.title")),
      el("p", { class: "tagline" }, tr.t("app.tagline")),
    ),
    languageSwitch(tr),
  );
  const main = el("main", { class: "content" }, vaultCard(tr, describeStatus(state.outcome, tr)));
  const footer = el("footer", { class: "foot" }, tr.t("footer.offline"));

  const root = document.getElementById("app");
  if (!root) return;
  const focusedTestId = document.activeElement?.getAttribute("data-testid");
  root.replaceChildren(header, main, footer);
  // Keep keyboard focus on the language button that was just pressed.
  if (focusedTestId) root.querySelector<HTMLElement>(`[data-testid="${focusedTestId}"]`)?.focus();
}

function setLocale(locale: Locale): void {
  state.locale = locale;
  saveLocale(storage(), locale);
  render();
}

async function start(): Promise<void> {
  render();
  state.outcome = await vaultStatus();
  render();
}

void start();
