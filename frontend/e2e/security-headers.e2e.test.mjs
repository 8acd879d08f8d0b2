// The portal runs under its Content-Security-Policy: no inline script, no violation reported while signing in and
// opening the pages of every role. Run after `nx run frontend:build` and `nx run backend:build`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PASSWORD, startPortal } from './support/portal-harness.mjs';

let portal;
before(async () => {
  portal = await startPortal('csp');
});
after(async () => portal?.stop());

const ROLES = [
  ['demo.student', '/student'],
  ['demo.instructor', '/instructor'],
  ['demo.school', '/school'],
  ['demo.org', '/org'],
  ['demo.bureau', '/bureau'],
  ['demo.admin', '/admin'],
];

test('the portal loads, signs in and renders every role home with no CSP violation', { timeout: 180_000 }, async () => {
  const { baseUrl, browser } = portal;
  const consoleViolations = [];
  for (const [username, home] of ROLES) {
    // A context per role: the signed-in session lives in the browser's storage.
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    // Record violations in the page itself (securitypolicyviolation) and what Chromium says on the console.
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) consoleViolations.push(`${username}: ${m.text()}`);
      });
      const response = await page.goto(`${baseUrl}/login`);
      const csp = response.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, 'the page is served with a CSP that allows no inline script');
      assert.match(csp, /frame-ancestors 'none'/);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(`${baseUrl}${home}`);
      await page.locator('main h1, main h2').first().waitFor();
      // The styles applied (an unstyled page would mean the stylesheet was refused).
      const background = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.ok(background.length > 0);
      const violations = await page.evaluate(() => window.__cspViolations);
      assert.deepEqual(violations, [], `${username}: ${violations.join('\n')}`);
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(consoleViolations, []);
});

test('the built index.html carries no inline script or event handler', async () => {
  const html = await (await fetch(`${portal.baseUrl}/`, { headers: { accept: 'text/html' } })).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler (onload=...)');
});
