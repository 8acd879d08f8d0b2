import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnv, type TestEnv } from './support/test-app';

/** What a browser is told on every kind of answer: the portal page, its files, the API, errors. */
let t: TestEnv;
const portal = mkdtempSync(join(tmpdir(), 'portal-'));
writeFileSync(join(portal, 'index.html'), '<!doctype html><html><head><script src="main.js"></script></head><body><app-root></app-root></body></html>');
writeFileSync(join(portal, 'main.js'), 'console.log(1)');

beforeAll(async () => {
  t = await startTestEnv({ PORTAL_DIR: portal });
});
afterAll(async () => t?.close());

const expectHardened = (headers: Record<string, string>) => {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self'(;|$)/); // no inline scripts, no eval
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['x-powered-by']).toBeUndefined();
};

it('the portal page, its scripts, API answers and errors all carry the security headers', async () => {
  const page = await t.http().get('/exams/1').set('Accept', 'text/html');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<app-root>');
  expectHardened(page.headers);
  expectHardened((await t.http().get('/main.js')).headers);
  expectHardened((await t.http().get('/api/health/live')).headers);
  const login = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'demo.student', password: 'wrong-password' });
  expect(login.status).toBe(401);
  expectHardened(login.headers);
  const malformed = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": ');
  expect(malformed.status).toBe(400);
  expectHardened(malformed.headers);
  expectHardened((await t.http().get('/api/v1/no-such-route')).headers);
});

it('on plain http the CSP does not ask for upgrades (that would break the embedded start)', async () => {
  const res = await t.http().get('/api/health/live');
  expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
});
