// The browser tests' harness: a real `dafu serve` over a fresh synthetic index, and a headless
// Chromium (Debian's, driven by playwright-core). Everything stays on 127.0.0.1.
//
//   const dafu = await startDafu({ count: 400 });   // dafu.baseUrl = 'http://127.0.0.1:PORT'
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   await page.goto(`${dafu.baseUrl}/`);
//   await page.screenshot({ path: path.join(screenshotDir(), 'home.png') });
//   await browser.close(); await dafu.stop();
//
// Environment: DAFU_BIN (the dafu binary; default target/debug/dafu), CHROMIUM (default
// /usr/bin/chromium), DAFU_SCREENSHOTS (default target/browser-screenshots).
// scripts/setup-browser.sh installs Chromium, the CJK fonts and playwright-core.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Time limits, in milliseconds (a debug build on 2 cores is slow). */
export const timeouts = {
  sample: 60_000,
  index: 180_000,
  serveStart: 60_000, // until the address is printed
  health: 30_000, // until GET /api/health answers 200
  stop: 5_000, // after SIGTERM, before SIGKILL
  browserLaunch: 60_000,
};

/**
 * The flags Chromium needs to run headless as root in a container, with no traffic of its own.
 * `--host-resolver-rules` makes every host name but 127.0.0.1 unresolvable, so that a page can
 * never reach the network (a font or script from a CDN fails instead of being fetched).
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const KEEP_OUTPUT = 64 * 1024; // characters of a child's output kept for error messages

function tail(text, max = KEEP_OUTPUT) {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** The `dafu` binary: $DAFU_BIN, else target/debug/dafu. Throws a clear error if missing. */
export function dafuBin() {
  const bin = process.env.DAFU_BIN || path.join(repoRoot, 'target', 'debug', 'dafu');
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(
      `no dafu binary at ${bin}: build it with \`cargo build -p dafu\` ` +
        '(or set DAFU_BIN to the binary to test)',
    );
  }
  return bin;
}

/** Runs `bin args` to completion within `timeoutMs`; throws with its output if it fails. */
function run(bin, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const why = error.killed
          ? `timed out after ${timeoutMs} ms`
          : error.code != null
            ? `exited with ${typeof error.code === 'number' ? `status ${error.code}` : error.code}`
            : `failed (${error.signal ?? error.message})`;
        reject(
          new Error(
            `\`${[bin, ...args].join(' ')}\` ${why}\n` +
              `--- stdout ---\n${tail(String(stdout))}\n--- stderr ---\n${tail(String(stderr))}`,
          ),
        );
      },
    );
  });
}

/**
 * Writes a synthetic corpus of `count` replies (with `seed`, if given), indexes it and serves
 * it with `dafu serve --addr 127.0.0.1:0`, all in a fresh temporary folder. Resolves once
 * GET /api/health answers 200, with:
 * - `baseUrl`: `http://127.0.0.1:PORT`, without a trailing slash;
 * - `stop()`: stops the server and removes the temporary folder (safe to call twice);
 * - `output()`: what the server has written so far, `{ stdout, stderr }`;
 * - `tmpDir`: the temporary folder (`sample/`, `index/`).
 */
export async function startDafu({ count = 400, seed } = {}) {
  const bin = dafuBin();
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dafu-browser-'));
  const sampleDir = path.join(tmpDir, 'sample');
  const indexDir = path.join(tmpDir, 'index');
  let child = null;
  const out = { stdout: '', stderr: '' };

  // If the test process ends without stop() (a crash, a forgotten stop), the server must not
  // outlive it.
  const onExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeouts.stop);
      await exited;
      clearTimeout(timer);
    }
    await fsp.rm(tmpDir, { recursive: true, force: true });
  }

  try {
    const sampleArgs = ['sample', '--out', sampleDir, '--count', String(count)];
    if (seed !== undefined) sampleArgs.push('--seed', String(seed));
    await run(bin, sampleArgs, timeouts.sample);
    await run(bin, ['index', '--input', sampleDir, '--index', indexDir], timeouts.index);

    const serveArgs = ['serve', '--index', indexDir, '--addr', '127.0.0.1:0'];
    const command = `\`${[bin, ...serveArgs].join(' ')}\``;
    child = spawn(bin, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      out.stderr = tail(out.stderr + chunk);
    });
    const failure = (why) =>
      new Error(
        `${command} ${why}\n--- stdout ---\n${out.stdout}\n--- stderr ---\n${out.stderr}`,
      );

    const baseUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(failure(`printed no address within ${timeouts.serveStart} ms`));
      }, timeouts.serveStart);
      const done = (settle, value) => {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.off('close', onChildExit);
        child.off('error', onError);
        settle(value);
      };
      // Keep reading stdout after the address too, so that the pipe never fills up.
      const onData = (chunk) => {
        out.stdout = tail(out.stdout + chunk);
        const m = out.stdout.match(/search page at (http:\/\/127\.0\.0\.1:(\d+))\/ /);
        if (m && m[2] === '0') {
          done(reject, failure('printed port 0: this dafu predates printing the bound address; rebuild it'));
        } else if (m) {
          done(resolve, m[1]);
        }
      };
      const onChildExit = (code, signal) =>
        done(reject, failure(`exited (${signal ?? `status ${code}`}) before printing its address`));
      const onError = (error) => done(reject, failure(`could not start: ${error.message}`));
      child.stdout.on('data', onData);
      child.once('close', onChildExit); // after its output is read
      child.once('error', onError);
    });
    child.stdout.on('data', (chunk) => {
      out.stdout = tail(out.stdout + chunk);
    });

    // Bounded polling of the health endpoint.
    const deadline = Date.now() + timeouts.health;
    let last = 'no answer';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw failure(`exited (${child.signalCode ?? `status ${child.exitCode}`}) while starting`);
      }
      try {
        const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) break;
        last = `status ${res.status}: ${await res.text()}`;
      } catch (error) {
        last = error.message;
      }
      if (Date.now() >= deadline) {
        throw failure(`GET ${baseUrl}/api/health did not answer 200 within ${timeouts.health} ms (${last})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    return { baseUrl, stop, tmpDir, output: () => ({ ...out }) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Launches headless Chromium ($CHROMIUM, else /usr/bin/chromium) with playwright-core and
 * `chromiumArgs`; `options` are passed on to `chromium.launch`. Close it with `browser.close()`.
 */
export async function launchBrowser(options = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  try {
    fs.accessSync(executablePath, fs.constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${executablePath}: run \`bash scripts/setup-browser.sh\` ` +
        "(installs Debian's chromium) or set CHROMIUM to a Chromium binary",
    );
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new Error(
      `playwright-core is not installed in tests/browser (${error.message}): ` +
        'run `bash scripts/setup-browser.sh`',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: timeouts.browserLaunch,
    ...options,
    args: [...chromiumArgs, ...(options.args ?? [])],
  });
}

/** The folder for screenshots (created): $DAFU_SCREENSHOTS, else target/browser-screenshots. */
export function screenshotDir() {
  const dir = process.env.DAFU_SCREENSHOTS || path.join(repoRoot, 'target', 'browser-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
