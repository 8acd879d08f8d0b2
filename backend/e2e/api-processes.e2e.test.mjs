// Process-level test of the one-command start on the embedded default with two API processes on one port
// (API_PROCESSES=2, Node's cluster module, SQLite): requests spread over both; sign-in sessions, refresh-token
// rotation, sign-out, an attempt's deadline and the sign-in limit hold whichever process answers; /metrics sums both;
// a killed process is replaced while the other keeps answering.
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

test('two API processes on one port share sessions, deadlines, limits and metrics, and a dead one is replaced', { timeout: 180_000 }, async () => {
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

    // Deadlines live in the database: before an attempt's deadline both processes save its answers, after it both
    // refuse them, and the worker submits the attempt once, finished at the deadline.
    const signIn = async (username) => (await call('POST', '/api/v1/auth/login', { body: { username, password: 'Demo@2026' } })).body;
    const [instructor, orgAdmin, candidate] = [await signIn('demo.instructor'), await signIn('demo.org'), await signIn('demo.student')];
    const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
    const question = { type: 'single_choice', content: { stem: '截止时间测试题', options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags };
    assert.equal((await call('POST', '/api/v1/question-bank/questions', { token: instructor.accessToken, body: question })).status, 201);
    const exam = await call('POST', '/api/v1/exams', { token: instructor.accessToken, body: { title: '截止时间测试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 1, points: 100 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } } });
    assert.equal(exam.status, 201, JSON.stringify(exam.body));
    assert.equal((await call('POST', `/api/v1/exams/${exam.body.id}/publish`, { token: instructor.accessToken })).status, 200);
    const endsAt = Date.now() + 12_000; // room for the set-up above on a slow machine
    const session = await call('POST', '/api/v1/exam-sessions', { token: orgAdmin.accessToken, body: { examId: exam.body.id, venue: 'C301', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(endsAt).toISOString() } });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const registration = await call('POST', `/api/v1/exam-sessions/${session.body.id}/registrations`, { token: orgAdmin.accessToken, body: { userId: candidate.user.id } });
    assert.equal(registration.status, 201, JSON.stringify(registration.body));
    const attempt = await call('POST', `/api/v1/exam-registrations/${registration.body.id}/attempts`, { token: candidate.accessToken, body: { part: 'theory' } });
    assert.equal(attempt.status, 200, JSON.stringify(attempt.body));
    assert.ok(Math.abs(Date.parse(attempt.body.deadline) - endsAt) < 1000, `deadline ${attempt.body.deadline}, session end ${new Date(endsAt).toISOString()}`);
    const saveOn = (seq, value) => call('PUT', `/api/v1/attempts/${attempt.body.id}/answers/${attempt.body.questions[0].questionId}`, { token: candidate.accessToken, body: { seq, value } });
    const savedBy = new Set();
    for (let seq = 1; savedBy.size < 2; seq++) {
      assert.ok(seq <= 12 && Date.now() < endsAt - 500, 'both processes saved before the deadline');
      const res = await saveOn(seq, 'B');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.saved, true);
      savedBy.add(res.instance);
    }
    await sleep(Math.max(0, Date.parse(attempt.body.deadline) - Date.now() + 300));
    const refusedBy = new Set();
    for (let seq = 100; refusedBy.size < 2; seq++) {
      assert.ok(seq < 112, `refused by ${[...refusedBy].join(', ')}`);
      const res = await saveOn(seq, 'C');
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.ok(['DEADLINE_PASSED', 'ATTEMPT_SUBMITTED'].includes(res.body.fields?.[0]?.code), JSON.stringify(res.body));
      refusedBy.add(res.instance);
    }
    let view;
    for (const until = Date.now() + 60_000; ; await sleep(250)) {
      view = (await call('GET', `/api/v1/attempts/${attempt.body.id}`, { token: candidate.accessToken })).body;
      if (view.state !== 'in_progress' || Date.now() > until) break;
    }
    assert.equal(view.state, 'submitted', JSON.stringify(view));
    assert.equal(view.finishedAt, attempt.body.deadline);
    assert.equal(view.answers.length, 1, JSON.stringify(view.answers));
    assert.equal(view.answers[0].value, 'B', 'no save after the deadline was stored');
    assert.ok(view.answers[0].seq < 100, 'no save after the deadline was stored');

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
    for (let i = 0; i < 4; i++) assert.equal(total((await call('GET', '/metrics')).body), 13);
    const own = [];
    for (let i = 0; i < 6; i++) own.push(total((await call('GET', '/metrics?scope=process')).body));
    assert.ok(own.some((n) => n < 13), `per-process counts ${own.join(', ')}`);

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
