// Browser journeys through the built portal, served by the built backend.
// Run after `nx run frontend:build` and `nx run backend:build`:  node --test --test-concurrency=1 frontend/e2e/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BACKEND = path.join(ROOT, 'dist/backend/main.cjs');
const PORTAL_DIR = path.join(ROOT, 'dist/frontend/browser');
const SCREENS = path.join(ROOT, 'tmp/e2e-screens');
const START_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 15_000;

// Mirrors DEMO_USERNAMES / DEMO_PASSWORD in libs/contracts/src/identity.ts.
const DEMO_PASSWORD = 'Demo@2026';
const ROLES = [
  { role: 'student', username: 'demo.student', path: '/student', zh: '学员主页', en: 'Student home' },
  { role: 'instructor', username: 'demo.instructor', path: '/instructor', zh: '讲师工作台', en: 'Instructor desk' },
  { role: 'school_admin', username: 'demo.school', path: '/school', zh: '院校管理', en: 'School administration' },
  { role: 'org_admin', username: 'demo.org', path: '/org', zh: '企业管理', en: 'Enterprise administration' },
  { role: 'bureau_verifier', username: 'demo.bureau', path: '/bureau', zh: '核验工作台', en: 'Verification desk' },
  { role: 'platform_admin', username: 'demo.admin', path: '/admin', zh: '平台管理', en: 'Platform administration' },
];
const byRole = (role) => ROLES.find((entry) => entry.role === role);

let backend;
let backendLog = '';
let dataDir;
let baseUrl;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`backend exited with ${child.exitCode}:\n${backendLog.slice(-3000)}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`backend did not answer /api/health within ${START_TIMEOUT_MS / 1000} s:\n${backendLog.slice(-3000)}`);
}

async function stopBackend() {
  if (!backend || backend.exitCode !== null) return;
  const exited = new Promise((resolve) => backend.once('exit', resolve));
  backend.kill('SIGTERM');
  const timer = setTimeout(() => backend.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

before(async () => {
  assert.ok(existsSync(BACKEND), `missing ${BACKEND}: build the backend first`);
  assert.ok(existsSync(path.join(PORTAL_DIR, 'index.html')), `missing ${PORTAL_DIR}/index.html: run nx run frontend:build`);
  await mkdir(SCREENS, { recursive: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'aitrainer-e2e-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  backend = spawn(process.execPath, [BACKEND], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PORTAL_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  backend.stdout.on('data', (chunk) => (backendLog += chunk));
  backend.stderr.on('data', (chunk) => (backendLog += chunk));
  await waitForHealth(baseUrl, backend);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await stopBackend();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A fresh context per test: its own localStorage, so sessions never leak between tests. */
async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  return page;
}

async function logIn(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Waits until the landing heading shows `title` (zoneless Angular renders asynchronously). */
async function expectHeading(page, role, title) {
  const heading = page.getByTestId(`landing-${role}`).filter({ hasText: title });
  await heading.waitFor({ state: 'visible' });
  assert.equal((await heading.textContent())?.trim(), title);
}

describe('login and landing pages', () => {
  for (const { role, username, path: landing, zh } of ROLES) {
    test(`${role} logs in and lands on ${landing}`, async () => {
      const page = await newPage();
      try {
        await logIn(page, username);
        await page.waitForURL(`${baseUrl}${landing}`);
        await expectHeading(page, role, zh);
        await page.getByTestId('current-user').waitFor();
        // Wait until the page's data has arrived before the screenshot.
        await page.locator('.state--loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
        await page.waitForFunction(() => document.querySelectorAll('.state--loading').length === 0);
        assert.equal(await page.locator('.state--error').count(), 0, `${role}: a section failed to load`);
        await page.screenshot({ path: path.join(SCREENS, `${role}.png`), fullPage: true });
      } finally {
        await page.context().close();
      }
    });
  }
});

test('the language switch shows English and is remembered', async () => {
  const page = await newPage();
  try {
    const { role, username, zh, en } = byRole('school_admin');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    await page.getByTestId('lang-switch').click();
    await expectHeading(page, role, en);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.reload();
    await expectHeading(page, role, en);
    await page.screenshot({ path: path.join(SCREENS, 'school_admin-en.png'), fullPage: true });
  } finally {
    await page.context().close();
  }
});

test('a student who opens /admin is sent back to /student', async () => {
  const page = await newPage();
  try {
    const { role, username, zh } = byRole('student');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL(`${baseUrl}/student`);
    await expectHeading(page, role, zh);
    assert.equal(await page.getByTestId('landing-platform_admin').count(), 0);
  } finally {
    await page.context().close();
  }
});

test('a wrong password shows a plain-words error and stays on the login page', async () => {
  const page = await newPage();
  try {
    await logIn(page, 'demo.student', 'not-the-password-1');
    const error = page.getByTestId('login-error');
    await error.waitFor({ state: 'visible' });
    assert.match((await error.textContent()) ?? '', /用户名或密码不正确/);
    assert.equal(new URL(page.url()).pathname, '/login');
  } finally {
    await page.context().close();
  }
});

test('after logout a guarded page leads to the login page', async () => {
  const page = await newPage();
  try {
    const { role, username, path: landing, zh } = byRole('instructor');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    await page.getByTestId('logout').click();
    await page.waitForURL(`${baseUrl}/login`);
    await page.goto(`${baseUrl}${landing}`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('returnUrl') === landing);
    await page.getByTestId('login-username').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => localStorage.getItem('aitrainer.refreshToken')), null);
  } finally {
    await page.context().close();
  }
});

test('a rejected access token is refreshed once for concurrent requests', async () => {
  const page = await newPage();
  try {
    const { role, username, zh } = byRole('school_admin');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    // The school page loads cohorts and users at once: both fail, one refresh must serve both.
    await page.evaluate(() => localStorage.setItem('aitrainer.accessToken', 'not-a-valid-token'));
    let refreshCalls = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/auth/refresh')) refreshCalls += 1;
    });
    await page.reload();
    await expectHeading(page, role, zh);
    await page.getByTestId('cohort-list').or(page.locator('.state--empty')).first().waitFor();
    await page.getByTestId('user-table').waitFor();
    assert.equal(refreshCalls, 1);
    assert.notEqual(await page.evaluate(() => localStorage.getItem('aitrainer.accessToken')), 'not-a-valid-token');
  } finally {
    await page.context().close();
  }
});

test('a refused refresh ends the session with a plain message', async () => {
  const page = await newPage();
  try {
    const { role, username, zh } = byRole('org_admin');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    await page.evaluate(() => {
      localStorage.setItem('aitrainer.accessToken', 'not-a-valid-token');
      localStorage.setItem('aitrainer.refreshToken', 'not-a-valid-refresh-token');
    });
    await page.reload();
    await page.waitForURL((url) => url.pathname === '/login');
    const notice = page.getByTestId('login-expired');
    await notice.waitFor({ state: 'visible' });
    assert.equal((await notice.textContent())?.trim(), '登录已过期，请重新登录');
  } finally {
    await page.context().close();
  }
});

test('a school admin adds a student; the ID hint and a taken username are shown beside the fields', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const { role, username, zh } = byRole('school_admin');
    await logIn(page, username);
    await expectHeading(page, role, zh);
    const form = page.getByTestId('add-student-form');
    await form.getByTestId('student-idNumber').fill('110105194912310021');
    await form.getByText('校验位不正确').waitFor();
    await form.getByTestId('student-realName').fill('王喆');
    await form.getByTestId('student-username').fill('e2e.student');
    await form.getByTestId('student-password').fill('Train2026x');
    await form.getByTestId('student-idNumber').fill('11010519491231002X');
    await form.getByText('证件号码格式正确').waitFor();
    await form.getByTestId('student-submit').click();
    await page.getByTestId('user-table').getByText('e2e.student').waitFor();

    // The same username again: the server's 409 appears beside the username field.
    await form.getByTestId('student-realName').fill('王喆');
    await form.getByTestId('student-username').fill('e2e.student');
    await form.getByTestId('student-password').fill('Train2026x');
    await form.getByTestId('student-idNumber').fill('11010519491231002X');
    await form.getByTestId('student-submit').click();
    await form.getByText('该用户名已被占用').waitFor();
    await page.screenshot({ path: path.join(SCREENS, 'school_admin-phone.png'), fullPage: true });
  } finally {
    await page.context().close();
  }
});
