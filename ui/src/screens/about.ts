// About / diagnostics, and the one setting (idle lock).

import { api, toCommandError, type AboutInfo } from "../api";
import { card, copyText, el } from "../dom";
import { diagnosticsText } from "../diagnostics";
import { IDLE_CHOICES } from "../idle";
import type { Ctx } from "./context";
import { errorBox, loading } from "./shared";
import { errorMessage } from "../view";

export function aboutScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const body = el("div", {}, loading(tr));
  void (async () => {
    const r = await api.about();
    if (!r.ok) return body.replaceChildren(errorBox(tr, r.error));
    body.replaceChildren(...aboutBody(ctx, r.value));
  })();

  const idle = el("select", { id: "idle-minutes", "data-testid": "idle-minutes" });
  for (const m of IDLE_CHOICES) {
    const opt = el("option", { value: String(m) }, tr.t("settings.idle_minutes", { minutes: m }));
    if (m === ctx.idleMinutes) opt.selected = true;
    idle.append(opt);
  }
  idle.addEventListener("change", () => ctx.setIdleMinutes(Number(idle.value)));
  const settings = card(
    tr.t("settings.heading"),
    "settings-card",
    el("div", { class: "field" }, el("label", { for: "idle-minutes" }, tr.t("settings.idle")), idle, el("p", { class: "hint" }, tr.t("settings.idle_hint"))),
  );

  return el(
    "div",
    { class: "stack", "data-testid": "about-screen" },
    el("section", { class: "card" }, el("h2", { class: "page-title" }, tr.t("about.heading")), body),
    settings,
  );
}

function aboutBody(ctx: Ctx, info: AboutInfo): Node[] {
  const { tr } = ctx;
  const facts = el("dl", { class: "facts plain" });
  const add = (label: string, v: string, testid: string) => facts.append(el("dt", {}, label), el("dd", { "data-testid": testid }, v));
  add(tr.t("about.version"), info.version, "about-version");
  add(tr.t("about.build"), info.build, "about-build");
  add(
    tr.t("about.format"),
    info.format_file === null
      ? tr.t("about.format_none", { supported: info.format_supported })
      : tr.t("about.format_value", { file: info.format_file, supported: info.format_supported }),
    "about-format",
  );
  add(tr.t("about.os"), info.os, "about-os");
  add(tr.t("about.vault_path"), info.vault_path || tr.t("common.none"), "about-vault-path");

  const devices = el("ul", { class: "devices", "data-testid": "about-devices" });
  for (const d of info.devices) devices.append(el("li", {}, el("span", { class: "device-name" }, d.name), " ", el("span", { class: "muted" }, d.format ?? tr.t("about.no_format"))));
  const devicesNote = info.devices_error
    ? el("p", { class: "muted", "data-testid": "about-devices-error" }, errorMessage(toCommandError(info.devices_error), tr))
    : info.devices.length === 0
      ? el("p", { class: "muted" }, tr.t("about.no_devices"))
      : el("span");

  const text = diagnosticsText(info, tr.locale);
  const pre = el("pre", { class: "diagnostics", "data-testid": "diagnostics-text" }, text);
  const status = el("span", { class: "muted", "data-testid": "copy-status", "aria-live": "polite" });
  const copy = el("button", { type: "button", "data-testid": "copy-diagnostics" }, tr.t("about.copy"));
  copy.addEventListener("click", async () => {
    status.textContent = (await copyText(text)) ? tr.t("about.copied") : tr.t("about.copy_failed");
  });
  return [
    facts,
    el("h3", { class: "sub" }, tr.t("about.devices")),
    devices,
    devicesNote,
    el("h3", { class: "sub" }, tr.t("about.diagnostics")),
    el("p", { class: "hint" }, tr.t("about.diagnostics_hint")),
    pre,
    el("div", { class: "actions left" }, copy, status),
  ];
}
