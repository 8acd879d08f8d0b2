// A candidate takes a short exam on a phone-sized screen, loses the network mid-way (the page goes offline), keeps
// answering, comes back online, and every answer is stored; then the countdown runs out and the server submits the
// attempt with finish time = deadline. Run after building both apps:  node --test --test-concurrency=1 frontend/e2e/
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, pickOption, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;


const { api, login } = apiClient(() => baseUrl);

before(async () => {
  portal = await startPortal('exams');
  ({ baseUrl, browser } = portal);
});

after(async () => portal?.stop());

const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };

test('a candidate answers through a network outage; nothing is lost; the countdown runs out and the server submits', async () => {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const studentLogin = await api(null, 'POST', '/auth/login', { username: 'demo.student', password: PASSWORD });
  const student = studentLogin.accessToken;
  for (let i = 1; i <= 3; i++) {
    await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: `判断题 ${i}：标注前应阅读标注规范。`, answer: true }, tags });
    await api(instructor, 'POST', '/question-bank/questions', {
      type: 'single_choice',
      content: { stem: `单选题 ${i}：实体级 F1 要求什么一致？`, options: [{ key: 'A', text: '类型和边界' }, { key: 'B', text: '只看类型' }, { key: 'C', text: '只看起点' }], correctKeys: ['A'] },
      tags,
    });
  }
  const exam = await api(instructor, 'POST', '/exams', {
    title: 'E2E 理论考试',
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
    blueprint: [{ part: 'theory', type: 'true_false', count: 3, points: 1 }, { part: 'theory', type: 'single_choice', count: 3, points: 1 }],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  // The session closes 50 s from now: that caps the deadline, so the countdown runs out within the test.
  const session = await api(admin, 'POST', '/exam-sessions', { examId: exam.id, venue: '考点 E2E', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 50_000).toISOString() });
  const reg = await api(admin, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: studentLogin.user.id });

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', () => assert.fail('no window dialogs: the portal asks in its own dialog'));
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-exams').click();
    await page.getByTestId(`start-theory-${reg.id}`).click();
    await page.waitForURL(/\/student\/exams\/attempts\/\d+$/);
    const attemptId = Number(new URL(page.url()).pathname.split('/').pop());
    const answerCurrent = async (n) => {
      await page.getByTestId(`nav-${n}`).click();
      await page.locator('.options label').first().click();
    };

    // Online: two answers, saved.
    await answerCurrent(1);
    await answerCurrent(2);
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'));
    await page.getByTestId('flag').click();
    // Zoneless Angular renders after the click asynchronously: wait for the state, never read it at once.
    await page.waitForFunction(() => document.querySelector('[data-testid=nav-2]')?.classList.contains('flagged'));

    // The network goes away; the candidate keeps answering.
    await context.setOffline(true);
    await answerCurrent(3);
    await answerCurrent(4);
    await answerCurrent(5);
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('网络断开'));
    await page.waitForFunction(
      (id) => Object.keys(JSON.parse(localStorage.getItem(`aitrainer.exam.${id}.pending`) ?? '{}')).length >= 3,
      attemptId,
      { timeout: 10_000 },
    );
    const kept = await page.evaluate((id) => JSON.parse(localStorage.getItem(`aitrainer.exam.${id}.pending`) ?? '{}'), attemptId);
    assert.equal(Object.keys(kept).length, 3, 'the three offline answers are kept on the device');
    await page.screenshot({ path: path.join(SCREENS, 'exam-room-offline.png') });

    // Back online: the queue drains by itself.
    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'), null, { timeout: 20_000 });
    const stored = await api(student, 'GET', `/attempts/${attemptId}`);
    assert.equal(stored.answers.length, 5, 'every answer is stored on the server');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'));

    // Nobody submits: the countdown runs out and the server submits at the deadline.
    await page.getByTestId('attempt-submitted').waitFor({ timeout: 75_000 });
    const final = await api(student, 'GET', `/attempts/${attemptId}`);
    assert.equal(final.state, 'submitted');
    assert.equal(final.finishedAt, final.deadline, 'finish time = deadline');
    assert.equal(final.answers.length, 5);
    await page.screenshot({ path: path.join(SCREENS, 'exam-room-submitted.png') });
  } finally {
    await context.close();
  }
});

/** The wall clock `yyyy-MM-dd HH:mm` in Asia/Shanghai (UTC+8, no daylight saving) as an instant. */
const shanghai = (day, time) => Date.parse(`${day}T${time}:00+08:00`);

test('session start and end: typed with the keyboard alone, or clicked in the pickers, they are the instants in China Standard Time whatever the browser\'s zone', async () => {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const title = 'E2E 场次时间考试';
  await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: '场次时间：标注前应阅读标注规范。', answer: true }, tags });
  const exam = await api(instructor, 'POST', '/exams', {
    title,
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
    blueprint: [{ part: 'theory', type: 'true_false', count: 1, points: 1 }],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);

  // A browser in New York (UTC-5 in March): the portal reads times in its display zone, China Standard Time.
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const sessionAt = async (venue) => {
    await page.locator('article', { hasText: venue }).waitFor();
    const rows = await api(admin, 'GET', '/exam-sessions');
    const row = rows.find((r) => r.venue === venue);
    assert.ok(row, `the session at ${venue} is listed`);
    return [Date.parse(row.startsAt), Date.parse(row.endsAt)];
  };
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.org');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${baseUrl}/org/exam-sessions`);

    // 1. Keyboard only: from the venue, Tab into the start's date, type, Tab to its time, type, and so on; Enter submits.
    await pickOption(page, page.getByTestId('session-exam'), title);
    await page.getByTestId('session-venue').fill('键盘考点');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'session-starts', 'Tab from the venue goes to the start date');
    await page.keyboard.type('2027-03-15', { delay: 15 });
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'session-starts-time', 'Tab from the date goes to the time');
    await page.keyboard.type('09:30', { delay: 15 });
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'session-ends');
    await page.keyboard.type('2027-03-15', { delay: 15 });
    await page.keyboard.press('Tab');
    await page.keyboard.type('11:05', { delay: 15 });
    await page.keyboard.press('Tab');
    // What was typed stays shown after leaving each input.
    assert.equal(await page.locator('#session-starts').inputValue(), '2027-03-15');
    assert.equal(await page.locator('#session-starts-time').inputValue(), '09:30');
    assert.equal(await page.locator('#session-ends-time').inputValue(), '11:05');
    await page.keyboard.press('Enter'); // on the schedule button, the next stop after the end's time
    const [typedStart, typedEnd] = await sessionAt('键盘考点');
    assert.equal(new Date(typedStart).toISOString(), new Date(shanghai('2027-03-15', '09:30')).toISOString(), 'the typed start is 09:30 in Shanghai');
    assert.equal(new Date(typedEnd).toISOString(), new Date(shanghai('2027-03-15', '11:05')).toISOString(), 'the typed end is 11:05 in Shanghai');
    await page.screenshot({ path: path.join(SCREENS, 'org-session-typed.png') });

    // 2. Clicking: today in the date panel, then an hour and a minute in the time panel (a click elsewhere commits).
    await page.reload();
    await pickOption(page, page.getByTestId('session-exam'), title);
    await page.getByTestId('session-venue').fill('点选考点');
    const pickByClicks = async (field, hour, minute) => {
      await page.getByTestId(`${field}-date`).click();
      await page.locator('.ant-picker-dropdown:visible .ant-picker-today-btn').click();
      await page.getByTestId(`${field}-time`).click();
      const columns = page.locator('.ant-picker-dropdown:visible .ant-picker-time-panel-column');
      await columns.nth(0).locator('li', { hasText: new RegExp(`^${hour}$`) }).click();
      await columns.nth(1).locator('li', { hasText: new RegExp(`^${minute}$`) }).click();
      await page.locator('h1').click(); // outside the panel
      await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => {});
    };
    await pickByClicks('session-starts', '14', '45');
    await pickByClicks('session-ends', '16', '00');
    await page.getByTestId('session-schedule').click();
    const [clickedStart, clickedEnd] = await sessionAt('点选考点');
    // "Today" is the browser's calendar day (New York); the hour and minute are read in Shanghai.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    assert.equal(new Date(clickedStart).toISOString(), new Date(shanghai(today, '14:45')).toISOString(), 'the clicked start is 14:45 in Shanghai');
    assert.equal(new Date(clickedEnd).toISOString(), new Date(shanghai(today, '16:00')).toISOString(), 'the clicked end is 16:00 in Shanghai');
    assert.deepEqual(errors, [], 'no errors in the console (the pickers format in Chinese)');
  } finally {
    await context.close();
  }
});
