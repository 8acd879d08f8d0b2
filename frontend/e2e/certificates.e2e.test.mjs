// Certificates and verification (issue 7): an exam pass issues a pair; the public /verify page shows it valid with
// its level and one not-found answer for a wrong name; the org admin revokes it and is asked about the twin; /verify
// shows revoked; a bureau verifier creates an API key (shown once) and bulk-checks a CSV. Build both apps first.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { issuedPair } from './support/issued-pair.mjs';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;


const { api, login } = apiClient(() => baseUrl);

before(async () => {
  portal = await startPortal('certs');
  ({ baseUrl, browser } = portal);
});

after(async () => portal?.stop());

async function signIn(page, username) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
}

test('verify, revoke with the twin question, verify again, bureau key and bulk check', async () => {
  const { skill, enterprise, holderName, admin } = await issuedPair(api, login);
  assert.equal(skill.number.length, 22);

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', () => assert.fail('no window dialogs: the page asks in its own dialog'));
  try {
    // The login page links to the public verification page.
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-verify-link').click();
    await page.waitForURL(/\/verify$/);

    // The QR code's link pre-fills the number; a valid certificate shows its level and twin.
    await page.goto(`${baseUrl}/verify?number=${encodeURIComponent(skill.number)}`);
    assert.equal(await page.getByTestId('verify-number').inputValue(), skill.number);
    await page.getByTestId('verify-name').fill(holderName);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid=verify-result][data-status=valid]').waitFor();
    assert.equal((await page.getByTestId('verify-level').textContent()).trim(), '四级/中级工');
    assert.match(await page.getByTestId('verify-twin').textContent(), new RegExp(enterprise.number));
    assert.match(await page.getByTestId('verify-status').textContent(), /证书有效/);
    await page.screenshot({ path: path.join(SCREENS, 'verify-valid.png'), fullPage: true });

    // A wrong name: the one not-found answer.
    await page.getByTestId('verify-name').fill(`${holderName}甲`);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid=verify-result][data-status=not_found]').waitFor();
    assert.match(await page.getByTestId('verify-result').textContent(), /未查到该证书/);

    // The holder sees both certificates on the student page and downloads the PDF.
    await signIn(page, 'demo.student');
    await page.getByTestId('my-cert-pdf-skill_level').waitFor();
    const downloaded = page.waitForEvent('download', { timeout: 20_000 });
    await page.getByTestId('my-cert-pdf-skill_level').click();
    const pdf = await downloaded;
    await page.screenshot({ path: path.join(SCREENS, 'my-certificates.png'), fullPage: true });
    assert.equal(pdf.suggestedFilename(), `${skill.number}.pdf`);
    assert.equal((await readFile(await pdf.path())).subarray(0, 5).toString(), '%PDF-');
    await page.getByTestId('logout').click().catch(() => undefined);
    await context.clearCookies();
    await page.evaluate(() => localStorage.clear());

    // The org admin revokes the skill certificate; the page asks about the enterprise twin.
    const orgPage = await context.newPage();
    orgPage.setDefaultTimeout(15_000);
    await signIn(orgPage, 'demo.org');
    await orgPage.getByTestId('link-certificates').click();
    // The list of issued certificates shows both of the pair; searching by the holder's name finds them; one opens.
    await orgPage.getByTestId(`cert-row-${skill.id}`).waitFor();
    await orgPage.getByTestId(`cert-row-${enterprise.id}`).waitFor();
    await orgPage.getByTestId('cert-search').fill(holderName);
    await orgPage.getByTestId('cert-search-submit').click();
    await orgPage.waitForFunction(() => document.querySelectorAll('[data-testid^=cert-row-]').length === 2);
    await orgPage.getByTestId('cert-search').fill('查无此人');
    await orgPage.getByTestId('cert-search-submit').click();
    await orgPage.getByTestId('cert-list-empty').waitFor();
    await orgPage.getByTestId('cert-search').fill('');
    await orgPage.getByTestId('cert-search-submit').click();
    await orgPage.getByTestId(`cert-open-${skill.id}`).click();
    await orgPage.waitForFunction((n) => document.querySelector('[data-testid=cert-number]')?.textContent?.trim() === n, skill.number);
    await orgPage.getByTestId('cert-action-revoked').click();
    await orgPage.getByTestId('cert-reason').fill('证书信息有误');
    await orgPage.getByTestId('cert-status-submit').click();
    await orgPage.getByTestId('twin-dialog').waitFor({ state: 'visible' });
    assert.match(await orgPage.getByTestId('twin-dialog').textContent(), new RegExp(enterprise.number));
    await orgPage.screenshot({ path: path.join(SCREENS, 'certificate-twin-question.png') });
    await orgPage.getByTestId('twin-revoke').click();
    await orgPage.getByTestId('twin-dialog').waitFor({ state: 'hidden' });
    await orgPage.waitForFunction(() => document.querySelector('[data-testid=cert-status]')?.textContent?.includes('已撤销'));
    assert.equal((await api(admin, 'GET', `/certificates/${enterprise.id}`)).status, 'revoked', 'the twin was revoked too');
    // The list follows: both rows now say revoked.
    await orgPage.waitForFunction((ids) => ids.every((id) => document.querySelector(`[data-testid=cert-row-${id}]`)?.textContent?.includes('已撤销')), [skill.id, enterprise.id]);
    await orgPage.close();

    // Public verification now says revoked, with the date.
    await page.goto(`${baseUrl}/verify?number=${encodeURIComponent(skill.number)}`);
    await page.getByTestId('verify-name').fill(holderName);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid=verify-result][data-status=revoked]').waitFor();
    assert.match(await page.getByTestId('verify-status-date').textContent(), /撤销时间/);
    await page.screenshot({ path: path.join(SCREENS, 'verify-revoked.png'), fullPage: true });
  } finally {
    await context.close();
  }

  // The bureau verifier: an API key shown once, then a bulk check of a CSV with it.
  const bctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const bureau = await bctx.newPage();
  bureau.setDefaultTimeout(15_000);
  try {
    await signIn(bureau, 'demo.bureau');
    await bureau.getByTestId('landing-bureau_verifier').waitFor();
    await bureau.getByTestId('api-key-name').fill('E2E 批量核验');
    await bureau.getByTestId('api-key-create').click();
    const key = (await bureau.getByTestId('api-key-value').textContent()).trim();
    assert.ok(key.length >= 24, 'the new key is shown');
    await bureau.locator('[data-testid=api-key-list] tbody tr').first().waitFor();
    assert.doesNotMatch(await bureau.getByTestId('api-key-list').textContent(), new RegExp(key), 'the list shows only the prefix');
    assert.equal(await bureau.getByTestId('bulk-api-key').inputValue(), key);
    await bureau.getByTestId('api-key-hide').click();
    await bureau.getByTestId('api-key-created').waitFor({ state: 'detached' });

    const csv = `number,name\n${skill.number},${holderName}\n${enterprise.number},${holderName}\n${skill.number},${holderName}甲\n`;
    await bureau.getByTestId('bulk-file').locator('input[type=file]').setInputFiles({ name: 'check.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await bureau.getByTestId('bulk-submit').click();
    await bureau.getByTestId('bulk-result').waitFor();
    assert.equal(await bureau.locator('[data-testid=bulk-counts] li[data-status=revoked] .count').textContent(), '2');
    assert.equal(await bureau.locator('[data-testid=bulk-counts] li[data-status=not_found] .count').textContent(), '1');
    const [download] = await Promise.all([bureau.waitForEvent('download'), bureau.getByTestId('bulk-download').click()]);
    const text = await readFile(await download.path(), 'utf8');
    assert.match(text, /^行号,证书编号,核验结果/); // the result file in the reader's language
    assert.match(text, /已撤销/);
    assert.equal(text.trim().split('\n').length, 4);
    await bureau.screenshot({ path: path.join(SCREENS, 'bureau-bulk.png'), fullPage: true });

    // The roster export downloads an Excel file (xlsx is a zip).
    const [roster] = await Promise.all([bureau.waitForEvent('download'), bureau.getByTestId('roster-export').click()]);
    assert.equal(roster.suggestedFilename(), 'certificate-roster.xlsx');
    assert.equal((await readFile(await roster.path())).subarray(0, 2).toString(), 'PK');

    // After a reload the key is gone from the page: it was shown once.
    await bureau.reload();
    await bureau.locator('[data-testid=api-key-list] tbody tr').first().waitFor();
    assert.equal(await bureau.getByTestId('api-key-created').count(), 0);
    assert.doesNotMatch(await bureau.content(), new RegExp(key));
  } finally {
    await bctx.close();
  }

  // Too many checks from one client: the page says so in plain words (the limit is per client IP per minute).
  let throttled = false;
  for (let i = 0; i < 120 && !throttled; i++) {
    const res = await fetch(`${baseUrl}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: `Y00013301000126400${String(i).padStart(4, '0')}`, name: '王五' }) });
    throttled = res.status === 429;
  }
  assert.ok(throttled, 'the public limit answers 429');
  const tctx = await browser.newContext({ locale: 'zh-CN' });
  const tpage = await tctx.newPage();
  tpage.setDefaultTimeout(15_000);
  try {
    await tpage.goto(`${baseUrl}/verify?number=${encodeURIComponent(skill.number)}&name=${encodeURIComponent(holderName)}`);
    await tpage.getByTestId('verify-submit').click();
    await tpage.getByTestId('verify-error').waitFor();
    assert.match(await tpage.getByTestId('verify-error').textContent(), /查询过于频繁/);
  } finally {
    await tctx.close();
  }
});
