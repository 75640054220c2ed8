// Measures the review workspace (not a test: prints numbers for
// docs/PERFORMANCE.md) on a two-hour session (48 kHz mono, imported: 720,000
// waveform peaks) with a 2,000-segment transcript:
//
//   open         review route entered → waveform drawn (in the page:
//                performance.now() from the hash change to the first frame
//                whose canvas has ink), 5 runs.
//   seek         F2 (skip 5 s) pressed → the position on screen changed,
//                through the backend's player and its status event, 20 runs;
//                beside the IPC floor: a `player_status` round trip.
//   keystroke    a key typed into a segment in the middle of the 2,000 →
//                the frame after the edit was handled (keydown timestamp to
//                the second requestAnimationFrame), 30 keys; beside the same
//                measure in a bare textarea added to the same page; and,
//                split, the editor's handlers and the layout they cause
//                (synthetic input events, layout forced).
//   panel        `quality_report` for the 2,000-segment document from the
//                page (serialisation, IPC and the computation), 10 runs;
//                the computation alone is in `cargo bench -p relato-review`.
//
// Run by scripts/measure-review (which builds, starts Xvfb and PulseAudio).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { By, CLI, launchApp, makeSandbox, until } from "./harness.mjs";

const PASS = "una frase de acceso larga";
const byId = (id) => By.css(`[data-testid="${id}"]`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms [${Math.min(...xs).toFixed(1)} … ${Math.max(...xs).toFixed(1)}]`;

const sandbox = makeSandbox("perf-review");
const passFile = path.join(sandbox.root, "pass");
fs.writeFileSync(passFile, `${PASS}\n`);
const env = { ...sandbox.env, RELATO_VAULT: path.join(sandbox.home, "vault.relato"), RELATO_USER: "Ana", RELATO_PASSPHRASE_FILE: passFile };
const relato = (args) => {
  const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`relato ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
};

// Two hours of speech-like noise bursts, and 2,000 cues over them.
const wav = path.join(sandbox.root, "two-hours.wav");
const made = spawnSync("sox", ["-n", "-r", "48000", "-c", "1", "-b", "16", wav, "synth", "7200", "pinknoise", "tremolo", "0.4", "90", "gain", "-9"]);
if (made.status !== 0) throw new Error(`sox: ${made.stderr}`);
const vtt = path.join(sandbox.root, "t.vtt");
const clock = (ms) => new Date(ms).toISOString().slice(11, 23);
const lines = ["WEBVTT", ""];
for (let i = 0; i < 2000; i++) {
  const start = i * 3600;
  const who = i % 2 === 0 ? "Entrevistadora" : "Niña";
  const text = i % 2 === 0 ? "¿Y luego qué pasó? Cuéntame más sobre eso." : "Fuimos a la casa de mi tía y había una cámara en la repisa, luego nos fuimos.";
  lines.push(`${clock(start)} --> ${clock(start + 3400)}`, `<v ${who}>${text}`, "");
}
fs.writeFileSync(vtt, lines.join("\n"));
relato(["init", "--org", "Bench", "--admin", "Ana", "--recovery-out", path.join(sandbox.root, "rec.txt")]);
const caseId = relato(["case", "new", "--ref", "B-1"]);
const sessionId = relato(["session", "new", "--case", caseId, "--child-code", "N-1", "--age", "9", "--language", "es"]);
let t0 = Date.now();
relato(["import", "--session", sessionId, wav]);
console.log(`(import of the 2-hour WAV, 691 MB, through the CLI: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
fs.rmSync(wav);
relato(["transcript", "import", "--session", sessionId, vtt]);

const app = await launchApp(env);
const driver = app.driver;
try {
  await driver.wait(until.elementLocated(byId("unlock-form")), 60_000);
  await driver.findElement(byId("name-input")).sendKeys("Ana");
  await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
  await driver.findElement(byId("unlock-submit")).click();
  await driver.wait(until.elementLocated(byId("case-list")), 60_000);

  // --- open → waveform drawn --------------------------------------------
  const opens = [];
  for (let run = 0; run < 5; run++) {
    await driver.executeScript(`window.location.hash = "#/sessions/${sessionId}";`);
    await driver.wait(until.elementLocated(byId("session-review")), 30_000);
    const ms = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const t = performance.now();
      window.location.hash = "#/sessions/${sessionId}/review";
      const inked = () => {
        const c = document.querySelector('[data-testid="waveform"] canvas.wave-base');
        if (!c || !c.width) return false;
        const d = c.getContext("2d").getImageData(0, Math.floor(c.height / 2) - 2, c.width, 4).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
        return false;
      };
      const poll = () => (inked() ? done(performance.now() - t) : requestAnimationFrame(poll));
      requestAnimationFrame(poll);`);
    opens.push(ms);
    console.log("PROF", JSON.stringify(await driver.executeScript("return window.__prof")));
    await driver.wait(until.elementLocated(byId("segment-row")), 30_000);
  }
  console.log(`open a 2-hour session (720,000 peaks, 2,000 segments) → waveform drawn: ${fmt(opens)}`);
  await driver.wait(async () => (await driver.findElements(byId("segment-row"))).length === 2000, 30_000);

  const loads = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const invoke = window.__TAURI_INTERNALS__.invoke;
    (async () => { const out = []; for (let i = 0; i < 5; i++) { const t = performance.now(); await invoke("review_session", { sessionId: "${sessionId}" }); out.push(performance.now() - t); } done(out); })();`);
  console.log(`  of which the review_session command (vault reads, 1.4 MB of peaks as base64, 2,000 segments): ${fmt(loads)}`);

  // --- seek ---------------------------------------------------------------
  await driver.wait(until.elementLocated(By.css('[data-testid="review-play-state"][data-state="paused"]')), 30_000);
  await driver.wait(async () => (await driver.findElement(byId("review-duration")).getText()).startsWith("02:00"), 30_000);
  const seeks = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const pos = document.querySelector('[data-testid="review-position"]');
    const out = [];
    const once = () => new Promise((resolve) => {
      const before = pos.textContent;
      const t = performance.now();
      // A seek that never shows counts as a miss (NaN), not a hang.
      const miss = setTimeout(() => { mo.disconnect(); resolve(NaN); }, 3000);
      const mo = new MutationObserver(() => {
        if (pos.textContent !== before) { clearTimeout(miss); mo.disconnect(); resolve(performance.now() - t); }
      });
      mo.observe(pos, { childList: true, characterData: true, subtree: true });
      document.activeElement?.blur?.();
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "F2", code: "F2", bubbles: true }));
    });
    (async () => { for (let i = 0; i < 20; i++) { out.push(await once()); await new Promise((r) => setTimeout(r, 100)); } done(out); })();`);
  const floor = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const invoke = window.__TAURI_INTERNALS__.invoke;
    (async () => { const out = []; for (let i = 0; i < 20; i++) { const t = performance.now(); await invoke("player_status"); out.push(performance.now() - t); } done(out); })();`);
  const shown = seeks.filter(Number.isFinite);
  console.log(`seek (F2, skip 5 s) → position shown: ${fmt(shown)}; ${seeks.length - shown.length} of ${seeks.length} not shown within 3 s`);
  console.log(`  IPC floor, a player_status round trip: ${fmt(floor)}`);

  // --- keystroke → screen -------------------------------------------------
  // Listeners record each key's latency in the page; WebDriver types.
  const typeKeys = async (selector) => {
    await driver.executeScript(`
      const t = document.querySelector(arguments[0]);
      t.focus();
      t.setSelectionRange(t.value.length, t.value.length);
      const out = (window.__keys = []);
      let down = 0;
      t.addEventListener("keydown", (e) => { down = e.timeStamp; }, true);
      t.addEventListener("input", () => requestAnimationFrame(() => requestAnimationFrame(() => out.push(performance.now() - down))));`, selector);
    const target = await driver.findElement(By.css(selector));
    for (let i = 0; i < 30; i++) {
      await target.sendKeys("a");
      await new Promise((r) => setTimeout(r, 60));
    }
    await new Promise((r) => setTimeout(r, 200));
    return driver.executeScript("return window.__keys;");
  };
  await driver.executeScript(`document.querySelectorAll('[data-testid="segment-row"]')[1000].setAttribute("data-measure", "1");`);
  const editor = await typeKeys('[data-measure="1"] [data-testid="segment-text"]');
  await driver.executeScript(`const t = document.createElement("textarea"); t.id = "bare"; t.style.position = "fixed"; t.style.top = "0"; t.style.left = "0"; document.body.append(t);`);
  const bare = await typeKeys("#bare");
  console.log(`keystroke → frame drawn, segment 1,000 of 2,000: ${fmt(editor)}`);
  const split = await driver.executeScript(`
    const t = document.querySelector('[data-measure="1"] [data-testid="segment-text"]');
    const out = { handlers: [], layout: [] };
    for (let i = 0; i < 20; i++) {
      t.value += "b";
      const t0 = performance.now();
      t.dispatchEvent(new Event("input", { bubbles: true }));
      const t1 = performance.now();
      void document.body.offsetHeight;
      const t2 = performance.now();
      out.handlers.push(t1 - t0); out.layout.push(t2 - t1);
    }
    const k0 = performance.now();
    for (let i = 0; i < 20; i++) t.dispatchEvent(new KeyboardEvent("keydown", { key: "x", bubbles: true }));
    out.keydown = (performance.now() - k0) / 20;
    return out;`);
  console.log(`  of which the editor's input handlers ${fmt(split.handlers)}; the layout they cause ${fmt(split.layout)}; keydown handlers ${split.keydown.toFixed(2)} ms a key`);
  console.log(`  a bare textarea in the same page: ${fmt(bare)}`);

  // --- panel recomputation ------------------------------------------------
  const panel = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const invoke = window.__TAURI_INTERNALS__.invoke;
    (async () => {
      const data = await invoke("review_session", { sessionId: "${sessionId}" });
      const document = data.transcript.document;
      const out = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await invoke("quality_report", { sessionId: "${sessionId}", document });
        out.push(performance.now() - t);
      }
      done(out);
    })();`);
  console.log(`quality figures for the 2,000-segment transcript, from the page (IPC + computation): ${fmt(panel)}`);
} finally {
  await app.stop();
  sandbox.cleanup();
}
