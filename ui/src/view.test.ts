import { describe, expect, it } from "vitest";
import { toCommandError, UI_ERROR_CODES, type CommandError, type Outcome, type VaultStatus } from "./api";
import { ERROR_CATALOGS, format, translator } from "./i18n";
import { describeStatus, roleName } from "./view";

const es = translator("es-MX");
const en = translator("en");

const missing: Outcome<VaultStatus> = { ok: true, value: { path: "/home/a/vault.relato", probe: { state: "missing" } } };
const locked: Outcome<VaultStatus> = {
  ok: true,
  value: { path: "/v/vault.relato", probe: { state: "locked", vault_id: "7f3c9a", format_version: 1 } },
};
const failed = (error: CommandError): Outcome<VaultStatus> => ({ ok: false, error });

describe("describeStatus", () => {
  it("shows a calm loading line before the answer", () => {
    expect(describeStatus(undefined, es)).toMatchObject({ kind: "loading", title: "Comprobando la bóveda…" });
  });

  it("maps a missing vault to 'no vault yet' and says it will be created", () => {
    const view = describeStatus(missing, es);
    expect(view.kind).toBe("missing");
    expect(view.title).toBe("No hay bóveda todavía");
    expect(view.detail).toMatch(/Se creará/);
    expect(view.path).toBe("/home/a/vault.relato");
    expect(describeStatus(missing, en).title).toBe("No vault yet");
  });

  it("maps a locked vault to its id and format", () => {
    const view = describeStatus(locked, es);
    expect(view.kind).toBe("locked");
    expect(view.title).toBe("Bóveda cerrada (bloqueada)");
    expect(view.fields).toEqual([
      { label: "Identificador", value: "7f3c9a", testid: "vault-id" },
      { label: "Versión del formato", value: "1", testid: "vault-format" },
    ]);
    expect(describeStatus(locked, en).title).toBe("Vault closed (locked)");
  });

  it("translates a coded error with its arguments", () => {
    const error = { code: "vault.not_a_vault", message: "/x is not a Relato vault", args: { path: "/x" } };
    const view = describeStatus(failed(error), es);
    expect(view.kind).toBe("error");
    expect(view.errorCode).toBe("vault.not_a_vault");
    // The catalogs are edited by others; check the substitution, not the wording.
    expect(view.detail).toBe(format(ERROR_CATALOGS["es-MX"]["vault.not_a_vault"]!, { path: "/x" }));
    expect(view.detail).toContain("/x");
    expect(view.path).toBe("/x");
    expect(view.codeLine).toBe("Código: vault.not_a_vault");
    expect(describeStatus(failed(error), en).detail).toBe(format(ERROR_CATALOGS.en["vault.not_a_vault"]!, { path: "/x" }));
    expect(describeStatus(failed(error), en).detail).not.toBe(view.detail);
  });

  it("falls back to the backend's message for a code it does not know", () => {
    const error = { code: "vault.something_new", message: "something new happened", args: {} };
    expect(describeStatus(failed(error), es).detail).toBe("something new happened");
  });

  it("explains an IPC failure without a code-specific template", () => {
    const error = toCommandError(new Error("command vault_status not allowed"));
    expect(error.code).toBe(UI_ERROR_CODES.ipc);
    expect(describeStatus(failed(error), en).detail).toBe(
      "An unexpected error occurred: command vault_status not allowed",
    );
  });

  it("does not crash on a probe state it does not know", () => {
    const odd = { ok: true, value: { path: "/v", probe: { state: "open" } } } as unknown as Outcome<VaultStatus>;
    const view = describeStatus(odd, en);
    expect(view.kind).toBe("error");
    expect(view.detail).toMatch(/unknown vault state "open"/);
  });
});

describe("toCommandError", () => {
  it("keeps a structured error and stringifies its arguments", () => {
    expect(toCommandError({ code: "vault.newer_format", message: "m", args: { found: 2, supported: 1 } })).toEqual({
      code: "vault.newer_format",
      message: "m",
      args: { found: "2", supported: "1" },
    });
  });
  it("wraps a plain string", () => {
    expect(toCommandError("boom")).toEqual({ code: UI_ERROR_CODES.ipc, message: "boom", args: { message: "boom" } });
  });
});

describe("describeStatus, unlocked", () => {
  const unlocked: Outcome<VaultStatus> = {
    ok: true,
    value: {
      path: "/v/vault.relato",
      probe: { state: "unlocked", vault_id: "vault-1", format_version: 2, me: { name: "Ana", role: "interviewer", institution: "ODI" } },
    },
  };
  it("says who it is open as, with the role translated", () => {
    expect(describeStatus(unlocked, es)).toMatchObject({ kind: "unlocked", title: "Bóveda abierta", detail: "Abierta como Ana (Entrevista)." });
    expect(describeStatus(unlocked, en).detail).toBe("Open as Ana (Interviewer).");
  });
  it("shows an unknown role by its identifier", () => {
    expect(roleName("auditor", en)).toBe("auditor");
  });
});
