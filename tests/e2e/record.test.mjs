// The interviewer's recording path in the real app, with real audio: a
// private PulseAudio server whose null sink's monitor is the default input,
// Spanish speech from espeak-ng played into it. Before recording the level
// shows signal and the 5-second test hears it; listening mode takes two
// markers and a phase change by key; stop seals; the summary's SHA-256 is
// the one `relato audio export` writes.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { By, byId, CLI, format, Key, launchApp, loadJson, makeSandbox, screenshot, textOf, until, waitVisible } from "./harness.mjs";

const ui = { es: loadJson("ui/src/locales/es-MX.json") };
const PASS = "una frase de acceso larga";

const missing = ["pulseaudio", "pactl", "paplay", "espeak-ng", "sox"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

describe("recording a session with real audio", { skip: missing.length ? `needs ${missing.join(", ")}` : false }, () => {
  let sandbox, app, driver, pulse, env, vault, sessionId, speech;

  const relato = (args) => {
    const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" }, timeout: 120_000 });
    assert.equal(r.status, 0, `relato ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout.trim();
  };
  const play = (file = speech) =>
    new Promise((resolve, reject) => {
      const p = spawn("paplay", ["--device=vsink", file], { env: { ...process.env, ...env }, stdio: "ignore" });
      p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay exited ${code}`))));
    });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    sandbox = makeSandbox("record");
    const runtime = path.join(sandbox.root, "runtime");
    fs.mkdirSync(runtime, { mode: 0o700 });
    vault = path.join(sandbox.home, "vault.relato");
    const passFile = path.join(sandbox.root, "ana.pass");
    fs.writeFileSync(passFile, `${PASS}\n`);
    env = { ...sandbox.env, XDG_RUNTIME_DIR: runtime, RELATO_VAULT: vault, RELATO_USER: "Ana", RELATO_PASSPHRASE_FILE: passFile };

    pulse = spawn(
      "pulseaudio",
      ["--daemonize=no", "--exit-idle-time=-1", "-n", "--load=module-native-protocol-unix auth-anonymous=1", "--load=module-null-sink sink_name=vsink"],
      { env: { ...process.env, ...env }, stdio: "ignore" },
    );
    for (let i = 0; i < 100 && spawnSync("pactl", ["info"], { env: { ...process.env, ...env } }).status !== 0; i++) await sleep(100);
    assert.equal(spawnSync("pactl", ["set-default-source", "vsink.monitor"], { env: { ...process.env, ...env } }).status, 0);

    speech = path.join(sandbox.root, "speech.wav");
    const text = "Hola. Me llamo Ana. Hoy vine a contar lo que pasó en la escuela. Había una cámara y muchas personas.";
    assert.equal(spawnSync("espeak-ng", ["-v", "es-419", "-w", speech, text]).status, 0);

    relato(["init", "--org", "ODI Oaxaca", "--admin", "Ana", "--recovery-out", path.join(sandbox.root, "recovery.txt")]);
    const caseId = relato(["case", "new", "--ref", "EXP-REC-1"]);
    sessionId = relato(["session", "new", "--case", caseId, "--child-code", "NNA-204", "--age", "9", "--language", "es"]);

    // A recording whose recorder was killed (kill -9): the app recovers it at unlock.
    const killed = spawn(CLI, ["record", "--session", sessionId, "--seconds", "60"], { env: { ...process.env, ...env }, stdio: "ignore" });
    await sleep(3500);
    killed.kill("SIGKILL");
    await new Promise((r) => killed.on("exit", r));

    app = await launchApp(env);
    driver = app.driver;
  });
  after(async () => {
    await app?.stop();
    pulse?.kill("SIGTERM");
    sandbox?.cleanup();
  });

  it("unlocks and opens the session's recording screen", async () => {
    await waitVisible(driver, "unlock-form", 60_000);
    await driver.findElement(byId("name-input")).sendKeys("Ana");
    await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
    await driver.findElement(byId("unlock-submit")).click();
    await waitVisible(driver, "case-list", 60_000);
    // The killed recording was sealed as recovered, and the notice says what was kept.
    const notice = await waitVisible(driver, "recovered-notice", 10_000);
    const text = await notice.getText();
    assert.match(text, /\b1\b/, text);
    assert.match(text, /00:0[1-3]/, `a few seconds were kept: ${text}`);
    await screenshot(driver, "29-recovered-notice-es");
    await driver.findElement(byId("recovered-dismiss")).click();
    await driver.wait(async () => (await driver.findElements(byId("recovered-notice"))).length === 0, 5000);
    await driver.executeScript(`window.location.hash = "#/sessions/${sessionId}/record";`);
    await waitVisible(driver, "before-recording", 30_000);
  });

  it("shows the input's level and hears speech in the 5-second test", async () => {
    const meter = await waitVisible(driver, "record-level");
    const speaking = play();
    await driver.wait(async () => Number(await meter.getAttribute("data-peak")) > -30, 15_000, "the level meter never showed the speech");
    await speaking;
    // A steady tone holds the bar still for the screenshot; the bar itself
    // moves, not only its data.
    const tone = path.join(sandbox.root, "tone.wav");
    assert.equal(spawnSync("sox", ["-n", "-r", "44100", "-c", "2", tone, "synth", "3", "sine", "440", "gain", "-12"]).status, 0);
    const toning = play(tone);
    const width = () =>
      driver.executeScript(
        "const r = document.querySelector('.level-rms'); return (100 * r.getBoundingClientRect().width) / r.parentElement.getBoundingClientRect().width;",
      );
    await driver.wait(async () => (await width()) > 50, 10_000, "the level bar never rose");
    await screenshot(driver, "30-before-recording-es");
    await toning;
    // From the backend's reading to the page: the IPC part of the meter's latency.
    const latency = await driver.executeScript(
      "const m = document.querySelector('[data-testid=record-level]').dataset; return [m.latencyN, m.latencyP50, m.latencyP95];",
    );
    console.log(`meter readings delivered: ${latency[0]}, delivery latency p50 ${latency[1]} ms, p95 ${latency[2]} ms`);
    assert.ok(Number(latency[0]) > 20, "the meter received readings");

    // "Look again" lists the inputs anew, keeps the chosen one, and the meter comes back.
    const select = await driver.findElement(byId("record-device"));
    const chosen = await select.getAttribute("value");
    await driver.findElement(byId("record-rescan")).click();
    const options = async () => (await driver.findElements(By.css('[data-testid="record-device"] option'))).length;
    await driver.wait(async () => (await textOf(driver, "record-rescanned")) === format(ui.es["record.rescanned"], { n: await options() }), 20_000, "the inputs were not listed again");
    assert.equal(await (await driver.findElement(byId("record-device"))).getAttribute("value"), chosen, "the chosen input stays chosen");
    // Quiet since the tone ended, so only new readings can show the speech.
    await driver.wait(async () => Number(await meter.getAttribute("data-peak")) < -40, 10_000, "the meter did not settle after the tone");
    const speakingAgain = play();
    await driver.wait(async () => Number(await meter.getAttribute("data-peak")) > -30, 15_000, "the meter did not come back after listing again");
    await speakingAgain;

    await driver.findElement(byId("record-test")).click();
    await sleep(300);
    await play();
    const verdict = await waitVisible(driver, "record-verdict", 20_000);
    assert.ok(["good", "quiet"].includes(await verdict.getAttribute("data-verdict")), `verdict ${await verdict.getAttribute("data-verdict")}`);
    const player = await driver.findElement(byId("record-playback"));
    assert.match(await player.getAttribute("src"), /^blob:/, "the test plays back from memory");
    await screenshot(driver, "31-input-test-es");
  });

  it("records in listening mode with two markers and a phase change, then seals", async () => {
    await driver.findElement(byId("record-start")).click();
    const view = await waitVisible(driver, "listening-mode", 30_000);
    const speaking = play();
    await sleep(1500);
    await driver.actions().sendKeys("m").perform();
    await sleep(1000);
    await driver.actions().sendKeys("2").perform();
    await driver.wait(async () => (await driver.findElement(byId("listening-phase")).getText()) === ui.es["phase.free_narrative"], 5000);
    await sleep(1500);
    await driver.actions().sendKeys("M").perform();
    await driver.wait(async () => (await view.getAttribute("data-markers")) === "2", 5000, "two markers were not counted");
    await screenshot(driver, "32-listening-mode-es");
    await speaking;
    await sleep(3000);

    await driver.findElement(byId("listening-stop")).click();
    await waitVisible(driver, "listening-stop-dialog");
    await screenshot(driver, "33-stop-confirm-es");
    await driver.findElement(byId("listening-stop-confirm")).click();
    const summary = await waitVisible(driver, "recording-summary", 60_000);
    assert.equal(await summary.getAttribute("data-state"), "sealed");
    await screenshot(driver, "34-recording-summary-es");

    const duration = (await driver.findElement(byId("summary-duration")).getText()).trim();
    assert.notEqual(duration, "00:00");
    const [mm, ss] = duration.split(":").map(Number);
    assert.ok(mm * 60 + ss >= 8, `about 10 s were recorded, the summary says ${duration}`);
    const marks = await driver.findElements(By.css('[data-testid="summary-marks"] li'));
    assert.equal(marks.length, 3, "two markers and one phase");
    const shown = await driver.findElement(By.css('[data-testid="summary-sha256"] code')).getAttribute("data-sha256");
    assert.match(shown, /^[0-9a-f]{64}$/);

    // The CLI needs the vault: lock the app, then export.
    await driver.actions().keyDown(Key.CONTROL).sendKeys("l").keyUp(Key.CONTROL).perform();
    await waitVisible(driver, "unlock-form", 30_000);
    const out = path.join(sandbox.root, "EV-001.wav");
    relato(["audio", "export", "--session", sessionId, "--out", out]);
    const exported = createHash("sha256").update(fs.readFileSync(out)).digest("hex");
    assert.equal(shown, exported, "the summary's hash is the exported original's");
    const stat = spawnSync("sox", [out, "-n", "stat"], { encoding: "utf8" });
    const rms = Number(/RMS\s+amplitude:\s+([0-9.]+)/.exec(stat.stderr)?.[1]);
    assert.ok(rms > 0.005, `the recording is not silent (RMS ${rms})`);
  });
});
