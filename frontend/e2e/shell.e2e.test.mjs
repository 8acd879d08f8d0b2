// The application shell (issues 17 and 18.2): each role's side menu reaches every area of the role in one click
// from any page, every page has a title (in the tab and on the page), nested pages show breadcrumbs back to the
// role's home, at phone width the menu folds into a drawer, and list tables sort. Screenshots of each role's main
// pages at desktop and phone width land in tmp/e2e-screens/ (shell-desktop-*.png, shell-phone-*.png); an unknown
// address shows the 404 result page with the way home.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

/** Each role's menu, as a user reads it (zh-CN), in order. */
const MENUS = {
  'demo.student': ['工作台', '数据标注练习', '提示词练习', '我的考试'],
  'demo.instructor': ['工作台', '数据标注练习', '题库', '考试与组卷', '提示词任务', '人工复核'],
  'demo.school': ['工作台'],
  'demo.org': ['工作台', '考试场次', '证书管理', '提示词任务', '人工复核'],
  'demo.bureau': ['工作台', '证书查询核验'],
  'demo.admin': ['工作台', '任务队列', '提示词任务', '人工复核'],
};

/** Each role's pages for docs/screens.md (JPEG, the visible part): copied from here to docs/screens/. */
const DOC_SHOTS = path.join(SCREENS, 'screens');

let portal;
before(async () => {
  await mkdir(DOC_SHOTS, { recursive: true });
  portal = await startPortal('shell');
});
after(async () => portal?.stop());

async function signedIn(username, viewport) {
  const context = await portal.browser.newContext({ locale: 'zh-CN', viewport, ...(viewport.width < 500 && { isMobile: true, hasTouch: true }) });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${portal.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}

const menuLabels = (page, place) => page.getByTestId(`side-nav-${place}`).locator('a').allTextContents().then((all) => all.map((s) => s.trim()));

for (const [username, labels] of Object.entries(MENUS)) {
  test(`${username}: the side menu reaches every area; each page has a title and, below home, breadcrumbs`, async () => {
    const { context, page } = await signedIn(username, { width: 1280, height: 860 });
    try {
      await page.getByTestId('side-nav-side').waitFor();
      assert.deepEqual(await menuLabels(page, 'side'), labels);
      const home = new URL(page.url()).pathname;
      for (const label of labels) {
        const before = page.url();
        await page.getByTestId('side-nav-side').getByRole('link', { name: label, exact: true }).click();
        if (label !== '工作台') await page.waitForURL((url) => url.href !== before);
        await page.waitForFunction(() => document.querySelector('main h1')?.textContent?.trim().length > 0);
        await page.waitForLoadState('networkidle');
        const here = new URL(page.url()).pathname;
        const title = await page.title();
        assert.match(title, / · 人工智能训练师认证平台$/, `${here}: the tab names the page`);
        const link = page.getByTestId('side-nav-side').getByRole('link', { name: label, exact: true });
        assert.equal(await link.getAttribute('aria-current'), 'page', `${here}: the menu marks where the user is`);
        if (here === home) {
          assert.equal(await page.getByTestId('breadcrumbs').count(), 0, 'no breadcrumbs on the home page');
        } else {
          const crumbs = page.getByTestId('breadcrumbs');
          await crumbs.waitFor();
          assert.equal((await crumbs.getByRole('link').first().textContent()).trim(), '工作台', `${here}: breadcrumbs start at home`);
          assert.equal(await crumbs.getByRole('link').first().getAttribute('href'), home);
        }
        const shotName = `${username.replace('demo.', '')}${here.replaceAll('/', '-')}`;
        await page.screenshot({ path: path.join(SCREENS, `shell-desktop-${shotName}.png`), fullPage: true });
        await page.screenshot({ path: path.join(DOC_SHOTS, `${shotName}-desktop.jpg`), type: 'jpeg', quality: 55 });
        // The same page at phone width (the layout follows the width: side menu folded into the header's drawer).
        await page.setViewportSize({ width: 390, height: 844 });
        await page.getByTestId('menu-open').waitFor();
        await page.screenshot({ path: path.join(SCREENS, `shell-phone-${shotName}.png`), fullPage: true });
        await page.screenshot({ path: path.join(DOC_SHOTS, `${shotName}-phone.jpg`), type: 'jpeg', quality: 55 });
        await page.setViewportSize({ width: 1280, height: 860 });
        await page.getByTestId('side-nav-side').waitFor();
      }
    } finally {
      await context.close();
    }
  });
}

test('at phone width the menu is a drawer: it opens from the header, lists the role’s areas and closes on navigation', async () => {
  for (const [username, labels] of Object.entries(MENUS)) {
    const { context, page } = await signedIn(username, { width: 390, height: 844 });
    try {
      assert.equal(await page.getByTestId('side-nav-side').count(), 0, 'no side bar on a phone');
      const home = new URL(page.url()).pathname;
      await page.screenshot({ path: path.join(SCREENS, `shell-phone-${username.replace('demo.', '')}${home.replaceAll('/', '-')}.png`), fullPage: true });
      await page.getByTestId('menu-open').click();
      await page.getByTestId('side-nav-drawer').waitFor();
      assert.deepEqual(await menuLabels(page, 'drawer'), labels);
      await page.getByRole('button', { name: '关闭' }).click();
      await page.getByTestId('side-nav-drawer').waitFor({ state: 'detached' });
      await page.getByTestId('menu-open').click();
      await page.getByTestId('side-nav-drawer').waitFor();
      await page.screenshot({ path: path.join(SCREENS, `shell-phone-${username.replace('demo.', '')}-menu.png`) });
      const last = labels.at(-1);
      if (last !== '工作台') {
        await page.getByTestId('side-nav-drawer').getByRole('link', { name: last, exact: true }).click();
        await page.waitForURL((url) => url.pathname !== home);
        await page.getByTestId('side-nav-drawer').waitFor({ state: 'hidden' });
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${page.url()}: ${overflow}px wider than the phone`);
        await page.screenshot({ path: path.join(SCREENS, `shell-phone-${username.replace('demo.', '')}${new URL(page.url()).pathname.replaceAll('/', '-')}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  }
});

test('an address that leads nowhere shows the 404 result page, with the way back to the dashboard', async () => {
  const { context, page } = await signedIn('demo.org', { width: 1280, height: 860 });
  try {
    await page.goto(`${portal.baseUrl}/org/no-such-page`);
    const result = page.getByTestId('result-404');
    await result.getByRole('heading', { name: '页面不存在' }).waitFor();
    assert.match(await page.title(), /^页面不存在 · /);
    await page.screenshot({ path: path.join(SCREENS, 'shell-desktop-not-found.png') });
    await result.getByTestId('result-home').click();
    await page.waitForURL((url) => url.pathname === '/org');
  } finally {
    await context.close();
  }
});

test('a list table sorts by a column, both ways', async () => {
  const { context, page } = await signedIn('demo.admin', { width: 1280, height: 860 });
  try {
    const table = page.getByTestId('organisation-table');
    await table.locator('tbody tr').first().waitFor();
    const names = () => table.locator('tbody tr td:first-child').allTextContents().then((all) => all.map((s) => s.trim()));
    const shown = await names();
    assert.ok(shown.length >= 2, 'the demo has several organisations');
    const ascending = [...shown].sort((a, b) => a.localeCompare(b, 'zh-CN'));
    await table.locator('thead th').first().click();
    await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid=organisation-table] tbody tr td:first-child')].map((td) => td.textContent.trim()).join('|') === want, ascending.join('|'));
    await table.locator('thead th').first().click();
    await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid=organisation-table] tbody tr td:first-child')].map((td) => td.textContent.trim()).join('|') === want, [...ascending].reverse().join('|'));
  } finally {
    await context.close();
  }
});

test('the student home shows the next thing to do: nothing on an empty start, then the exam they are registered for', async () => {
  const { context, page } = await signedIn('demo.student', { width: 1280, height: 860 });
  try {
    await page.getByTestId('landing-student').waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByTestId('next-step').count(), 0, 'no course and no exam: no made-up next step');

    const { api } = apiClient(portal.baseUrl);
    const login = async (username) => api(null, 'POST', '/auth/login', { username, password: PASSWORD });
    const instructor = (await login('demo.instructor')).accessToken;
    const org = (await login('demo.org')).accessToken;
    const student = await login('demo.student');
    const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
    await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: 'IoU 越大重合越多。', answer: true }, tags });
    const exam = await api(instructor, 'POST', '/exams', {
      title: '导航测试考试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
      blueprint: [{ part: 'theory', type: 'true_false', count: 1, points: 100 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
    });
    await api(instructor, 'POST', `/exams/${exam.id}/publish`);
    const session = await api(org, 'POST', '/exam-sessions', { examId: exam.id, venue: 'B101', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await api(org, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: student.user.id });

    await page.reload();
    const next = page.getByTestId('next-step');
    await next.waitFor();
    assert.match(await next.textContent(), /已报名 1 场考试/);
    await next.getByTestId('next-step-action').click();
    await page.waitForURL(`${portal.baseUrl}/student/exams`);
  } finally {
    await context.close();
  }
});
