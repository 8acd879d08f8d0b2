// The courses journey in a browser: an instructor publishes a course, a school admin imports students
// (first a file with a bad row: nothing imported, an error report), enrols the cohort, and a student
// completes a lesson and sees progress move. Run after building both apps: node --test frontend/e2e/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { pickOption } from './support/portal-harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BACKEND = path.join(ROOT, 'dist/backend/main.cjs');
const PORTAL_DIR = path.join(ROOT, 'dist/frontend/browser');
const SCREENS = path.join(ROOT, 'tmp/e2e-screens');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DEMO_PASSWORD = 'Demo@2026';
const DEMO_COHORT = '2026级人工智能训练师1班';

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

/** A valid resident ID (GB 11643 check character) for person i. */
function residentId(i) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const first17 = `3301061998${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(101 + i).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, d, k) => s + Number(d) * weights[k], 0);
  return first17 + '10X98765432'[sum % 11];
}

before(async () => {
  assert.ok(existsSync(BACKEND), `missing ${BACKEND}: build the backend first`);
  assert.ok(existsSync(path.join(PORTAL_DIR, 'index.html')), `missing ${PORTAL_DIR}/index.html: build the portal first`);
  await mkdir(SCREENS, { recursive: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'aitrainer-e2e-courses-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  backend = spawn(process.execPath, [BACKEND], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PORTAL_DIR }, stdio: ['ignore', 'pipe', 'pipe'] });
  backend.stdout.on('data', (c) => (backendLog += c));
  backend.stderr.on('data', (c) => (backendLog += c));
  const deadline = Date.now() + Number(process.env.E2E_START_TIMEOUT_MS ?? 180_000);
  for (;;) {
    if (backend.exitCode !== null) throw new Error(`backend exited:\n${backendLog.slice(-3000)}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`backend did not start:\n${backendLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

after(async () => {
  await browser?.close();
  if (backend && backend.exitCode === null) {
    const exited = new Promise((r) => backend.once('exit', r));
    backend.kill('SIGTERM');
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function session(username) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

test('instructor publishes, school imports and enrols, student completes a lesson and sees progress', async () => {
  // 1. The instructor writes a one-lesson course and publishes it.
  const instructor = await session('demo.instructor');
  try {
    await instructor.getByTestId('new-course-title').fill('浏览器测试课程');
    await instructor.getByTestId('new-course-submit').click();
    await instructor.waitForURL(/\/instructor\/courses\/\d+$/);
    await instructor.getByTestId('course-min-time').locator('input').fill('10');
    await instructor.getByTestId('add-module').click();
    await instructor.getByTestId('add-lesson').click();
    await instructor.getByTestId('lesson-title').fill('第一课：什么是数据标注');
    await instructor.getByTestId('lesson-duration').locator('input').fill('1');
    await instructor.getByTestId('lesson-markdown').fill('# 数据标注\n\n为原始数据加上**标签**。\n\n<script>window.pwned = 1</script>');
    await instructor.getByTestId('preview-button').click();
    await instructor.getByTestId('preview').locator('strong', { hasText: '标签' }).waitFor();
    await instructor.getByTestId('save-draft').click();
    await instructor.getByTestId('editor-status').filter({ hasText: '草稿第 1 版' }).waitFor();
    await instructor.getByTestId('publish').click();
    await instructor.getByTestId('editor-status').filter({ hasText: '已发布第 1 版' }).waitFor();
    await instructor.screenshot({ path: path.join(SCREENS, 'course-editor.png'), fullPage: true });
  } finally {
    await instructor.context().close();
  }

  // 2. The school admin imports a roster: a bad row rejects the whole file with a report; the corrected file goes in.
  const school = await session('demo.school');
  try {
    const good = [0, 1, 2].map((i) => `新学员${i},居民身份证,${residentId(i)},1390000000${i},${DEMO_COHORT}`);
    const bad = `坏号码学员,居民身份证,${residentId(9).slice(0, 17)}${residentId(9)[17] === '0' ? '1' : '0'},,${DEMO_COHORT}`;
    const header = '姓名,证件类型,证件号码,手机号,班级';
    const badFile = path.join(dataDir, 'roster-bad.csv');
    const goodFile = path.join(dataDir, 'roster-good.csv');
    await writeFile(badFile, [header, ...good, bad].join('\n'));
    await writeFile(goodFile, [header, ...good].join('\n'));

    await school.getByTestId('roster-file').locator('input[type=file]').setInputFiles(badFile);
    await school.getByTestId('roster-submit').click();
    await school.getByTestId('roster-rejected').waitFor();
    const errors = school.getByTestId('roster-errors');
    await errors.locator('tr', { hasText: '坏号码学员' }).waitFor();
    assert.match(await errors.textContent(), /5.*坏号码学员.*证件号码/s);
    const [download] = await Promise.all([school.waitForEvent('download'), school.getByTestId('roster-report').click()]);
    const report = await readFile(await download.path(), 'utf8');
    assert.match(report, /5,坏号码学员,.*有问题/);
    assert.match(report, /2,新学员0,.*未导入/);
    await school.screenshot({ path: path.join(SCREENS, 'roster-rejected.png'), fullPage: true });

    await school.getByTestId('roster-file').locator('input[type=file]').setInputFiles(goodFile);
    await school.getByTestId('roster-submit').click();
    await school.getByTestId('roster-completed').filter({ hasText: '新建 3 名学员' }).waitFor();

    await school.getByTestId('cohort-link').filter({ hasText: DEMO_COHORT }).click();
    await school.getByTestId('cohort-title').waitFor();
    await school.getByTestId('cohort-students').locator('tr', { hasText: '新学员2' }).waitFor();
    await pickOption(school, school.getByTestId('enrol-course'), '浏览器测试课程', { exact: true });
    await school.getByTestId('enrol-submit').click();
    await school.getByTestId('notice').filter({ hasText: /已为 \d+ 名学员报名/ }).waitFor();
  } finally {
    await school.context().close();
  }

  // 3. The student opens the course, studies the lesson to its end, and sees progress move.
  const student = await session('demo.student');
  try {
    await student.getByTestId('my-courses').getByText('浏览器测试课程').waitFor();
    // The demo's courses are listed too: this course's line shows no lesson done yet.
    const progress = await student.getByTestId('my-course-progress').allTextContents();
    assert.ok(progress.some((text) => /已完成 0\/1 节/.test(text)), progress.join(' | '));
    await student.getByTestId('my-courses').getByText('浏览器测试课程').click();
    await student.getByTestId('course-progress').filter({ hasText: '已完成 0/1 节' }).waitFor();
    await student.getByTestId('continue').click();
    await student.getByTestId('lesson-title').filter({ hasText: '第一课' }).waitFor();
    // The script tag arrives as text, never as a script.
    assert.match(await student.getByTestId('lesson-body').textContent(), /<script>window.pwned = 1<\/script>/);
    assert.equal(await student.evaluate(() => window.pwned), undefined);
    // Not complete on opening: the server waits for time on the page (6 s here) and the end of the lesson.
    assert.notEqual(await student.getByTestId('lesson-status').getAttribute('data-status'), 'completed');
    await student.getByTestId('lesson-end').scrollIntoViewIfNeeded();
    await student.locator('[data-testid="lesson-status"][data-status="completed"]').waitFor({ timeout: 40_000 });
    await student.goto(`${student.url().replace(/\/lessons\/.*$/, '')}`);
    await student.getByTestId('course-progress').filter({ hasText: '已完成 1/1 节' }).waitFor();
    assert.match(await student.getByTestId('course-hours').textContent(), /学时 0 ?\/60 小时|学时 0\/60/);
    await student.screenshot({ path: path.join(SCREENS, 'student-course.png'), fullPage: true });
  } finally {
    await student.context().close();
  }
});
