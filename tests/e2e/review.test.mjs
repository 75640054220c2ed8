// The reviewer's path in the real app, with real audio out: a private
// PulseAudio server whose null sink receives what the player plays, and
// whose monitor we record to check that sound really came out. A session
// holds an imported espeak-ng interview; the reviewer plays and pauses it
// by key, types three segments with speakers, saves a revision, codes a
// region as "camera or recording device" with a note, accepts a prompt-type
// suggestion, sees the quality figures change, reopens the session and finds
// it all, and the custody panel lists the playback and the revisions.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { attrOf, By, byId, CLI, fresh, Key, launchApp, loadJson, makeSandbox, REPO, screenshot, textOf, until, waitVisible } from "./harness.mjs";

const es = loadJson("ui/src/locales/es-MX.json");
const PASS = "una frase de acceso larga";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Closing through the window manager's protocol needs python-xlib (Debian:
// python3-xlib, which a pyenv python3 on the PATH does not see).
const xlibPython = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import Xlib"]).status === 0);
const closeSkip = xlibPython ? false : "needs python3-xlib";
const missing = ["pulseaudio", "pactl", "parecord", "espeak-ng", "sox"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

describe("reviewing a session", { skip: missing.length ? `needs ${missing.join(", ")}` : false }, () => {
  let sandbox, app, driver, pulse, env, sessionId;

  const relato = (args) => {
    const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" }, timeout: 120_000 });
    assert.equal(r.status, 0, `relato ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout.trim();
  };
  /** Records what the player sends to the null sink for `ms` and returns its RMS. */
  const recordOutput = async (ms) => {
    const file = path.join(sandbox.root, `out-${Date.now()}.wav`);
    const rec = spawn("parecord", ["--device=vsink.monitor", "--file-format=wav", file], { env: { ...process.env, ...env }, stdio: "ignore" });
    await sleep(ms);
    rec.kill("SIGTERM");
    await new Promise((r) => rec.on("exit", r));
    const stat = spawnSync("sox", [file, "-n", "stat"], { encoding: "utf8" });
    return Number(/RMS\s+amplitude:\s+([0-9.]+)/.exec(stat.stderr)?.[1] ?? "NaN");
  };
  const js = (script, ...args) => driver.executeScript(script, ...args);
  const playState = async () => (await driver.findElement(byId("review-play-state"))).getAttribute("data-state");
  const position = async () => (await driver.findElement(byId("review-position"))).getText();
  const rows = () => driver.findElements(byId("segment-row"));
  const setValue = (el, value, event) =>
    js(`arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event(arguments[2], { bubbles: true }));`, el, value, event);
  const tab = (id) =>
    fresh(async () => {
      const t = await driver.findElement(byId(id));
      await js("arguments[0].scrollIntoView({ block: 'nearest', inline: 'nearest' });", t);
      await t.click();
    });
  const count = async (id) => Number(await textOf(driver, id));

  before(async () => {
    sandbox = makeSandbox("review");
    const runtime = path.join(sandbox.root, "runtime");
    fs.mkdirSync(runtime, { mode: 0o700 });
    const passFile = path.join(sandbox.root, "ana.pass");
    fs.writeFileSync(passFile, `${PASS}\n`);
    env = {
      ...sandbox.env,
      XDG_RUNTIME_DIR: runtime,
      RELATO_VAULT: path.join(sandbox.home, "vault.relato"),
      RELATO_USER: "Ana",
      RELATO_PASSPHRASE_FILE: passFile,
    };
    pulse = spawn(
      "pulseaudio",
      ["--daemonize=no", "--exit-idle-time=-1", "-n", "--load=module-native-protocol-unix auth-anonymous=1", "--load=module-null-sink sink_name=vsink"],
      { env: { ...process.env, ...env }, stdio: "ignore" },
    );
    for (let i = 0; i < 100 && spawnSync("pactl", ["info"], { env: { ...process.env, ...env } }).status !== 0; i++) await sleep(100);
    assert.equal(spawnSync("pactl", ["set-default-sink", "vsink"], { env: { ...process.env, ...env } }).status, 0);

    // An interview of about ten seconds: prompt, the child's account, a question.
    const interview = path.join(sandbox.root, "entrevista.wav");
    const text =
      "Cuéntame todo lo que pasó ese día, desde el principio. Había una cámara en la repisa y una luz roja que parpadeaba. ¿Era de día o de noche?";
    assert.equal(spawnSync("espeak-ng", ["-v", "es-419", "-s", "150", "-w", interview, text]).status, 0);

    relato(["init", "--org", "ODI Oaxaca", "--admin", "Ana", "--recovery-out", path.join(sandbox.root, "recovery.txt")]);
    const caseId = relato(["case", "new", "--ref", "EXP-REV-1"]);
    sessionId = relato(["session", "new", "--case", caseId, "--child-code", "NNA-305", "--age", "10", "--language", "es"]);
    relato(["import", "--session", sessionId, interview]);

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
    pulse?.kill("SIGTERM");
    sandbox?.cleanup();
  });

  it("opens the session's review with the waveform drawn", async () => {
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await (await waitVisible(driver, "session-review")).click();
    await waitVisible(driver, "review-screen", 30_000);
    const wave = await waitVisible(driver, "waveform");
    // The base canvas has ink: opaque pixels where the peaks are.
    const ink = () => js(`
      const c = arguments[0].querySelector("canvas.wave-base");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;`, wave);
    let inked = 0;
    await driver.wait(async () => (inked = await ink()) > 500, 5000).catch(() => {});
    assert.ok(inked > 500, `the waveform is drawn (${inked} pixels)`);
    assert.equal(await playState(), "paused");
    await screenshot(driver, "40-review-opened-es");
  });

  it("plays and pauses by key, and the sound reaches the output", async () => {
    await driver.actions().keyDown(Key.CONTROL).sendKeys(" ").keyUp(Key.CONTROL).perform();
    await driver.wait(async () => (await playState()) === "playing", 5000, "Ctrl+Space did not start playback");
    const rms = await recordOutput(1500);
    assert.ok(rms > 0.01, `the player's sound reached the output (RMS ${rms})`);
    // The playhead follows what the output took (slower on a starved machine).
    await driver.wait(async () => (await position()) !== "00:00:00", 10_000, "the playhead did not move while playing");
    await screenshot(driver, "41-review-playing-es");
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await driver.wait(async () => (await playState()) === "paused", 5000, "Esc did not pause");
    const held = await position();
    assert.notEqual(held, "00:00:00", "pausing kept the playhead where it was");
    await sleep(700);
    assert.equal(await position(), held, "paused means the position holds");
    // Once the sound server's short buffer has drained (later on a starved
    // machine), the output stays silent.
    let silent = NaN;
    for (let attempt = 0; attempt < 5 && !(silent < 0.001); attempt++) silent = await recordOutput(800);
    assert.ok(silent < 0.001, `nothing plays while paused (RMS ${silent})`);
  });

  it("types three segments with speakers and saves a revision", async () => {
    const segments = [
      ["00:00:00.000", "00:00:03.000", "interviewer", "Cuéntame todo lo que pasó ese día, desde el principio."],
      ["00:00:03.000", "00:00:07.000", "child", "Había una cámara en la repisa y una luz roja que parpadeaba."],
      ["00:00:07.000", "00:00:09.000", "interviewer", "¿Era de día o de noche?"],
    ];
    for (const [i, [start, end, speaker, text]] of segments.entries()) {
      await driver.findElement(byId("add-segment")).click();
      await driver.wait(async () => (await rows()).length === i + 1, 5000, `segment ${i + 1} was not added`);
      // The new segment's text has the focus; its row is the one to fill.
      const row = await driver.switchTo().activeElement().findElement(By.xpath("ancestor::*[@data-testid='segment-row']"));
      const area = await row.findElement(byId("segment-text"));
      await area.sendKeys(text);
      for (const [id, value] of [["segment-start", start], ["segment-end", end]]) {
        await setValue(await row.findElement(byId(id)), value, "change");
      }
      await setValue(await row.findElement(byId("segment-speaker")), speaker, "change");
      // Playback keys work while typing: play and pause from the text.
      if (i === 1) {
        await area.sendKeys(Key.ESCAPE);
        await driver.wait(async () => (await playState()) === "playing", 5000, "Esc in the text did not play");
        await area.sendKeys(Key.ESCAPE);
        await driver.wait(async () => (await playState()) === "paused", 5000, "Esc in the text did not pause");
      }
    }
    const texts = await js(`return [...document.querySelectorAll('[data-testid="segment-text"]')].map((t) => t.value);`);
    assert.deepEqual(texts, segments.map((s) => s[3]), "each text in its own segment, in time order");
    const speakers = [];
    for (const row of await rows()) speakers.push(await (await row.findElement(byId("segment-speaker"))).getAttribute("value"));
    assert.deepEqual(speakers, ["interviewer", "child", "interviewer"]);
    await driver.actions().keyDown(Key.CONTROL).sendKeys("s").keyUp(Key.CONTROL).perform();
    await driver.wait(async () => /\b1\b/.test(await textOf(driver, "transcript-rev")), 10_000, "no revision 1");
    await screenshot(driver, "42-review-transcript-es");
  });

  let before_;
  it("codes a region as camera or recording device with a note", async () => {
    await tab("tab-quality");
    await waitVisible(driver, "quality-prompt-option_posing");
    before_ = { optionPosing: await count("quality-prompt-option_posing"), share: await textOf(driver, "quality-invitation-share") };
    assert.equal(before_.optionPosing, 0);

    // Select words of the child's segment: the selection becomes its span.
    const child = (await rows())[1];
    const area = await child.findElement(byId("segment-text"));
    await js(`const t = arguments[0]; t.focus(); t.setSelectionRange(10, 16); t.dispatchEvent(new Event("select", { bubbles: true })); t.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));`, area);
    await tab("tab-annotations");
    await setValue(await waitVisible(driver, "annotation-tier"), "indicators", "change");
    await setValue(await driver.findElement(byId("annotation-code")), "camera_or_recording_device", "change");
    await (await driver.findElement(byId("annotation-note"))).sendKeys("Cámara en la repisa, con luz roja.");
    await (await driver.findElement(byId("annotation-save"))).click();
    const row = await driver.wait(until.elementLocated(By.css('[data-testid="annotation-row"][data-code="camera_or_recording_device"]')), 10_000);
    const note = await row.findElement(byId("annotation-note-text"));
    assert.equal(await note.getText(), "Cámara en la repisa, con luz roja.", "the note was saved with the code");
    await screenshot(driver, "43-review-annotation-es");
  });

  it("accepts a prompt-type suggestion and the panel's figures change", async () => {
    await tab("tab-suggestions");
    const suggestion = await driver.wait(until.elementLocated(By.css('[data-testid="suggestion-row"][data-code="option_posing"]')), 10_000);
    await (await suggestion.findElement(byId("suggestion-accept"))).click();
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="annotation-row"][data-code="option_posing"], [data-testid="suggestion-outcome"]'))).length > 0, 10_000);
    await screenshot(driver, "44-review-suggestions-es");
    await tab("tab-quality");
    await driver.wait(async () => (await count("quality-prompt-option_posing")) === 1, 10_000, "the option-posing count did not change");
    const first = await textOf(driver, "quality-first-leading");
    assert.match(first, /día o de noche/, first);
    const childMs = Number(await fresh(async () => (await driver.findElement(byId("quality-child-ms"))).getAttribute("data-ms")));
    assert.equal(childMs, 4000, "the child's talk time is the child's segment");
    await screenshot(driver, "45-review-quality-es");
  });

  it("finds it all after reopening, and custody lists the playback and revisions", async () => {
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await (await waitVisible(driver, "session-review")).click();
    await waitVisible(driver, "review-screen", 30_000);
    await driver.wait(async () => (await rows()).length === 3, 10_000, "the three segments are back");
    const texts = await js(`return [...document.querySelectorAll('[data-testid="segment-text"]')].map((t) => t.value);`);
    assert.match(texts[1], /cámara en la repisa/, `${texts}`);
    await tab("tab-annotations");
    await driver.wait(until.elementLocated(By.css('[data-testid="annotation-row"][data-code="camera_or_recording_device"]')), 10_000);
    await driver.wait(until.elementLocated(By.css('[data-testid="annotation-row"][data-code="option_posing"]')), 10_000);

    await tab("tab-custody");
    const events = async () => {
      const out = [];
      for (const r of await driver.findElements(byId("custody-row"))) out.push(await r.getAttribute("data-event"));
      return out;
    };
    await driver.wait(async () => (await events()).includes("PLAYBACK"), 10_000, "no PLAYBACK line");
    const seen = await events();
    for (const e of ["IMPORT_START", "TRANSCRIPT_SAVED", "ANNOTATION_SAVED", "PLAYBACK"]) assert.ok(seen.includes(e), `${e} in ${seen}`);
    assert.equal(seen.filter((e) => e === "PLAYBACK").length, 1, "one line for the listening, not one per second");
    await screenshot(driver, "46-review-custody-es");
    assert.ok(es["review.add_segment"], "the screen's texts are translated");

    // The panel leads to the case's whole chain, checked.
    await fresh(async () => (await waitVisible(driver, "custody-whole-case")).click());
    await waitVisible(driver, "custody-check", 30_000);
    assert.equal(await attrOf(driver, "custody-check", "data-verified"), "true", await textOf(driver, "custody-check"));
    const whole = await js(`return [...document.querySelectorAll('[data-testid="custody-row"]')].map((r) => r.dataset.event);`);
    for (const e of ["CASE_CREATED", "SESSION_CREATED", "PLAYBACK", "TRANSCRIPT_SAVED"]) assert.ok(whole.includes(e), `${e} in ${whole}`);
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await (await waitVisible(driver, "session-review")).click();
    await waitVisible(driver, "review-screen", 30_000);
    await driver.wait(async () => (await rows()).length === 3, 10_000, "the review did not open again");
  });

  it("locking logs the listening once and keeps unsaved typing as a revision", async () => {
    await driver.actions().keyDown(Key.CONTROL).sendKeys(" ").keyUp(Key.CONTROL).perform();
    await driver.wait(async () => (await playState()) === "playing", 5000);
    // Something has been heard (the playhead moved past where it started).
    const from = await position();
    await driver.wait(async () => (await position()) !== from, 10_000, "the playhead did not move while playing");
    // Found afresh if the screen was redrawn between finding and typing
    // (seen once in CI as a stale element; the typing itself is what counts).
    await fresh(async () => (await (await rows())[2].findElement(byId("segment-text"))).sendKeys(" ¿Te acuerdas?"));
    await driver.actions().keyDown(Key.CONTROL).sendKeys("l").keyUp(Key.CONTROL).perform();
    await waitVisible(driver, "unlock-form", 30_000);
    await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
    await driver.findElement(byId("unlock-submit")).click();
    // Unlocking returns to where the reviewer was, or to the cases.
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="review-screen"], [data-testid="case-list"]'))).length > 0, 60_000);
    await js(`window.location.hash = "#/sessions/${sessionId}";`);
    await (await waitVisible(driver, "session-review")).click();
    await waitVisible(driver, "review-screen", 30_000);
    await driver.wait(async () => /\b2\b/.test(await textOf(driver, "transcript-rev")), 10_000, "the typing was not saved as revision 2");
    const texts = await js(`return [...document.querySelectorAll('[data-testid="segment-text"]')].map((t) => t.value);`);
    assert.equal(texts[2], "¿Era de día o de noche? ¿Te acuerdas?");
    await tab("tab-custody");
    let playbacks = [];
    const listened = async () => {
      playbacks = await js(`return [...document.querySelectorAll('[data-testid="custody-row"][data-event="PLAYBACK"]')].map((r) => r.innerText);`);
      return playbacks.length === 2;
    };
    await driver.wait(listened, 10_000).catch((e) => {
      throw new Error(`the lock did not log the listening exactly once: ${JSON.stringify(playbacks)} (${e.message})`);
    });
  });

  it("closing the window with unsaved typing asks first, and saving closes it with a revision", { skip: closeSkip }, async () => {
    await fresh(async () => (await (await rows())[0].findElement(byId("segment-text"))).sendKeys(" Despacio."));
    await driver.wait(async () => (await js(`return document.querySelector('[data-dirty="true"]') !== null;`)) === true, 5000, "the typing did not mark the transcript unsaved");
    // The unsaved state has crossed to the app: a close now asks.
    await driver.wait(async () => (await js(`return document.documentElement.dataset.closeGuard;`)) === "unsaved", 10_000, "the app was not told of the unsaved typing");
    // What a window manager's close button sends, to this app's window.
    const pid = app.appPid();
    assert.ok(pid, "the app's process was not found");
    const sent = spawnSync(xlibPython, [path.join(REPO, "tests", "e2e", "wm-close.py"), String(pid)], { encoding: "utf8" });
    assert.equal(sent.status, 0, sent.stderr);
    const save = await waitVisible(driver, "review-leave-save", 10_000).catch(async (e) => {
      // What was there instead, for whoever reads a failure.
      const alive = fs.existsSync(`/proc/${pid}`);
      const state = alive ? await js(`return { hash: location.hash, guard: document.documentElement.dataset.closeGuard, dirty: document.querySelector('[data-dirty]')?.dataset.dirty, dialogs: [...document.querySelectorAll("dialog[open], [role=dialog]")].map((d) => d.dataset.testid ?? d.className) };`).catch((j) => String(j)) : "app exited";
      throw new Error(`${e.message}; ${sent.stdout.trim()}; ${JSON.stringify(state)}\n${app.log.join("").slice(-2000)}`);
    });
    await screenshot(driver, "47-review-close-unsaved-es");
    await save.click();
    // The window closes once the revision is saved and the app lets go of
    // the vault: until then the CLI finds it in use.
    let shown;
    for (const until_ = Date.now() + 30_000; Date.now() < until_; await sleep(300)) {
      shown = spawnSync(CLI, ["transcript", "show", "--session", sessionId], { encoding: "utf8", env: { ...process.env, ...env } });
      if (shown.status === 0) break;
    }
    assert.equal(shown.status, 0, `the app did not close: ${shown.stderr}`);
    assert.match(shown.stdout, /Despacio\./, "the typing was saved before the window closed");
  });
});

