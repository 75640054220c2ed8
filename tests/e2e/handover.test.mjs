// Hand-over and reception in the real app. A session holding an imported
// recording (a sox tone) is exported as a zip from the export screen; the
// case screen then logs its delivery (ENTREGA) to the prosecutor's office
// with that zip, which the CLI finds in the case's custody log naming the
// zip's SHA-256 — and the same zip named for another case is refused. A
// second vault, the receiving office's, then takes the zip in through the
// "Recibir paquete" screen: a new case with the bundle's reference, its
// session and the original byte for byte, and a RECEPCION in its log.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { attrOf, By, byId, CLI, format, fresh, launchApp, loadJson, makeSandbox, screenshot, textOf, waitVisible } from "./harness.mjs";

const es = loadJson("ui/src/locales/es-MX.json");
const errorsEs = loadJson("assets/locales/errors.es-MX.json");
const PASS = "una frase de acceso larga";
const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

const missing = ["sox"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

/** A sandbox with a vault made by the CLI, unlocked by `user`'s passphrase file. */
function vaultIn(name, user, org) {
  const sandbox = makeSandbox(name);
  const passFile = path.join(sandbox.root, "pass");
  fs.writeFileSync(passFile, `${PASS}\n`);
  const env = { ...sandbox.env, RELATO_VAULT: path.join(sandbox.home, "vault.relato"), RELATO_USER: user, RELATO_PASSPHRASE_FILE: passFile };
  const relato = (args) => {
    const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" }, timeout: 120_000 });
    assert.equal(r.status, 0, `relato ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout.trim();
  };
  relato(["init", "--org", org, "--admin", user, "--recovery-out", path.join(sandbox.root, "recovery.txt")]);
  return { sandbox, env, relato };
}

describe("hand-over and reception", { skip: missing.length ? `needs ${missing.join(", ")}` : false }, () => {
  let sender, receiver, app, driver, caseId, otherCaseId, sessionId, downloads, tone, zip, manifestSha, receivedCaseId;

  const js = (script, ...args) => driver.executeScript(script, ...args);
  const fill = (testid, text) =>
    fresh(async () => {
      const e = await driver.findElement(byId(testid));
      await e.clear();
      await e.sendKeys(text);
    });
  const click = (testid) => fresh(async () => (await waitVisible(driver, testid)).click());
  const unlock = async (name) => {
    await waitVisible(driver, "unlock-form", 60_000);
    await fill("name-input", name);
    await fill("passphrase-input", PASS);
    await click("unlock-submit");
    // The receiving vault has no case yet: its list is empty.
    await waitVisible(driver, "signed-in", 60_000);
  };
  const lock = async () => {
    await click("lock");
    await driver.wait(async () => (await driver.findElements(byId("signed-in"))).length === 0, 30_000, "the vault did not lock");
  };
  const custody = (vault, id) => vault.relato(["log", "show", "--case", id]).split("\n").map((l) => JSON.parse(l));

  before(async () => {
    sender = vaultIn("handover", "Ana", "ODI Oaxaca");
    downloads = path.join(sender.sandbox.home, "Descargas");
    fs.mkdirSync(downloads);
    fs.writeFileSync(path.join(sender.sandbox.env.XDG_CONFIG_HOME, "user-dirs.dirs"), 'XDG_DOWNLOAD_DIR="$HOME/Descargas"\n');
    tone = path.join(sender.sandbox.root, "entrevista.wav");
    const sox = spawnSync("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", tone, "synth", "3", "sine", "440", "gain", "-12"]);
    assert.equal(sox.status, 0, String(sox.stderr));
    caseId = sender.relato(["case", "new", "--ref", "EXP-2026-031"]);
    otherCaseId = sender.relato(["case", "new", "--ref", "EXP-2026-099"]);
    sessionId = sender.relato(["session", "new", "--case", caseId, "--child-code", "NNA-031", "--age", "9", "--language", "es"]);
    sender.relato(["import", "--session", sessionId, tone]);

    app = await launchApp(sender.env);
    driver = app.driver;
    await unlock("Ana");
  });
  after(async () => {
    await app?.stop();
    sender?.sandbox.cleanup();
    receiver?.sandbox.cleanup();
  });

  it("exports the case's zip from the export screen", async () => {
    await js(`window.location.hash = "#/sessions/${sessionId}/export";`);
    await waitVisible(driver, "export-form");
    await fill("purpose-input", "Entrega a la Fiscalía para la carpeta de investigación");
    await click("export-submit");
    const handed = await waitVisible(driver, "export-handed-hash", 120_000);
    const files = await fs.promises.readdir(downloads);
    assert.equal(files.length, 1, `one file in the downloads folder: ${files}`);
    zip = path.join(downloads, files[0]);
    assert.equal(await handed.getAttribute("data-sha256"), sha256(zip));
  });

  it("offers the hand-over form on the case screen and asks for the other person", async () => {
    await js(`window.location.hash = "#/cases/${caseId}";`);
    await click("case-handover");
    await waitVisible(driver, "handover-form");
    assert.equal(await textOf(driver, "handover-title"), es["handover.heading"]);
    assert.equal(await (await driver.findElement(byId("handover-kind-delivery"))).isSelected(), true, "a delivery by default");
    const label = () => fresh(async () => (await driver.findElement(By.css('label[for="f-counterpart"]'))).getText());
    assert.equal(await label(), es["handover.counterpart_delivery"]);
    await click("handover-kind-receipt");
    assert.equal(await label(), es["handover.counterpart_receipt"], "the label follows the kind");
    await click("handover-kind-delivery");

    await click("handover-submit");
    const required = await waitVisible(driver, "counterpart-error");
    assert.equal(await required.getText(), es["form.required"]);

    // The medium offers suggestions and takes any text.
    const options = await driver.findElements(By.css("#handover-media option"));
    assert.ok(options.length >= 4, "medium suggestions");
    assert.equal(await options[0].getAttribute("value"), es["handover.medium.usb"]);

    await fill("counterpart-input", "Lic. Marta Ruiz Pérez, agente del Ministerio Público");
    await fill("institution-input", "Fiscalía Especializada en Delitos Sexuales");
    await fill("purpose-input", "Integración a la carpeta de investigación");
    await fill("medium-input", es["handover.medium.usb"]);
    await fill("seal-input", "FGE-OAX-2026-0142");
    await fill("bundle_path-input", zip);
    await js(`document.querySelector('[data-field="counterpart"]').scrollIntoView({ block: "start" });`);
    await screenshot(driver, "54-handover-form-es");
  });

  it("verifies the zip and logs the delivery, naming its SHA-256", async () => {
    await click("handover-submit");
    await waitVisible(driver, "handover-result", 120_000);
    assert.equal(await textOf(driver, "handover-done-title"), es["handover.done_delivery"]);
    assert.equal(await textOf(driver, "handover-event"), "ENTREGA");
    assert.equal(await textOf(driver, "handover-counterpart"), "Lic. Marta Ruiz Pérez, agente del Ministerio Público");
    const file = await driver.findElement(byId("handover-file-hash"));
    assert.equal(await file.getAttribute("data-sha256"), sha256(zip), "the zip's own SHA-256");
    manifestSha = await (await driver.findElement(byId("handover-manifest-hash"))).getAttribute("data-sha256");
    assert.match(manifestSha, /^[0-9a-f]{64}$/);
    await js("window.scrollTo(0, 0);");
    await screenshot(driver, "55-handover-done-es");
  });

  it("refuses the same zip for another case, next to its path, and logs nothing", async () => {
    await js(`window.location.hash = "#/cases/${otherCaseId}/handover";`);
    await waitVisible(driver, "handover-form");
    await fill("counterpart-input", "Lic. Marta Ruiz Pérez");
    await fill("bundle_path-input", zip);
    await click("handover-submit");
    const refused = await waitVisible(driver, "bundle_path-error", 60_000);
    assert.equal(await refused.getAttribute("data-error-code"), "app.bundle_other_case");
    assert.equal(await refused.getText(), format(errorsEs["app.bundle_other_case"], { path: zip, reference: "EXP-2026-031" }));
    assert.equal((await driver.findElements(byId("handover-result"))).length, 0);
  });

  let shownHead;
  it("shows the case's whole chain of custody, verified, from the case screen", async () => {
    await js(`window.location.hash = "#/cases/${caseId}";`);
    await click("case-custody");
    await waitVisible(driver, "custody-check", 30_000);
    assert.equal(await attrOf(driver, "custody-check", "data-verified"), "true", await textOf(driver, "custody-check"));
    assert.equal(await textOf(driver, "custody-title"), format(es["case_custody.heading"], { reference: "EXP-2026-031" }));
    const events = await js(`return [...document.querySelectorAll('[data-testid="custody-row"]')].map((r) => r.dataset.event);`);
    for (const e of ["CASE_CREATED", "SESSION_CREATED", "IMPORT_START", "HASH_RECORDED", "EXPORT_CREATED", "ENTREGA"]) assert.ok(events.includes(e), `${e} in ${events}`);
    const verified = format(es["case_custody.verified"], { n: events.length });
    assert.ok((await textOf(driver, "custody-check")).includes(verified), `the check counts every line: ${verified}`);
    // The export's line gives the custody.head the zip carries.
    const inZip = spawnSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [name] = [n for n in z.namelist() if n.split('/')[-2:] == ['custody', 'custody.head']]; print(z.read(name).decode().split()[1])", zip], { encoding: "utf8" });
    assert.equal(inZip.status, 0, inZip.stderr);
    const bundleHead = await js(`return document.querySelector('[data-testid="custody-row"][data-event="EXPORT_CREATED"] [data-testid="custody-bundle-head"]')?.dataset.sha256;`);
    assert.equal(bundleHead, inZip.stdout.trim(), "the export line's head is the bundle's custody.head");
    const entrega = await js(`return document.querySelector('[data-testid="custody-row"][data-event="ENTREGA"]')?.innerText ?? "";`);
    assert.match(entrega, /FGE-OAX-2026-0142/, "the seal is on the delivery's line");
    assert.equal(await textOf(driver, "custody-count"), format(es["custody.count"], { n: events.length }));
    await screenshot(driver, "58-case-custody-es");
    // The filter shows one kind of line.
    await driver.findElement(By.css('[data-testid="custody-filter"] option[value="ENTREGA"]')).click();
    await driver.wait(async () => (await driver.findElements(byId("custody-row"))).length === 1, 5000, "the filter kept other lines");
    shownHead = await attrOf(driver, "custody-head", "data-sha256");
    assert.match(shownHead, /^[0-9a-f]{64}$/);
  });

  it("has the delivery in the case's custody log, as the CLI reads it", async () => {
    await lock();
    // The head the case screen showed is the one the CLI's check ends on.
    const [checked] = JSON.parse(sender.relato(["--json", "log", "verify", "--case", caseId]));
    assert.deepEqual([checked.ok, checked.head], [true, shownHead]);
    const lines = custody(sender, caseId);
    const delivered = lines.filter((l) => l.event === "ENTREGA");
    assert.equal(delivered.length, 1);
    const d = delivered[0];
    assert.equal(d.details.to, "Lic. Marta Ruiz Pérez, agente del Ministerio Público");
    assert.equal(d.details.institution, "Fiscalía Especializada en Delitos Sexuales");
    assert.equal(d.details.medium, es["handover.medium.usb"]);
    assert.equal(d.details.seal, "FGE-OAX-2026-0142");
    assert.equal(d.purpose, "Integración a la carpeta de investigación");
    assert.equal(d.details.file_sha256, sha256(zip), "the line names the zip's SHA-256");
    assert.deepEqual(d.objects.map((o) => [o.kind, o.sha256]), [["bundle", manifestSha]]);
    assert.equal(custody(sender, otherCaseId).filter((l) => l.event === "ENTREGA").length, 0, "the refused one left no line");
  });

  it("receives the zip into a second vault through the Recibir paquete screen", async () => {
    await app.stop();
    app = undefined;
    receiver = vaultIn("reception", "Berta", "Fiscalía de Oaxaca");
    app = await launchApp(receiver.env);
    driver = app.driver;
    await unlock("Berta");

    await click("nav-receive");
    await waitVisible(driver, "receive-form");
    assert.equal(await textOf(driver, "receive-title"), es["receive.heading"]);
    const choice = await driver.findElement(byId("into_case-input"));
    assert.equal(await choice.getAttribute("value"), "", "a new case by default");

    await click("receive-submit");
    assert.equal(await (await waitVisible(driver, "bundle_path-error")).getText(), es["form.required"]);
    assert.equal(await (await waitVisible(driver, "counterpart-error")).getText(), es["form.required"]);

    await fill("bundle_path-input", zip);
    await fill("counterpart-input", "Ana");
    await fill("institution-input", "ODI Oaxaca");
    await fill("medium-input", es["handover.medium.usb"]);
    await fill("seal-input", "FGE-OAX-2026-0142");
    await click("receive-submit");
    await waitVisible(driver, "receive-result", 120_000);

    assert.equal(await textOf(driver, "receive-case"), format(es["receive.into_new"], { reference: "EXP-2026-031" }));
    assert.equal(await (await driver.findElement(byId("receive-manifest-hash"))).getAttribute("data-sha256"), manifestSha);
    assert.equal(await (await driver.findElement(byId("receive-file-hash"))).getAttribute("data-sha256"), sha256(zip));
    const originals = await driver.findElements(byId("receive-original-sha256"));
    assert.equal(originals.length, 1);
    assert.equal(await originals[0].getText(), sha256(tone), "the original, byte for byte");
    assert.equal(await textOf(driver, "receive-session-code"), "NNA-031");
    assert.equal(await textOf(driver, "receive-taken"), format(es["receive.taken"], { transcripts: 0, annotations: 0 }));
    assert.equal((await driver.findElements(byId("receive-not-taken"))).length, 0, "every annotation was taken");
    await js("window.scrollTo(0, 0);");
    await screenshot(driver, "56-receive-done-es");

    const href = await (await driver.findElement(byId("receive-open-case"))).getAttribute("href");
    receivedCaseId = decodeURIComponent(href.split("#/cases/")[1]);
    await click("receive-open-case");
    await waitVisible(driver, "case-screen");
    assert.equal(await textOf(driver, "case-title"), format(es["case.heading"], { reference: "EXP-2026-031" }));
    const codes = await driver.wait(async () => {
      const found = await driver.findElements(byId("session-code"));
      return found.length ? Promise.all(found.map((e) => e.getText())) : null;
    }, 20_000);
    assert.deepEqual(codes, ["NNA-031"]);
  });

  it("logs the reception in the second vault, naming the bundle and its file", async () => {
    await lock();
    const received = custody(receiver, receivedCaseId).filter((l) => l.event === "RECEPCION");
    assert.equal(received.length, 1);
    const r = received[0];
    assert.equal(r.details.from, "Ana");
    assert.equal(r.details.institution, "ODI Oaxaca");
    assert.equal(r.details.file_sha256, sha256(zip));
    assert.equal(r.objects[0].kind, "bundle");
    assert.equal(r.objects[0].sha256, manifestSha);
    assert.deepEqual(r.objects.filter((o) => o.kind === "original").map((o) => o.sha256), [sha256(tone)]);
  });

  it("turns the case's custody screen red, naming the line, once a line is taken out of the vault by hand", async () => {
    await unlock("Berta");
    await js(`window.location.hash = "#/cases/${receivedCaseId}/custody";`);
    await waitVisible(driver, "custody-check", 30_000);
    assert.equal(await attrOf(driver, "custody-check", "data-verified"), "true");
    const before = (await driver.findElements(byId("custody-row"))).length;
    // What a hand edit of the vault file would do (as tests/cli do it).
    const edit = spawnSync("python3", ["-c", `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER IF EXISTS custody_append_only_d;")
db.execute("DELETE FROM custody WHERE chain = ? AND seq = 2", (sys.argv[2],))
db.commit()`, receiver.env.RELATO_VAULT, receivedCaseId], { encoding: "utf8" });
    assert.equal(edit.status, 0, edit.stderr);
    await click("custody-refresh");
    await driver.wait(async () => (await attrOf(driver, "custody-check", "data-verified")) === "false", 10_000, "the screen still shows the chain intact");
    assert.equal(await attrOf(driver, "custody-check", "data-error-code"), "custody.sequence");
    assert.equal(
      await textOf(driver, "custody-check-error"),
      format(errorsEs["custody.sequence"], { chain: receivedCaseId, line: 2, found: 3, expected: 2 }),
    );
    assert.equal((await driver.findElements(byId("custody-row"))).length, before - 1, "what remains is still listed");
    await js("window.scrollTo(0, 0);");
    await screenshot(driver, "59-case-custody-broken-es");
  });
});
