// The text "Copy diagnostics" puts on the clipboard: facts about the build
// and the machine, nothing about people or cases. Device names are left
// out (a Bluetooth headset is often named after its owner); their formats
// are enough to diagnose.

import type { AboutInfo } from "./api";

export function diagnosticsText(info: AboutInfo, locale: string): string {
  const lines = [
    `Relato ${info.version}`,
    `build: ${info.build}`,
    `os: ${info.os}`,
    `ui locale: ${locale}`,
    `vault format: supported ${info.format_supported}, file ${info.format_file ?? "-"}`,
    `vault path: ${info.vault_path || "-"}`,
    `input devices: ${info.devices.length}`,
  ];
  info.devices.forEach((d, i) => lines.push(`  input ${i + 1}: ${d.format ?? "no usable format"}${d.bluetooth ? " (Bluetooth)" : ""}`));
  if (info.devices_error) lines.push(`input devices error: ${info.devices_error.code}`);
  return `${lines.join("\n")}\n`;
}
