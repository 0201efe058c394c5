// Shared e2e plumbing: start the real switchboard binary on a free port, drive Debian's chromium,
// and collect every console error/warning, page error and 5xx response as a "problem".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshotDir = path.join(repoRoot, 'e2e', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A free TCP port on 127.0.0.1 (for a fake that must be known before the server starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts one of our fake servers from build/ (`envVar` overrides its path) with `args`, waits for the
 * first line it prints that starts with http://, and resolves with that URL, `log()` (its stderr) and
 * `stop`. `name` names it in errors.
 */
async function spawnFake(name, envVar, args) {
  const bin = path.resolve(repoRoot, process.env[envVar] ?? `build/${name}`);
  if (!existsSync(bin)) throw new Error(`${name} binary not found at ${bin} (run make build)`);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} printed no address within 10 s:\n${log}`)),
      10_000,
    );
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${log}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  return { url, stop, log: () => log };
}

/**
 * Starts `build/fake_platforms` (every platform API the connectors call, see
 * server/tests/fakes/fake_platforms.hpp); resolves with its root URL, the environment that points
 * a server at it, a `control(path, body?)` helper for its /_control endpoints, and `stop`.
 */
export async function startFakePlatforms() {
  const { url: rootURL, stop } = await spawnFake('fake_platforms', 'FAKE_PLATFORMS_BIN', []);
  const env = {
    SWITCHBOARD_TELEGRAM_API_BASE: `${rootURL}/telegram`,
    SWITCHBOARD_GRAPH_API_BASE: `${rootURL}/graph`,
    SWITCHBOARD_SLACK_API_BASE: `${rootURL}/slack`,
    SWITCHBOARD_DISCORD_API_BASE: `${rootURL}/discord`,
    SWITCHBOARD_TWILIO_API_BASE: `${rootURL}/twilio`,
  };
  const control = async (controlPath, body) => {
    const response = await fetch(`${rootURL}/_control/${controlPath}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake control ${controlPath}: ${response.status}`);
    return response.status === 204 ? null : response.json();
  };
  return { rootURL, env, control, stop };
}

/**
 * Starts `build/fake_openrouter` (server/tests/fakes/fake_openrouter_main.cpp) with `args` such as
 * `['--first-token-ms', '300', '--token-ms', '150', '--content', '…']`; resolves with its API base
 * URL, the environment that points a server at it (OPENROUTER_BASE_URL and a made-up
 * OPENROUTER_API_KEY), `control(path, body?)` for its /_control routes (`answers`, `stats`,
 * `reset`), and `stop`.
 */
export async function startFakeOpenRouter(args = []) {
  const {
    url: baseURL,
    stop,
    log,
  } = await spawnFake('fake_openrouter', 'FAKE_OPENROUTER_BIN', ['--port', '0', ...args]);
  const root = new URL(baseURL).origin;
  const env = { OPENROUTER_BASE_URL: baseURL, OPENROUTER_API_KEY: 'sk-or-e2e-fake-key' };
  const control = async (controlPath, body) => {
    const response = await fetch(`${root}/_control/${controlPath}`, {
      method: body === undefined && controlPath === 'stats' ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake OpenRouter control ${controlPath}: ${response.status}`);
    return response.status === 204 ? null : response.json();
  };
  return { baseURL, env, control, stop, log };
}

/**
 * Starts `build/fake_stripe` (server/tests/fakes/fake_stripe_main.cpp) on `port`, posting signed events to
 * `webhookURL`; resolves with its base URL and `stop`. Its Checkout page has a "Subscribe" button that
 * creates the subscription, sends the events and goes back to the session's success_url. Point a
 * server at it with `fakeStripeEnv(port)` before starting both (the server's port is known only then).
 */
export async function startFakeStripe({
  port,
  webhookURL,
  secretKey = FAKE_STRIPE.secretKey,
  webhookSecret = FAKE_STRIPE.webhookSecret,
}) {
  const args = [
    '--port',
    String(port),
    '--secret-key',
    secretKey,
    '--webhook-url',
    webhookURL,
    '--webhook-secret',
    webhookSecret,
  ];
  const { url: baseURL, stop, log } = await spawnFake('fake_stripe', 'FAKE_STRIPE_BIN', args);
  return { baseURL, stop, log };
}

/** The made-up keys the fake Stripe and the server share in browser tests. */
export const FAKE_STRIPE = { secretKey: 'sk_test_fake_123', webhookSecret: 'whsec_fake_123' };

/** The environment that turns billing on against a fake Stripe listening on `port`. */
export function fakeStripeEnv(port) {
  return {
    SWITCHBOARD_BILLING: 'on',
    SWITCHBOARD_STRIPE_SECRET_KEY: FAKE_STRIPE.secretKey,
    SWITCHBOARD_STRIPE_WEBHOOK_SECRET: FAKE_STRIPE.webhookSecret,
    SWITCHBOARD_STRIPE_API_BASE: `http://127.0.0.1:${port}`,
  };
}

/**
 * Starts `switchboard serve` with a fresh data dir; resolves once /healthz answers.
 * `options.env` adds environment variables (e.g. the fake platforms' addresses).
 */
export async function startServer(options = {}) {
  const bin = path.resolve(repoRoot, process.env.SWITCHBOARD_BIN ?? 'build/switchboard');
  const staticDir = path.join(repoRoot, 'web', 'dist');
  if (!existsSync(bin))
    throw new Error(`server binary not found at ${bin} (build it, or set SWITCHBOARD_BIN)`);
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html is missing: run "npm run build" in web/ first`);
  }

  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-e2e-data-'));
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--static-dir', staticDir];
  const child = spawn(bin, args, {
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `switchboard exited before it was healthy (${child.exitCode ?? child.signalCode}):\n${log}`,
      );
    }
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`switchboard did not answer /healthz within 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // dataDir: the server's data folder (its SQLite database), for journeys that stage a crash.
  return { baseURL, stop, log: () => log, dataDir };
}

// Chromium logs every 4xx answer as a console error ("Failed to load resource: …"). Those answers
// are part of the API contract (401 from /api/auth/session when signed out, 403 from /api/debug for
// a non-admin), so they are collected as `clientErrors` for each test to match against what it
// expects, instead of as console problems.
const HTTP_4XX_LOG = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

/**
 * A fresh chromium profile. `problems` collects console errors and warnings, page errors and 5xx
 * responses; `clientErrors` collects 4xx responses as "STATUS METHOD /path".
 */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  const problems = [];
  const clientErrors = [];
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && HTTP_4XX_LOG.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.push(`console ${message.type()} on ${page.url()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) {
        problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
      } else if (response.status() >= 400) {
        const { pathname } = new URL(response.url());
        clientErrors.push(`${response.status()} ${response.request().method()} ${pathname}`);
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());

  const close = async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  };
  return { context, page, problems, clientErrors, close };
}

/** Returns a function that saves full-page screenshots as e2e/screenshots/<journey>/<name>.png. */
export async function screenshotsFor(journey) {
  const dir = path.join(screenshotDir, journey);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return (page, name) => page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * Ordered steps of a journey that share browsers. `browsers()` returns `{who: browser}` (a browser
 * may still be undefined); `screenshots()` returns the journey's screenshot function. Each step
 * lists the 4xx answers it expects from each browser — `{who: [...]}`, where a list may be a
 * function for paths holding ids learnt on the way, or just a list when there is one browser. Any
 * other 4xx, any 5xx and any console problem fails the step; a failure photographs every open
 * browser and skips the steps after it (`state.failed`).
 */
export function journeySteps(browsers, screenshots) {
  const state = { failed: false };
  const step = (name, expected, fn) =>
    it(name, async (t) => {
      if (state.failed) return t.skip('an earlier step failed');
      try {
        await fn();
        const open = Object.entries(browsers()).filter(([, browser]) => browser);
        for (const [who, browser] of open) {
          const spec = Array.isArray(expected) ? expected : (expected[who] ?? []);
          const want = typeof spec === 'function' ? spec() : spec;
          assert.deepEqual(
            browser.problems.splice(0),
            [],
            `${who}: console errors, page errors or 5xx responses`,
          );
          assert.deepEqual(browser.clientErrors.splice(0).sort(), [...want].sort(), `${who}: 4xx responses`);
        }
      } catch (error) {
        state.failed = true;
        const slug = name.replace(/\W+/g, '-');
        const shoot = screenshots();
        for (const [who, browser] of Object.entries(browsers())) {
          if (browser && shoot) await shoot(browser.page, `failed-${slug}-${who}`).catch(() => {});
        }
        throw error;
      }
    });
  return { step, state };
}
