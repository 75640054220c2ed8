// End-to-end: the built Relato app, driven through WebDriver.
//
//   RELATO_APP_BIN  the app binary (default target/debug/relato-app)
//   RELATO_BIN      the CLI, for the locked-vault case (default target/debug/relato)
//   RELATO_ARTIFACTS  where screenshots go (default tests/artifacts)
// Needs DISPLAY (Xvfb) and tauri-driver; scripts/test sets all of this up.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  By,
  CLI,
  format,
  launchApp,
  loadJson,
  makeSandbox,
  screenshot,
  settledCard,
  textOf,
  until,
  xWindowNames,
} from "./harness.mjs";

const ui = { es: loadJson("ui/src/locales/es-MX.json"), en: loadJson("ui/src/locales/en.json") };
const errors = { es: loadJson("assets/locales/errors.es-MX.json"), en: loadJson("assets/locales/errors.en.json") };

describe("no vault yet", () => {
  let sandbox, app, vault;

  before(async () => {
    sandbox = makeSandbox("missing");
    vault = path.join(sandbox.root, "vaults", "vault.relato");
    app = await launchApp({ ...sandbox.env, RELATO_VAULT: vault });
  });
  after(async () => {
    await app?.stop();
    sandbox?.cleanup();
  });

  it("shows the missing state in Spanish, titled Relato", async () => {
    const { driver } = app;
    const card = await settledCard(driver);
    await screenshot(driver, "01-missing-es");
    assert.equal(await card.getAttribute("data-state"), "missing");
    assert.equal(await textOf(driver, "vault-state"), ui.es["status.missing.title"]);
    assert.equal(await textOf(driver, "vault-detail"), ui.es["status.missing.detail"]);
    assert.equal(await textOf(driver, "vault-path"), vault);
    assert.equal(await textOf(driver, "app-title"), "Relato");
    assert.equal(await driver.getTitle(), "Relato");
    assert.equal(await driver.executeScript("return document.documentElement.lang"), "es-MX");
    assert.equal(fs.existsSync(vault), false, "showing the status must not create the vault");

    const names = xWindowNames();
    if (names !== null) assert.ok(names.includes("Relato"), `no X window titled "Relato" among ${JSON.stringify(names)}`);
  });

  it("switches to English and remembers the choice", async () => {
    const { driver } = app;
    await driver.findElement(By.css('[data-testid="lang-en"]')).click();
    await driver.wait(
      until.elementTextIs(driver.findElement(By.css('[data-testid="vault-state"]')), ui.en["status.missing.title"]),
      5000,
    );
    assert.equal(await textOf(driver, "vault-detail"), ui.en["status.missing.detail"]);
    assert.equal(await driver.executeScript("return document.documentElement.lang"), "en");
    assert.equal(await driver.findElement(By.css('[data-testid="lang-en"]')).getAttribute("aria-pressed"), "true");
    await screenshot(driver, "02-missing-en");

    await driver.navigate().refresh();
    await settledCard(driver);
    assert.equal(await textOf(driver, "vault-state"), ui.en["status.missing.title"], "English after a reload");

    await driver.findElement(By.css('[data-testid="lang-es"]')).click();
    await driver.wait(
      until.elementTextIs(driver.findElement(By.css('[data-testid="vault-state"]')), ui.es["status.missing.title"]),
      5000,
    );
  });

  it("allows no remote origins", async () => {
    // The CSP must refuse a connection to anything but the app and its IPC,
    // and say so with a securitypolicyviolation event.
    const violated = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      let directive = null;
      document.addEventListener("securitypolicyviolation", (e) => { directive = e.violatedDirective; }, { once: true });
      fetch("http://127.0.0.1:9/").catch(() => {}).finally(() => setTimeout(() => done(directive), 300));
    `);
    assert.match(String(violated), /connect-src/);
  });
});

describe("a file that is not a vault", () => {
  let sandbox, app, vault;

  before(async () => {
    sandbox = makeSandbox("notavault");
    vault = path.join(sandbox.root, "notes.txt");
    fs.writeFileSync(vault, "Lista del súper: tortillas, frijoles, café. Nada que ver con una bóveda.\n".repeat(20));
    app = await launchApp({ ...sandbox.env, RELATO_VAULT: vault });
  });
  after(async () => {
    await app?.stop();
    sandbox?.cleanup();
  });

  it("shows the translated vault.not_a_vault error and leaves the file alone", async () => {
    const { driver } = app;
    const before = fs.readFileSync(vault);
    const card = await settledCard(driver);
    await screenshot(driver, "03-not-a-vault-es");
    assert.equal(await card.getAttribute("data-state"), "error");
    const error = await driver.findElement(By.css('[data-testid="vault-error"]'));
    assert.equal(await error.getAttribute("data-error-code"), "vault.not_a_vault");
    assert.equal((await error.getText()).trim(), format(errors.es["vault.not_a_vault"], { path: vault }));
    assert.equal(await textOf(driver, "vault-state"), ui.es["status.error.title"]);
    assert.equal(await textOf(driver, "vault-path"), vault);

    await driver.findElement(By.css('[data-testid="lang-en"]')).click();
    await driver.wait(until.elementTextIs(driver.findElement(By.css('[data-testid="vault-state"]')), ui.en["status.error.title"]), 5000);
    assert.equal(await textOf(driver, "vault-error"), format(errors.en["vault.not_a_vault"], { path: vault }));
    await screenshot(driver, "04-not-a-vault-en");
    assert.deepEqual(fs.readFileSync(vault), before, "the file must not be modified");
  });
});

/** Why the CLI case cannot run, or null when it can. */
function cliUnavailable() {
  if (!fs.existsSync(CLI)) return `the relato CLI is not built (${CLI} is absent)`;
  const help = spawnSync(CLI, ["--help"], { encoding: "utf8" });
  const text = `${help.stdout ?? ""}${help.stderr ?? ""}`;
  if (!/\binit\b/.test(text)) return `${CLI} --help lists no "init" command yet`;
  return null;
}

/** The vault id read from the file itself (read-only), or null without python3. */
/** Reads one value straight from the vault file (read-only), or null. */
function queryVaultFile(vault, sql) {
  const script = [
    "import sqlite3, sys",
    "c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro&immutable=1', uri=True)",
    "print(c.execute(sys.argv[2]).fetchone()[0])",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, vault, sql], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

const vaultIdFromFile = (vault) => queryVaultFile(vault, "SELECT value FROM meta WHERE key = 'vault_id'");

const cliSkip = cliUnavailable();

describe("a locked vault created by the CLI", { skip: cliSkip ?? false }, () => {
  let sandbox, app, vault, initOutput;

  before(async () => {
    sandbox = makeSandbox("locked");
    vault = path.join(sandbox.root, "vault.relato");
    const pass = path.join(sandbox.root, "passphrase.txt");
    fs.writeFileSync(pass, "una frase de acceso larga para las pruebas\n", { mode: 0o600 });
    const init = spawnSync(
      CLI,
      ["--vault", vault, "--passphrase-file", pass, "init", "--org", "Organización de prueba", "--admin", "Ana Admin",
        "--recovery-out", path.join(sandbox.root, "recovery.txt")],
      { encoding: "utf8", env: { ...process.env, ...sandbox.env }, timeout: 120_000 },
    );
    initOutput = `${init.stdout ?? ""}${init.stderr ?? ""}`;
    assert.equal(init.status, 0, `relato init failed:\n${initOutput}`);
    assert.ok(fs.existsSync(vault), `relato init exited 0 but created no vault at ${vault}`);
    app = await launchApp({ ...sandbox.env, RELATO_VAULT: vault });
  });
  after(async () => {
    await app?.stop();
    sandbox?.cleanup();
  });

  it("shows the locked state with the vault id and format", async () => {
    const { driver } = app;
    const card = await settledCard(driver);
    assert.equal(await card.getAttribute("data-state"), "locked");
    assert.equal(await textOf(driver, "vault-state"), ui.es["status.locked.title"]);
    const shownId = await textOf(driver, "vault-id");
    assert.ok(shownId.length > 0, "vault id is empty");
    const shownFormat = await textOf(driver, "vault-format");
    assert.match(shownFormat, /^[0-9]+$/);
    const fileFormat = queryVaultFile(vault, "PRAGMA user_version");
    if (fileFormat !== null) assert.equal(shownFormat, fileFormat);
    const fileId = vaultIdFromFile(vault);
    if (fileId !== null) assert.equal(shownId, fileId);
    else assert.ok(initOutput.includes(shownId), `vault id ${shownId} not in the CLI's output:\n${initOutput}`);
    await screenshot(driver, "05-locked-es");
  });
});

if (cliSkip) console.log(`# locked-vault case skipped: ${cliSkip}`);
