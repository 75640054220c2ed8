// Measures the desktop app (not a test: prints numbers for docs/PERFORMANCE.md).
//
//   cold start   launch → unlock screen interactive, 5 runs: wall time from
//                starting tauri-driver, and the page's own time from
//                navigation start (performance.now()), beside a blank page
//                loaded in the same web view (the engine's floor).
//   memory       resident memory of the app process and of WebKit's web
//                process: idle after unlock, then through a 30-minute
//                recording from the fake input at full speed
//                (RELATO_FAKE_INPUT=fast), sampled every recorded minute.
//   meter        from a tone starting in PulseAudio to the meter rising on
//                screen (a MutationObserver timestamps the change), 5 runs;
//                and the IPC part alone (the status's send time → drawn).
//
// Run by scripts/measure-app (which builds, starts Xvfb and PulseAudio).

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { By, CLI, launchApp, makeSandbox, until } from "./harness.mjs";

const PASS = "una frase de acceso larga";
const byId = (id) => By.css(`[data-testid="${id}"]`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `[${Math.min(...xs).toFixed(0)} … ${Math.max(...xs).toFixed(0)}]`;

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

function setup(name, extraEnv = {}) {
  const sandbox = makeSandbox(name);
  const vault = path.join(sandbox.home, "vault.relato");
  const passFile = path.join(sandbox.root, "pass");
  fs.writeFileSync(passFile, `${PASS}\n`);
  const env = { ...sandbox.env, RELATO_VAULT: vault, RELATO_USER: "Ana", RELATO_PASSPHRASE_FILE: passFile, ...extraEnv };
  const relato = (args) => {
    const r = spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, ...env, RELATO_LANG: "en" } });
    if (r.status !== 0) throw new Error(`relato ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  relato(["init", "--org", "Bench", "--admin", "Ana", "--recovery-out", path.join(sandbox.root, "rec.txt")]);
  const caseId = relato(["case", "new", "--ref", "B-1"]);
  const sessionId = relato(["session", "new", "--case", caseId, "--child-code", "N-1", "--age", "9", "--language", "es"]);
  return { sandbox, env, sessionId };
}

async function unlock(driver) {
  await driver.wait(until.elementLocated(byId("unlock-form")), 60_000);
  await driver.findElement(byId("name-input")).sendKeys("Ana");
  await driver.findElement(byId("passphrase-input")).sendKeys(PASS);
  await driver.findElement(byId("unlock-submit")).click();
  await driver.wait(until.elementLocated(byId("case-list")), 60_000);
}

async function coldStart() {
  const walls = [];
  const pages = [];
  const blanks = [];
  for (let i = 0; i < 5; i++) {
    const { sandbox, env } = setup(`perf-start-${i}`);
    const t0 = performance.now();
    const app = await launchApp(env);
    const form = await app.driver.wait(until.elementLocated(byId("unlock-form")), 60_000);
    await app.driver.wait(until.elementIsEnabled(await app.driver.findElement(byId("unlock-submit"))), 60_000);
    walls.push(performance.now() - t0);
    void form;
    pages.push(await app.driver.executeScript("return performance.now();"));
    // The engine's floor: a blank document in the same web view.
    const blank = await app.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const f = document.createElement('iframe');
      const t = performance.now();
      f.onload = () => done(performance.now() - t);
      f.src = 'about:blank';
      document.body.append(f);`);
    blanks.push(blank);
    await app.stop();
    sandbox.cleanup();
  }
  console.log(`cold start, launch → unlock screen interactive (incl. tauri-driver + WebKitWebDriver): median ${median(walls).toFixed(0)} ms ${range(walls)}`);
  console.log(`  in the page, navigation start → interactive: median ${median(pages).toFixed(0)} ms ${range(pages)}`);
  console.log(`  a blank document in the same web view: median ${median(blanks).toFixed(1)} ms`);
}

async function memory() {
  const { sandbox, env, sessionId } = setup("perf-mem", { RELATO_FAKE_INPUT: "fast" });
  const app = await launchApp(env);
  const { driver } = app;
  try {
    await unlock(driver);
    await sleep(5000);
    const appPid = Number(spawnSync("pgrep", ["-n", "-f", "/relato-app$"], { encoding: "utf8" }).stdout.trim());
    const webPids = spawnSync("pgrep", ["-P", String(appPid), "-f", "WebKitWebProcess"], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean)
      .map(Number);
    const sample = () => ({ app: rssKiB(appPid), web: webPids.reduce((s, p) => s + (fs.existsSync(`/proc/${p}`) ? rssKiB(p) : 0), 0) });
    const idle = sample();
    console.log(`memory idle after unlock: app ${(idle.app / 1024).toFixed(1)} MiB, web process ${(idle.web / 1024).toFixed(1)} MiB`);

    await driver.executeScript(`window.location.hash = "#/sessions/${sessionId}/record";`);
    await driver.wait(until.elementLocated(byId("record-start")), 30_000);
    await sleep(500);
    await driver.findElement(byId("record-start")).click();
    await driver.wait(until.elementLocated(byId("listening-mode")), 30_000);
    const samples = [];
    let minute = 0;
    const t0 = performance.now();
    while (minute < 30) {
      const ms = Number(await driver.findElement(byId("listening-timer")).getAttribute("data-elapsed-ms"));
      if (ms >= (minute + 1) * 60_000) {
        minute = Math.floor(ms / 60_000);
        samples.push({ minute, ...sample() });
      }
      await sleep(100);
    }
    const wall = (performance.now() - t0) / 1000;
    await driver.findElement(byId("listening-stop")).click();
    await driver.findElement(byId("listening-stop-confirm")).click();
    await driver.wait(until.elementLocated(byId("recording-summary")), 120_000);
    const after = sample();
    const apps = samples.map((s) => s.app);
    const first = samples.find((s) => s.minute >= 1);
    console.log(`30-minute recording (fake input at full speed, ${wall.toFixed(0)} s of wall time):`);
    for (const s of samples.filter((s) => [1, 5, 10, 20, 30].includes(s.minute) || s === samples.at(-1))) {
      console.log(`  minute ${String(s.minute).padStart(2)}: app ${(s.app / 1024).toFixed(1)} MiB, web process ${(s.web / 1024).toFixed(1)} MiB`);
    }
    console.log(`  app: highest ${(Math.max(...apps) / 1024).toFixed(1)} MiB; growth from minute ${first.minute} to the end ${((apps.at(-1) - first.app) / 1024).toFixed(1)} MiB`);
    console.log(`  after sealing: app ${(after.app / 1024).toFixed(1)} MiB, web process ${(after.web / 1024).toFixed(1)} MiB`);
  } finally {
    await app.stop();
    sandbox.cleanup();
  }
}

async function meterLatency() {
  const { sandbox, env, sessionId } = setup("perf-meter", {});
  const tone = path.join(sandbox.root, "tone.wav");
  spawnSync("sox", ["-n", "-r", "44100", "-c", "2", tone, "synth", "0.6", "sine", "440", "gain", "-6"]);
  const app = await launchApp(env);
  const { driver } = app;
  const ends = [];
  try {
    await unlock(driver);
    await driver.executeScript(`window.location.hash = "#/sessions/${sessionId}/record";`);
    const meter = await driver.wait(until.elementLocated(byId("record-level")), 30_000);
    await sleep(1500);
    for (let i = 0; i < 5; i++) {
      await driver.executeScript(`
        const m = document.querySelector('[data-testid=record-level]');
        delete document.body.dataset.rise;
        new MutationObserver((_, o) => {
          if (Number(m.dataset.peak) > -30) { document.body.dataset.rise = String(Date.now()); o.disconnect(); }
        }).observe(m, { attributes: true, attributeFilter: ['data-peak'] });`);
      const t0 = Date.now();
      const p = spawn("paplay", ["--device=vsink", tone], { env: { ...process.env, ...env }, stdio: "ignore" });
      await new Promise((r) => p.on("exit", r));
      await driver.wait(async () => (await driver.executeScript("return document.body.dataset.rise;")) !== null, 5000);
      const rise = Number(await driver.executeScript("return document.body.dataset.rise;"));
      ends.push(rise - t0);
      await sleep(1500);
    }
    const ipc = await meter.getAttribute("data-latency-p50");
    const ipc95 = await meter.getAttribute("data-latency-p95");
    console.log(`level meter, tone started (paplay spawned) → meter drawn above −30 dBFS: median ${median(ends).toFixed(0)} ms ${range(ends)}`);
    console.log(`  of which delivery from the backend's reading to the page: p50 ${ipc} ms, p95 ${ipc95} ms`);
  } finally {
    await app.stop();
    sandbox.cleanup();
  }
}

await coldStart();
await memory();
if (process.env.XDG_RUNTIME_DIR && spawnSync("pactl", ["info"]).status === 0) await meterLatency();
else console.log("level meter: skipped (no PulseAudio server; scripts/measure-app starts one)");
