// Open Badges 3.0 wallet form (issue 19): the holder saves the certificate as JSON from their page; on the public
// verification page, uploading that file answers valid with the certificate's number; a pasted copy with one changed
// field answers invalid; the pasted VC-JWT answers valid as well. Build both apps first.
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
  portal = await startPortal('certs-wallet');
  ({ baseUrl, browser } = portal);
});

after(async () => portal?.stop());

test('the holder downloads the wallet JSON and the public page verifies it; a changed copy is invalid', async () => {
  const { skill } = await issuedPair(api, login);
  const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('my-cert-wallet-skill_level').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByTestId('my-cert-wallet-skill_level').click()]);
    assert.equal(download.suggestedFilename(), `${skill.number}.json`);
    const file = await download.path();
    const wallet = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(wallet.proof.cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(wallet.credentialSubject.certificate.number, skill.number);

    // The public page, signed out: upload the file.
    const visitor = await browser.newContext({ locale: 'zh-CN' });
    const verify = await visitor.newPage();
    verify.setDefaultTimeout(15_000);
    await verify.goto(`${baseUrl}/verify`);
    await verify.getByTestId('verify-credential-file').locator('input[type=file]').setInputFiles(file);
    const result = verify.getByTestId('verify-credential-result');
    await result.and(verify.locator('[data-status="valid"]')).waitFor();
    assert.equal(await verify.getByTestId('verify-credential-number').textContent(), skill.number);
    assert.match(await verify.getByTestId('verify-credential-kind').textContent(), /eddsa-rdfc-2022/);
    await verify.screenshot({ path: path.join(SCREENS, 'verify-wallet-json.png'), fullPage: true });

    // One changed field: invalid, and no printed fields are shown.
    const changed = structuredClone(wallet);
    changed.credentialSubject.certificate.level = 1;
    await verify.getByTestId('verify-credential-text').fill(JSON.stringify(changed));
    await verify.getByTestId('verify-credential-submit').click();
    await result.and(verify.locator('[data-status="invalid"]')).waitFor();
    assert.equal(await verify.getByTestId('verify-credential-number').count(), 0);

    // The VC-JWT form pasted on the same page.
    await verify.getByTestId('verify-credential-text').fill(skill.credential);
    await verify.getByTestId('verify-credential-submit').click();
    await result.and(verify.locator('[data-status="valid"]')).waitFor();
    assert.match(await verify.getByTestId('verify-credential-kind').textContent(), /VC-JWT/);
    await visitor.close();
  } finally {
    await context.close();
  }
});
