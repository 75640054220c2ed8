// Evidence bundles in the real app: a session holding an imported
// recording (a sox tone) is exported as a zip from the export screen; the
// file appears in the sandbox's downloads folder and its SHA-256, computed
// here, is the one the screen gives for the paper form. The app then
// verifies it ("íntegro"), names the changed file in a copy with one byte
// flipped — the same verdict as `relato verify` — and verifies again with
// the vault locked, after which the CLI finds the export in the custody log.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { By, byId, CLI, launchApp, loadJson, makeSandbox, screenshot, waitVisible, textOf } from "./harness.mjs";

const es = loadJson("ui/src/locales/es-MX.json");
const PASS = "una frase de acceso larga";
const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

const missing = ["sox"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

describe("evidence bundles", { skip: missing.length ? `needs ${missing.join(", ")}` : false }, () => {
  let sandbox, app, driver, env, caseId, sessionId, downloads, tone, exported;

  const relato = (args) => {
    const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" }, timeout: 120_000 });
    return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
  };
  const relatoOk = (args) => {
    const r = relato(args);
    assert.equal(r.status, 0, `relato ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const js = (script, ...args) => driver.executeScript(script, ...args);
  const fill = async (testid, text) => {
    const e = await driver.findElement(byId(testid));
    await e.clear();
    await e.sendKeys(text);
  };
  const verifyInApp = async (file) => {
    await fill("bundle_path-input", file);
    await (await driver.findElement(byId("verify-submit"))).click();
    await driver.wait(
      async () => (await driver.findElements(By.css('[data-testid="verify-ok"], [data-testid="verify-failed"]'))).length > 0,
      60_000,
      "no verdict",
    );
  };

  before(async () => {
    sandbox = makeSandbox("evidence");
    // A Spanish desktop's downloads folder, as xdg-user-dirs writes it.
    downloads = path.join(sandbox.home, "Descargas");
    fs.mkdirSync(downloads);
    fs.writeFileSync(path.join(sandbox.env.XDG_CONFIG_HOME, "user-dirs.dirs"), 'XDG_DOWNLOAD_DIR="$HOME/Descargas"\n');
    const passFile = path.join(sandbox.root, "ana.pass");
    fs.writeFileSync(passFile, `${PASS}\n`);
    env = {
      ...sandbox.env,
      RELATO_VAULT: path.join(sandbox.home, "vault.relato"),
      RELATO_USER: "Ana",
      RELATO_PASSPHRASE_FILE: passFile,
    };

    // Three seconds of a quiet tone stand in for an interview.
    tone = path.join(sandbox.root, "entrevista.wav");
    const sox = spawnSync("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", tone, "synth", "3", "sine", "440", "gain", "-12"]);
    assert.equal(sox.status, 0, String(sox.stderr));

    relatoOk(["init", "--org", "ODI Oaxaca", "--admin", "Ana", "--recovery-out", path.join(sandbox.root, "recovery.txt")]);
    caseId = relatoOk(["case", "new", "--ref", "EXP-2026-031"]);
    sessionId = relatoOk(["session", "new", "--case", caseId, "--child-code", "NNA-031", "--age", "9", "--language", "es"]);
    relatoOk(["import", "--session", sessionId, tone]);

    app = await launchApp(env);
    driver = app.driver;
    await waitVisible(driver, "unlock-form", 60_000);
    await driver.findElement(byId("name-input")).sendKeys("Ana");
    await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
    await driver.findElement(byId("unlock-submit")).click();
    await waitVisible(driver, "case-list", 60_000);
  });
  after(async () => {
    await app?.stop();
    sandbox?.cleanup();
  });

  it("opens the export form from the session, the session checked and zip chosen", async () => {
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await (await waitVisible(driver, "session-export")).click();
    await waitVisible(driver, "export-form");
    assert.equal(await textOf(driver, "export-title"), es["export.heading"]);
    const boxes = await driver.findElements(byId("export-session"));
    assert.equal(boxes.length, 1);
    assert.equal(await boxes[0].isSelected(), true, "the current session is included");
    assert.equal(await (await driver.findElement(byId("packaging-zip"))).isSelected(), true, "a zip by default");

    // The age choices show their own fields, and a short passphrase is refused here.
    await (await driver.findElement(byId("packaging-age_passphrase"))).click();
    await waitVisible(driver, "age_passphrase-input");
    await fill("age_passphrase-input", "corta");
    await fill("age_confirm-input", "corta");
    await (await driver.findElement(byId("export-submit"))).click();
    const short = await waitVisible(driver, "age_passphrase-error");
    assert.equal(await short.getText(), es["form.passphrase_short"].replace("{min}", "12"));
    assert.equal((await fs.promises.readdir(downloads)).length, 0, "nothing was written");

    await (await driver.findElement(byId("packaging-zip"))).click();
    assert.equal(await (await driver.findElement(byId("age_passphrase-input"))).isDisplayed(), false);
    await fill("purpose-input", "Entrega a la Fiscalía para la carpeta de investigación");
    await fill("recipient-input", "Fiscalía Especializada en Delitos Sexuales");
    await js(`document.querySelector('[data-field="sessions"]').scrollIntoView({ block: "start" });`);
    await screenshot(driver, "50-export-form-es");
  });

  it("writes the zip into the downloads folder and shows its SHA-256 for the paper form", async () => {
    await (await driver.findElement(byId("export-submit"))).click();
    const result = await waitVisible(driver, "export-result", 120_000);
    const handed = await driver.findElement(byId("export-handed-hash"));
    const shown = await handed.getAttribute("data-sha256");
    assert.equal((await handed.getText()).replace(/\s+/g, ""), shown, "the grouped text is the same hash");

    const files = await fs.promises.readdir(downloads);
    assert.equal(files.length, 1, `one file in the downloads folder: ${files}`);
    assert.match(files[0], /^EXP-2026-031-\d{8}-\d{4}\.zip$/);
    exported = path.join(downloads, files[0]);
    assert.equal(await textOf(driver, "export-path"), exported);
    assert.equal(sha256(exported), shown, "the screen's SHA-256 is the file's");
    assert.ok((await result.getText()).includes(es["export.hash_zip"]));

    // The original inside, byte for byte the imported file.
    const items = await driver.findElements(byId("bundle-item-sha256"));
    assert.equal(items.length, 1);
    assert.equal(await items[0].getText(), sha256(tone));
    await js("window.scrollTo(0, 0);");
    await screenshot(driver, "51-export-done-es");
  });

  it("verifies the bundle in the app: intact", async () => {
    await (await driver.findElement(byId("export-verify"))).click();
    await waitVisible(driver, "verify-form");
    assert.equal(await (await driver.findElement(byId("bundle_path-input"))).getAttribute("value"), exported, "the path comes filled in");
    await (await driver.findElement(byId("verify-submit"))).click();
    const ok = await waitVisible(driver, "verify-ok", 60_000);
    assert.equal(await ok.getAttribute("role"), "status");
    assert.ok((await textOf(driver, "verify-verdict")).includes(es["verify.ok"]));
    assert.equal(await textOf(driver, "verify-case"), "EXP-2026-031");
    assert.ok((await textOf(driver, "verify-exported-by")).startsWith("Ana"));
    assert.equal(await textOf(driver, "verify-purpose"), "Entrega a la Fiscalía para la carpeta de investigación");
    const items = await driver.findElements(byId("bundle-item-sha256"));
    assert.equal(await items[0].getText(), sha256(tone));
    await screenshot(driver, "52-verify-ok-es");
  });

  it("names the changed file in a copy with one byte flipped, as relato verify does", async () => {
    const bytes = fs.readFileSync(exported);
    const at = bytes.indexOf(Buffer.from("data")) + 4000;
    assert.ok(at > 4000, "the WAV's data chunk is in the zip");
    bytes[at] ^= 0x01;
    const altered = path.join(sandbox.root, "alterado.zip");
    fs.writeFileSync(altered, bytes);

    await verifyInApp(altered);
    const failed = await waitVisible(driver, "verify-failed");
    assert.equal(await failed.getAttribute("role"), "alert");
    const reason = await driver.findElement(byId("verify-error"));
    // The zip entry's CRC fails before its hash is compared: "altered", naming the file.
    assert.equal(await reason.getAttribute("data-error-code"), "evidence.file_altered");
    assert.ok((await reason.getText()).startsWith("evidence/EV-001.wav"), await reason.getText());
    assert.equal(await driver.findElements(byId("verify-ok")).then((l) => l.length), 0, "no green block left over");
    await screenshot(driver, "53-verify-tampered-es");

    // The CLI's verdict on the same copy: the same error, the same file.
    const cli = relato(["--json", "verify", altered]);
    assert.equal(cli.status, 4, "an integrity failure");
    const said = JSON.parse(cli.stderr.split("\n").pop()).error;
    assert.equal(said.code, "evidence.file_altered");
    assert.equal(said.args.file, "evidence/EV-001.wav");
  });

  it("verifies with the vault locked, and the export is in the case's custody log", async () => {
    await (await driver.findElement(byId("lock"))).click();
    // Verifying needs no vault: the screen stays, the signed-in name goes.
    await driver.wait(async () => (await driver.findElements(byId("signed-in"))).length === 0, 30_000, "the vault did not lock");
    assert.equal((await driver.findElements(byId("nav-cases"))).length, 0, "no cases while locked");
    await (await driver.findElement(byId("nav-verify"))).click();
    await waitVisible(driver, "verify-form");
    await verifyInApp(exported);
    await waitVisible(driver, "verify-ok");
    // Any other screen asks to unlock.
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await waitVisible(driver, "unlock-form", 30_000);

    // Locked, the app has let go of the vault: the CLI can read the log.
    const lines = relatoOk(["log", "show", "--case", caseId]).split("\n").map((l) => JSON.parse(l));
    const created = lines.filter((l) => l.event === "EXPORT_CREATED");
    assert.equal(created.length, 1, "one export, logged once; verifying logs nothing");
    assert.equal(created[0].details.zip_sha256, sha256(exported));
  });

  it("adds a redacted version beside the untouched original, its faults named line by line", async () => {
    await (await driver.findElement(byId("name-input"))).sendKeys("Ana");
    await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
    await driver.findElement(byId("unlock-submit")).click();
    await js(`window.location.hash = "#/sessions/${sessionId}/export";`);
    await waitVisible(driver, "export-form", 60_000);
    await (await driver.findElement(byId("packaging-folder"))).click();
    await (await driver.findElement(By.css('[data-testid="export-redaction"] summary'))).click();
    // Two lines at once (WebKitWebDriver types "\n" as a key press, not a newline).
    await js(
      "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
      await driver.findElement(byId("redact_silences-input")),
      "00:00:01 - 00:00:02\nmás tarde",
    );
    await (await driver.findElement(byId("export-submit"))).click();
    const bad = await waitVisible(driver, "redact_silences-error");
    assert.equal(await bad.getText(), es["redact.bad_stretch"].replace("{line}", "2"));
    const before = (await fs.promises.readdir(downloads)).length;

    await fill("redact_silences-input", "00:00:01 - 00:00:02");
    await fill("redact_reason-input", "protección de datos de la niña");
    await js(`document.querySelector('[data-testid="export-redaction"]').scrollIntoView({ block: "start" });`);
    await screenshot(driver, "57-export-redaction-es");
    await (await driver.findElement(byId("export-submit"))).click();
    await waitVisible(driver, "export-redacted", 120_000);
    const folder = path.join(downloads, (await fs.promises.readdir(downloads)).filter((f) => !f.endsWith(".zip")).pop());
    assert.equal((await fs.promises.readdir(downloads)).length, before + 1);
    const red = path.join(folder, "derivatives", "S01", "redacted");
    const record = JSON.parse(fs.readFileSync(path.join(red, "redaction.json"), "utf8"));
    assert.equal(record.audio[0].parent.sha256, sha256(tone), "the copy names its parent by hash");
    assert.equal(record.audio_requests[0].reason, "protección de datos de la niña");
    // The silenced second is zeros; the original in the bundle is the imported file.
    const copy = fs.readFileSync(path.join(red, "EV-001-redacted.wav"));
    const [from, to] = record.audio[0].silenced.byte_ranges[0];
    assert.ok(copy.subarray(from, to).every((b) => b === 0), "the stretch is silent");
    assert.equal(sha256(path.join(folder, "evidence", "EV-001.wav")), sha256(tone));
    assert.equal(relato(["verify", folder]).status, 0, "the bundle with its redacted version verifies");
  });
});
