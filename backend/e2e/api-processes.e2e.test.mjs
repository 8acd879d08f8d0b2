// Process-level test of the one-command start on the embedded default with two API processes on one port
// (API_PROCESSES=2, Node's cluster module, SQLite): requests spread over both; sign-in sessions, refresh-token
// rotation, sign-out and the sign-in limit hold whichever process answers; /metrics sums both; a killed process is
// replaced while the other keeps answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/backend/main.cjs');

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('two API processes on one port share sessions, limits and metrics, and a dead one is replaced', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-api-processes-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main, 'all'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PORTAL_DIR: '', API_PROCESSES: '2', PASSWORD_HASH_COST: '1024', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  // A new connection per request (no keep-alive), so the primary's round robin shows.
  const call = (method, path, { token, body } = {}) =>
    new Promise((resolvePromise, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        { method, agent: false, headers: { ...(token && { Authorization: `Bearer ${token}` }), ...(payload && { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            resolvePromise({ status: res.statusCode, instance: res.headers['x-instance'], body: text && String(res.headers['content-type']).includes('json') ? JSON.parse(text) : text }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  try {
    const deadline = Date.now() + 90_000;
    while (!/in 2 processes/.test(output)) {
      assert.equal(child.exitCode, null, `the server exited:\n${output.slice(-3000)}`);
      assert.ok(Date.now() < deadline, `the server did not start:\n${output.slice(-3000)}`);
      await sleep(250);
    }

    // Both processes answer (the primary hands connections round robin; fetch opens new ones).
    const instances = new Set();
    for (let i = 0; i < 20 && instances.size < 2; i++) instances.add((await call('GET', '/api/health/live')).instance);
    assert.equal(instances.size, 2, `requests reached ${[...instances].join(', ')}`);

    // A sign-in made by one process is honoured by both.
    const login = await call('POST', '/api/v1/auth/login', { body: { username: 'demo.student', password: 'Demo@2026' } });
    assert.equal(login.status, 200);
    const seen = new Set();
    for (let i = 0; i < 12; i++) {
      const me = await call('GET', '/api/v1/me', { token: login.body.accessToken });
      assert.equal(me.status, 200, JSON.stringify(me.body));
      seen.add(me.instance);
    }
    assert.equal(seen.size, 2);

    // A refresh token works once; presented again (to whichever process) it ends the session in every process.
    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    assert.equal(refreshed.status, 200);
    assert.equal((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status, 401);
    for (let i = 0; i < 8; i++) assert.equal((await call('GET', '/api/v1/me', { token: refreshed.body.accessToken })).status, 401);

    // Signing out ends the session in every process.
    const second = await call('POST', '/api/v1/auth/login', { body: { username: 'demo.student', password: 'Demo@2026' } });
    for (let i = 0; i < 4; i++) assert.equal((await call('GET', '/api/v1/me', { token: second.body.accessToken })).status, 200);
    assert.equal((await call('POST', '/api/v1/auth/logout', { token: second.body.accessToken })).status, 204);
    for (let i = 0; i < 8; i++) assert.equal((await call('GET', '/api/v1/me', { token: second.body.accessToken })).status, 401);

    // The sign-in limit of one account from one address counts failures from both processes together: 5 are free
    // (by default), then the address waits 1 s, 2 s, 4 s … between tries (a 429 saying how long).
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await call('POST', '/api/v1/auth/login', { body: { username: 'demo.instructor', password: 'wrong-password' } }));
    const statuses = replies.map((r) => r.status);
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[5], 429, JSON.stringify(replies[5].body));
    assert.deepEqual(replies[5].body.params, { scope: 'address', retryAfter: 1 });
    // Later tries are refused while the wait lasts; one that comes after it fails again and starts a longer wait.
    assert.ok(statuses.slice(6).every((s) => s === 429 || s === 401), statuses.join(', '));

    // /metrics is the sum over both processes, whichever answers; ?scope=process is one process's share.
    const total = (text) => [...text.matchAll(/^aitrainer_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/auth\/login",status="(\d+)"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[2]), 0);
    for (let i = 0; i < 4; i++) assert.equal(total((await call('GET', '/metrics')).body), 10);
    const own = [];
    for (let i = 0; i < 6; i++) own.push(total((await call('GET', '/metrics?scope=process')).body));
    assert.ok(own.some((n) => n < 10), `per-process counts ${own.join(', ')}`);

    // One API process killed: the other keeps answering and the primary starts a replacement.
    const victim = [...instances][0];
    const pid = Number(victim.split('-').pop());
    process.kill(pid, 'SIGKILL');
    const after = new Set();
    const until = Date.now() + 60_000;
    while (after.size < 2 || after.has(victim)) {
      assert.ok(Date.now() < until, `no replacement process: ${[...after].join(', ')}\n${output.slice(-2000)}`);
      const res = await call('GET', '/api/health/live').catch(() => null);
      if (res?.status === 200) after.add(res.instance);
      if (after.has(victim)) after.delete(victim);
      await sleep(100);
    }
    assert.match(output, /ended \(SIGKILL\); starting another/);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(25_000)]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  assert.equal(child.exitCode, 0, `the primary ends cleanly on SIGTERM:\n${output.slice(-2000)}`);
});
