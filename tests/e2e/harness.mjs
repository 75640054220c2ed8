// Starts tauri-driver (which starts /usr/bin/WebKitWebDriver, which starts
// the app) with a private environment, and opens a WebDriver session on it.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Builder, By, Key, until } from "selenium-webdriver";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const APP = path.resolve(process.env.RELATO_APP_BIN ?? path.join(REPO, "target", "debug", "relato-app"));
export const CLI = path.resolve(process.env.RELATO_BIN ?? path.join(REPO, "target", "debug", "relato"));
export const ARTIFACTS = path.resolve(process.env.RELATO_ARTIFACTS ?? path.join(REPO, "tests", "artifacts"));

export function findTauriDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "tauri-driver");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
  const fromCargo = path.join(cargoHome, "bin", "tauri-driver");
  if (fs.existsSync(fromCargo)) return fromCargo;
  throw new Error("tauri-driver not found: cargo install tauri-driver --locked");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited early with code ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const sock = net.connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        resolve(true);
      });
      sock.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${timeoutMs} ms`);
}

// Process groups of the drivers still running: ended if this process is
// told to stop (timeout in scripts/test) or exits without its after() hooks.
const liveGroups = new Set();
function killLiveGroups() {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}
process.on("exit", killLiveGroups);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    killLiveGroups();
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });
}

/** A fresh directory tree standing in for the user's home. */
export function makeSandbox(name) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `relato-e2e-${name}-`));
  const home = path.join(root, "home");
  for (const d of [".local/share", ".cache", ".config"]) fs.mkdirSync(path.join(home, d), { recursive: true });
  return {
    root,
    home,
    env: {
      HOME: home,
      XDG_DATA_HOME: path.join(home, ".local/share"),
      XDG_CACHE_HOME: path.join(home, ".cache"),
      XDG_CONFIG_HOME: path.join(home, ".config"),
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the app with `env` added to this process's environment and returns
 * `{ driver, stop }`. `stop` ends the session and the driver's process group.
 */
export async function launchApp(env) {
  if (!fs.existsSync(APP)) throw new Error(`app binary not found at ${APP}: build it first (cargo build -p relato-app)`);
  if (!process.env.DISPLAY) throw new Error("DISPLAY is not set: run under Xvfb (scripts/test does)");
  const port = await freePort();
  const nativePort = await freePort();
  const log = [];
  const child = spawn(findTauriDriver(), ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so stop() reaches WebKitWebDriver and the app too
  });
  liveGroups.add(child.pid);
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let driver;
  try {
    await waitForPort(port, child, 20_000);
    driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}/`)
      .withCapabilities({ browserName: "wry", "tauri:options": { application: APP } })
      .build();
  } catch (e) {
    killGroup("SIGKILL");
    liveGroups.delete(child.pid);
    throw new Error(`${e.message}\n--- tauri-driver output ---\n${log.join("")}`);
  }

  async function stop() {
    try {
      await driver.quit();
    } catch {
      // the session may already be gone
    }
    killGroup("SIGTERM");
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    killGroup("SIGKILL");
    liveGroups.delete(child.pid);
  }
  /** The app's process id: the one descendant of this driver running APP. */
  const appPid = () => descendants(child.pid).find((pid) => exeOf(pid) === fs.realpathSync(APP));
  return { driver, stop, log, appPid };
}

/** The running descendants of process `root`, read from /proc. */
function descendants(root) {
  const parentOf = new Map();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent id follows its last ")".
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  for (let frontier = [root]; frontier.length; ) {
    const children = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([pid]) => pid);
    found.push(...children);
    frontier = children;
  }
  return found;
}

function exeOf(pid) {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Waits until the vault card has left its loading state and returns it. */
export async function settledCard(driver, timeoutMs = 20_000) {
  return driver.wait(
    until.elementLocated(By.css('[data-testid="vault-card"]:not([data-state="loading"])')),
    timeoutMs,
    "the vault card did not leave its loading state",
  );
}

export const byId = (testid) => By.css(`[data-testid="${testid}"]`);

/**
 * The first visible element with this test id. Looked up afresh on every
 * poll, so a screen redrawn between finding and checking does not fail it.
 */
export async function waitVisible(driver, testid, timeoutMs = 20_000) {
  return driver.wait(
    async () => {
      for (const e of await driver.findElements(byId(testid))) {
        try {
          if (await e.isDisplayed()) return e;
        } catch (err) {
          if (err.name !== "StaleElementReferenceError") throw err;
        }
      }
      return null;
    },
    timeoutMs,
    `${testid} did not become visible within ${timeoutMs} ms`,
  );
}

/**
 * Runs `fn` again (up to `attempts` times) when the element it found was
 * redrawn before it could be used: screens re-render after saves and
 * timers, and that is not what a test is about.
 */
export async function fresh(fn, attempts = 5) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (e.name !== "StaleElementReferenceError" || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function textOf(driver, testid) {
  return fresh(async () => (await driver.findElement(By.css(`[data-testid="${testid}"]`)).getText()).trim());
}

/** An attribute of the element with `testid`, found afresh (as `textOf`). */
export async function attrOf(driver, testid, name) {
  return fresh(async () => driver.findElement(By.css(`[data-testid="${testid}"]`)).getAttribute(name));
}

export async function screenshot(driver, name) {
  // Let the web view paint the latest DOM first: two animation frames.
  await driver.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
  );
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  fs.writeFileSync(file, Buffer.from(await driver.takeScreenshot(), "base64"));
  return file;
}

/** Names of the top-level X windows, if xwininfo is installed (else null). */
export function xWindowNames() {
  const r = spawnSync("xwininfo", ["-root", "-tree"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  return [...r.stdout.matchAll(/0x[0-9a-f]+ "([^"]*)"/g)].map((m) => m[1]);
}

export function loadJson(relative) {
  return JSON.parse(fs.readFileSync(path.join(REPO, relative), "utf8"));
}

/** The same `{name}` substitution as ui/src/i18n.ts `format`. */
export function format(template, args) {
  return template.replace(/\{\{|\}\}|\{([A-Za-z0-9_]+)\}/g, (m, name) =>
    m === "{{" ? "{" : m === "}}" ? "}" : name !== undefined && Object.hasOwn(args, name) ? String(args[name]) : m,
  );
}

export { By, Key, until };
