// Shared set-up of the browser tests: the built backend on a free port with a fresh DATA_DIR (it migrates, loads the
// demo data and serves the built portal), and Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BACKEND = path.join(ROOT, 'dist/backend/main.cjs');
export const PORTAL_DIR = path.join(ROOT, 'dist/frontend/browser');
export const SCREENS = path.join(ROOT, 'tmp/e2e-screens');
export const PASSWORD = 'Demo@2026';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * A small API client for test set-up: `api(token, method, '/path', body, form)` calls /api/v1/path with JSON (or
 * `form`, a FormData) and throws with the status and body on any 4xx/5xx; `login(username)` gives an access token.
 * `base` is the portal's URL, or a function returning it (for files that learn it in `before`).
 */
export function apiClient(base) {
  const url = () => (typeof base === 'function' ? base() : base);
  async function api(token, method, path, body, form) {
    const res = await fetch(`${url()}/api/v1${path}`, {
      method,
      headers: { ...(token && { Authorization: `Bearer ${token}` }), ...(body && { 'Content-Type': 'application/json' }) },
      body: form ?? (body ? JSON.stringify(body) : undefined),
    });
    const json = await res.json().catch(() => null);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  const login = async (username, password = PASSWORD) => (await api(null, 'POST', '/auth/login', { username, password })).accessToken;
  return { api, login };
}

/**
 * Starts the backend and Chromium. `name` only labels the temporary data folder; `env` adds settings (e.g. an LLM).
 * Resolves once GET /api/health answers 200 (up to 180 s).
 */
export async function startPortal(name, env = {}) {
  assert.ok(existsSync(BACKEND), `missing ${BACKEND}: build the backend first`);
  assert.ok(existsSync(path.join(PORTAL_DIR, 'index.html')), 'build the frontend first');
  await mkdir(SCREENS, { recursive: true });
  const dataDir = await mkdtemp(path.join(tmpdir(), `aitrainer-e2e-${name}-`));
  const baseUrl = `http://127.0.0.1:${await freePort()}`;
  let log = '';
  const backend = spawn(process.execPath, [BACKEND], {
    cwd: ROOT,
    env: { ...process.env, PORT: new URL(baseUrl).port, DATA_DIR: dataDir, PORTAL_DIR, DEMO_CONTENT: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  backend.stdout.on('data', (c) => (log += c));
  backend.stderr.on('data', (c) => (log += c));
  // Generous: the backend hashes the demo passwords at start, slow on a busy machine.
  const deadline = Date.now() + Number(process.env.E2E_START_TIMEOUT_MS ?? 180_000);
  for (;;) {
    if (backend.exitCode !== null) throw new Error(`backend exited:\n${log.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`backend did not start:\n${log.slice(-3000)}`);
    if ((await fetch(`${baseUrl}/api/health`).catch(() => null))?.status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  return {
    baseUrl,
    browser,
    log: () => log,
    async stop() {
      await browser.close();
      if (backend.exitCode === null) {
        const exited = new Promise((r) => backend.once('exit', r));
        backend.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The portal asks in its own dialog (an Ant confirmation), never with window.confirm. Clicks its OK button when
 * it appears before `outcome` (a locator of what the action shows when it needs no confirmation).
 */
export async function acceptConfirmIfAsked(page, outcome) {
  const ok = page.getByTestId('confirm-ok');
  const asked = await Promise.race([ok.waitFor().then(() => true, () => false), outcome.waitFor().then(() => false, () => false)]);
  if (asked) await ok.click();
}

/**
 * Picks the option of an Ant select (nz-select, located by its host) whose text contains `text` (or equals it with
 * `exact`): opens the drop-down and clicks the option, as a user does.
 */
export async function pickOption(page, select, text, { exact = false } = {}) {
  await select.locator('.ant-select-selector').click();
  const options = page.locator('.ant-select-dropdown:visible nz-option-item');
  const option = exact ? options.filter({ has: page.getByText(text, { exact: true }) }) : options.filter({ hasText: text });
  await option.first().click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => {});
}

/**
 * Checks an Ant checkbox or radio (`label[nz-checkbox]`, `label[nz-radio]`, located by its host) as a user does: a
 * click when it is not checked yet, then waits for the wrapper to show it checked. (Playwright's check() reads the
 * state right after its click, before the zoneless portal has rendered it, and fails now and then.)
 */
export async function checkAnt(page, control) {
  const checked = () => control.evaluate((e) => e.classList.contains('ant-checkbox-wrapper-checked') || e.classList.contains('ant-radio-wrapper-checked'));
  if (!(await checked())) await control.click();
  await page.waitForFunction((e) => e.classList.contains('ant-checkbox-wrapper-checked') || e.classList.contains('ant-radio-wrapper-checked'), await control.elementHandle());
}

/** The option an Ant select shows as chosen. */
export const pickedOption = (select) => select.locator('.ant-select-selection-item').textContent().then((s) => (s ?? '').trim());

/**
 * Types `yyyy-MM-dd HH:mm` into the portal's date-time field (app-date-time-field, located by its testid): an Ant
 * date picker and an Ant time picker side by side. Keyboard only, as a person types: each part is typed into its
 * input and committed by Tab (the date's Tab moves to the time input, the time's to the next field).
 */
export async function typeDateTime(page, field, text) {
  const [day, time] = text.split(' ');
  const dateInput = field.locator('nz-date-picker input');
  await dateInput.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(day, { delay: 15 }); // the picker parses each keystroke
  await page.keyboard.press('Tab');
  await field.locator('nz-time-picker input').evaluate((el) => el === document.activeElement || el.focus());
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(time, { delay: 15 });
  await page.keyboard.press('Tab');
}

/** `yyyy-MM-dd HH:mm` of the instant `ms` as read in the portal's display time zone (China Standard Time). */
export function displayDateTime(ms, timeZone = 'Asia/Shanghai') {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
