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
  byId,
  Key,
  format,
  launchApp,
  loadJson,
  makeSandbox,
  screenshot,
  settledCard,
  textOf,
  until,
  waitVisible,
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

// ---------------------------------------------------------------------------
// The interviewer's path: first run → vault → recovery code → case → session;
// lock (Ctrl+L) → wrong passphrase → right passphrase; English.

const PASS = "una frase de acceso larga para las pruebas";
const ADMIN = "Ana Admin";
const ORG = "Organización de prueba";

async function type(driver, testid, text) {
  const e = await driver.findElement(byId(testid));
  await e.clear();
  await e.sendKeys(text);
}

/**
 * The vault's bytes and its WAL's, to show that a step changed nothing. An
 * absent WAL counts as empty: SQLite removes an empty one when it closes.
 */
function vaultBytes(vault) {
  const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p) : Buffer.alloc(0));
  return { main: read(vault), wal: read(`${vault}-wal`) };
}

describe("first run, cases and sessions, lock and unlock", () => {
  let sandbox, app, vault, driver;

  before(async () => {
    sandbox = makeSandbox("firstrun");
    // Under HOME, so that About must show it as ~/…
    vault = path.join(sandbox.home, "vaults", "vault.relato");
    // A Spanish desktop's downloads folder, as xdg-user-dirs writes it.
    fs.mkdirSync(path.join(sandbox.home, "Descargas"));
    fs.writeFileSync(path.join(sandbox.env.XDG_CONFIG_HOME, "user-dirs.dirs"), 'XDG_DOWNLOAD_DIR="$HOME/Descargas"\n');
    app = await launchApp({ ...sandbox.env, RELATO_VAULT: vault });
    driver = app.driver;
  });
  after(async () => {
    await app?.stop();
    sandbox?.cleanup();
  });

  it("creates the vault and shows the recovery code once", async () => {
    await waitVisible(driver, "setup-form");
    assert.equal(await textOf(driver, "vault-state"), ui.es["status.missing.title"]);
    await screenshot(driver, "10-setup-es");

    await type(driver, "organisation-input", ORG);
    await type(driver, "admin_name-input", ADMIN);
    await type(driver, "passphrase-input", "corta");
    await driver.wait(until.elementTextIs(driver.findElement(byId("strength-label")), ui.es["strength.too_short"]), 5000);
    await type(driver, "confirm-input", "corta");
    await driver.findElement(byId("setup-submit")).click();
    const shortError = await waitVisible(driver, "passphrase-error", 5000);
    assert.equal((await shortError.getText()).trim(), format(ui.es["form.passphrase_short"], { min: 12 }));
    assert.equal(fs.existsSync(vault), false, "a refused passphrase creates nothing");

    // Long enough, but a common Spanish password: weak, and refused.
    await type(driver, "passphrase-input", "contraseña123");
    await driver.wait(async () => [ui.es["strength.very_weak"], ui.es["strength.weak"]].includes(await textOf(driver, "strength-label")), 10_000, "the meter did not rate contraseña123 weak");
    await type(driver, "confirm-input", "contraseña123");
    await driver.findElement(byId("setup-submit")).click();
    const weakError = await waitVisible(driver, "passphrase-error", 5000);
    assert.equal((await weakError.getText()).trim(), ui.es["form.passphrase_weak"]);
    assert.equal(fs.existsSync(vault), false, "a refused passphrase creates nothing");

    await type(driver, "passphrase-input", PASS);
    // The estimator loads lazily; its verdict for this phrase is strong or better.
    await driver.wait(async () => {
      const label = (await textOf(driver, "strength-label"));
      return label === ui.es["strength.strong"] || label === ui.es["strength.very_strong"];
    }, 10_000, "the strength meter did not rate the long passphrase strong");
    assert.match(await driver.findElement(byId("strength-meter")).getAttribute("data-level"), /strong/);
    await type(driver, "confirm-input", PASS);
    await screenshot(driver, "11-setup-filled-es");
    await driver.findElement(byId("setup-submit")).click();

    const code = await waitVisible(driver, "recovery-code", 60_000);
    const recovery = (await code.getText()).trim();
    assert.match(recovery, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){6,}$/);
    assert.ok(fs.existsSync(vault), "the vault file exists after creation");
    fs.writeFileSync(path.join(sandbox.root, "recovery.txt"), `${recovery}\n`, { mode: 0o600 });

    const proceed = await driver.findElement(byId("recovery-continue"));
    assert.equal(await proceed.isEnabled(), false, "continue needs the confirmation first");
    assert.equal(await textOf(driver, "recovery-print"), ui.es["recovery.print"]);
    assert.equal(await textOf(driver, "recovery-save"), ui.es["recovery.save"]);
    // The print stylesheet shows the code and its title only.
    const printRules = await driver.executeScript(`
      return [...document.styleSheets].flatMap((s) => [...s.cssRules])
        .filter((r) => r.media && r.media.mediaText.includes("print")).map((r) => r.cssText).join("\\n");`);
    assert.match(printRules, /visibility: hidden/);
    assert.match(printRules, /\.print-area/);
    // "Save to a file" goes through the web view's download of a blob.
    await driver.findElement(byId("recovery-save")).click();
    await driver.wait(async () => (await driver.findElement(byId("recovery-saved")).getAttribute("data-result")) !== null, 10_000,
      "no answer from the download");
    const savedAs = path.join(sandbox.home, "Descargas", ui.es["recovery.file_name"]);
    assert.equal(await textOf(driver, "recovery-saved"), format(ui.es["recovery.saved"], { file: ui.es["recovery.file_name"] }));
    assert.ok(fs.readFileSync(savedAs, "utf8").includes(recovery), `the code is not in ${savedAs}`);
    await screenshot(driver, "12-recovery-es");
    await driver.findElement(byId("recovery-confirm")).click();
    assert.equal(await proceed.isEnabled(), true);
    await proceed.click();
    await waitVisible(driver, "cases-screen");
    assert.equal(await driver.findElements(byId("recovery-code")).then((l) => l.length), 0, "the code is gone");
    assert.equal(await textOf(driver, "signed-in"), format(ui.es["nav.signed_in"], { name: ADMIN, role: ui.es["role.administrator"] }));
  });

  it("creates a case and a session, with the vault's errors next to the fields", async () => {
    await waitVisible(driver, "cases-empty");
    assert.equal(await textOf(driver, "cases-empty"), ui.es["cases.empty"]);
    await screenshot(driver, "13-cases-empty-es");

    await driver.findElement(byId("case-submit")).click();
    assert.equal(await textOf(driver, "reference-error"), ui.es["form.required"]);
    await type(driver, "reference-input", "EXP-2026-031");
    await type(driver, "place-input", "Oaxaca");
    await type(driver, "institution-input", "Escuela Núm. 12");
    await driver.findElement(byId("case-submit")).click();
    const title = await waitVisible(driver, "case-title");
    assert.equal((await title.getText()).trim(), format(ui.es["case.heading"], { reference: "EXP-2026-031" }));
    assert.equal(await textOf(driver, "sessions-empty"), ui.es["case.no_sessions"]);
    assert.equal(await driver.findElements(By.css('[name*="name"]')).then((l) => l.length), 0, "no name field anywhere");

    // A name instead of a code is refused before anything is sent…
    await type(driver, "child_code-input", "María");
    await type(driver, "age_years-input", "7");
    await driver.findElement(byId("session-submit")).click();
    assert.equal(await textOf(driver, "child_code-error"), ui.es["form.child_code"]);
    // …and what only the vault checks comes back translated, next to its field.
    await type(driver, "child_code-input", "NNA-031");
    await type(driver, "protocol-input", "P".repeat(121));
    await driver.findElement(byId("session-submit")).click();
    const protocolError = await waitVisible(driver, "protocol-error", 10_000);
    assert.equal(await protocolError.getAttribute("data-error-code"), "input.too_long");
    assert.equal(
      (await protocolError.getText()).trim(),
      format(errors.es["input.too_long"], { field: errors.es["field.protocol"], max: 120 }),
    );
    await screenshot(driver, "14-session-form-error-es");

    await type(driver, "protocol-input", "NICHD");
    await type(driver, "consent_reference-input", "CONS-12");
    await driver.findElement(byId("present-psychologist")).click();
    await driver.findElement(byId("present-guardian")).click();
    await driver.findElement(byId("session-submit")).click();
    const sessionTitle = await waitVisible(driver, "session-title");
    assert.equal((await sessionTitle.getText()).trim(), format(ui.es["session.heading"], { code: "NNA-031" }));
    assert.equal(await textOf(driver, "session-present"), `${ui.es["present.psychologist"]}, ${ui.es["present.guardian"]}`);
    assert.equal(await textOf(driver, "session-age"), format(ui.es["session.age_value"], { age: 7 }));
    assert.equal(await textOf(driver, "session-interviewer"), ADMIN);
    await screenshot(driver, "15-session-es");

    await driver.findElement(byId("session-record")).click();
    await waitVisible(driver, "record-screen");
    assert.match(await driver.getCurrentUrl(), /#\/sessions\/[^/]+\/record$/);
    await screenshot(driver, "16-record-screen-es");

    await driver.findElement(byId("nav-cases")).click();
    await waitVisible(driver, "case-list");
    await type(driver, "case-search", "escuela num");
    assert.equal((await driver.findElements(byId("case-link"))).length, 1, "accent-insensitive search finds the case");
    await type(driver, "case-search", "guadalajara");
    await waitVisible(driver, "cases-no-match");
    await type(driver, "case-search", "oaxaca");
    await waitVisible(driver, "case-list");
    await screenshot(driver, "17-cases-es");
  });

  it("locks with Ctrl+L, refuses a wrong passphrase and opens with the right one", async () => {
    await driver.actions().keyDown(Key.CONTROL).sendKeys("l").keyUp(Key.CONTROL).perform();
    await waitVisible(driver, "unlock-form");
    assert.equal(await textOf(driver, "vault-state"), ui.es["status.locked.title"]);

    if (!cliSkip) {
      // The code shown once really opens the vault (as the recovery identity).
      const r = spawnSync(CLI, ["--vault", vault, "--recovery-code-file", path.join(sandbox.root, "recovery.txt"), "--json", "status"], {
        encoding: "utf8",
        env: { ...process.env, ...sandbox.env },
        timeout: 120_000,
      });
      assert.equal(r.status, 0, `relato status with the recovery code failed:\n${r.stdout}${r.stderr}`);
    }

    const before = vaultBytes(vault);
    assert.equal(await driver.findElement(byId("name-input")).getAttribute("value"), ADMIN, "the name is remembered in memory");
    await type(driver, "passphrase-input", "una frase equivocada de verdad");
    await driver.findElement(byId("unlock-submit")).click();
    const error = await waitVisible(driver, "unlock-error", 60_000);
    assert.equal(await error.getAttribute("data-error-code"), "auth.wrong_passphrase");
    assert.equal((await error.getText()).trim(), errors.es["auth.wrong_passphrase"]);
    await screenshot(driver, "18-unlock-wrong-es");
    const after = vaultBytes(vault);
    assert.ok(before.main.equals(after.main), "a wrong passphrase must not change the vault");
    assert.ok(before.wal.equals(after.wal), "nor its write-ahead log");

    await type(driver, "passphrase-input", PASS);
    await driver.findElement(byId("unlock-submit")).click();
    await waitVisible(driver, "case-list", 60_000);
    assert.equal(await textOf(driver, "case-reference"), "EXP-2026-031");
  });

  it("switches to English, and About copies diagnostics without personal data", async () => {
    await driver.findElement(byId("lang-en")).click();
    await driver.wait(until.elementTextIs(driver.findElement(byId("nav-cases")), ui.en["nav.cases"]), 5000);
    await waitVisible(driver, "case-list");
    assert.equal(await textOf(driver, "lock"), ui.en["nav.lock"]);
    assert.equal(await driver.findElement(byId("case-submit")).getText(), ui.en["case.create"]);
    await screenshot(driver, "19-cases-en");

    await driver.findElement(byId("nav-about")).click();
    const diag = await waitVisible(driver, "diagnostics-text", 30_000);
    const text = await diag.getText();
    assert.match(text, /^Relato \d+\.\d+\.\d+/);
    assert.match(text, /vault format: supported \d+, file \d+/);
    assert.match(text, /vault path: ~\/vaults\/vault\.relato/);
    for (const personal of [ADMIN, "Ana", ORG, "EXP-2026", "NNA-031", "Oaxaca", sandbox.root]) {
      assert.ok(!text.includes(personal), `diagnostics contain ${personal}:\n${text}`);
    }
    assert.equal(await textOf(driver, "about-version"), text.split("\n")[0].replace("Relato ", ""));
    await driver.findElement(byId("copy-diagnostics")).click();
    await driver.wait(async () => (await textOf(driver, "copy-status")) !== "", 5000);
    await screenshot(driver, "20-about-en");
  });

  it("locks by itself after the idle time", async () => {
    await driver.findElement(byId("nav-cases")).click();
    await waitVisible(driver, "case-list");
    // Eleven minutes pass without a key or a click (default: 10).
    await driver.executeScript("const now = Date.now; Date.now = () => now() + 11 * 60_000;");
    const notice = await waitVisible(driver, "lock-notice", 20_000);
    assert.equal((await notice.getText()).trim(), format(ui.en["unlock.locked_idle"], { minutes: 10 }));
    await waitVisible(driver, "unlock-form");
    await screenshot(driver, "21-locked-idle-en");
  });
});
