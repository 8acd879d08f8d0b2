// Process-level test on the built backend: an API process and a worker process on one database (MySQL + Redis
// when TEST_MYSQL_URL / TEST_REDIS_URL are set, else a shared SQLite file and the in-process queue). The worker
// is killed with SIGKILL in the middle of grading; a new worker finishes the job, and exactly one grade exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { freePort, run } from './support/processes.mjs';


function startLlm() {
  const state = { candidateCalls: 0, judgeCalls: 0, hangFirst: true, onFirstCandidate: null, hanging: [] };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = body ? JSON.parse(body) : {};
    const messages = parsed.messages ?? [];
    const isJudge = messages.some((m) => m.role === 'system' && /examiner/.test(m.content));
    const answer = (content) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }));
    };
    if (isJudge) {
      state.judgeCalls++;
      return answer(JSON.stringify({ criteria: [{ id: 'clarity', score: 4, evidence: 'x', rationale: 'clear' }] }));
    }
    state.candidateCalls++;
    if (state.hangFirst) {
      state.hangFirst = false;
      state.hanging.push(res);
      state.onFirstCandidate?.();
      return; // never answers: the worker dies waiting
    }
    answer('负面');
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, state, url: `http://127.0.0.1:${server.address().port}/v1` })));
}

async function until(fn, ms = 60_000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a worker killed mid-job: the job completes once on the next worker', { timeout: 120_000 }, async () => {
  const llm = await startLlm();
  const dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-crash-'));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    DEMO_CONTENT: 'false',
    PORTAL_DIR: '',
    PASSWORD_HASH_COST: '1024',
    LLM_BASE_URL: llm.url,
    GRADING_LLM_SCREEN: 'false',
    LLM_MODEL: 'cand',
    LLM_JUDGE_MODEL: 'judge',
    LLM_TIMEOUT_MS: '120000',
    JOB_LEASE_MS: '2000',
    QUEUE_PREFIX: `aitrainer-crash-${randomBytes(3).toString('hex')}`,
  };
  let dbName = null;
  let mysql = null;
  if (process.env.TEST_MYSQL_URL) {
    mysql = await import('mysql2/promise');
    dbName = `aitrainer_crash_${randomBytes(3).toString('hex')}`;
    const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL);
    await conn.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
    await conn.end();
    const url = new URL(process.env.TEST_MYSQL_URL);
    url.pathname = `/${dbName}`;
    Object.assign(env, { DATABASE_URL: url.toString(), JWT_SECRET: randomBytes(32).toString('hex'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    if (process.env.TEST_REDIS_URL) env.REDIS_URL = process.env.TEST_REDIS_URL;
  }
  const procs = [];
  const api = run('api', env);
  procs.push(api);
  try {
    const base = `http://127.0.0.1:${port}/api`;
    await until(async () => (await fetch(`${base}/health`)).ok, 60_000, 'the API');
    const call = async (method, path, token, body) => {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: body && JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const login = async (username) => (await call('POST', '/v1/auth/login', null, { username, password: 'Demo@2026' })).body.accessToken;
    const [instructor, student] = [await login('demo.instructor'), await login('demo.student')];
    const definition = {
      title: '情感分类', scenario: '把评论分为正面或负面', variables: ['review'], visibleExamples: [],
      hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
      rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 4, descriptor: '清晰' }] }],
      weights: { execution: 50, rubric: 50 }, passMark: 60,
    };
    const task = await call('POST', '/v1/prompt-tasks', instructor, { definition });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    await call('POST', `/v1/prompt-tasks/${task.body.id}/publish`, instructor);

    const firstCandidate = new Promise((r) => (llm.state.onFirstCandidate = r));
    const worker1 = run('worker', env);
    procs.push(worker1);
    worker1.on('exit', (code, signal) => { if (signal !== 'SIGKILL') console.error(`worker 1 exited early (${code}):\n${worker1.output}`); });
    const answer = await call('POST', `/v1/practice/prompt-tasks/${task.body.id}/answers`, student, { prompt: '只输出正面或负面：{{review}}' });
    assert.equal(answer.status, 202);
    await Promise.race([firstCandidate, new Promise((_, reject) => setTimeout(() => reject(new Error(`worker never called the LLM:\n${worker1.output}`)), 60_000))]);

    worker1.kill('SIGKILL');
    await once(worker1, 'exit');
    for (const res of llm.state.hanging) res.destroy();
    assert.equal(llm.state.judgeCalls, 0, 'the first worker died before judging');

    const worker2 = run("worker", env);
    procs.push(worker2);
    const graded = await until(async () => {
      const r = await call('GET', `/v1/practice/prompt-answers/${answer.body.id}`, student);
      return r.body.status !== 'grading' ? r.body : null;
    }, 90_000, `the answer to be graded\n${worker2.output}`);
    // The job completed once: graded, or sent to review by the plausibility guard (the scripted judge rates an output
    // that fails the hidden checks highly).
    assert.ok(["graded", "needs_review"].includes(graded.status), graded.status);
    if (graded.status === "graded") assert.equal(graded.score, 100);
    assert.equal(llm.state.judgeCalls, 2, 'judged once (two runs), by the second worker only');

    let count;
    if (mysql) {
      const conn = await mysql.createConnection(env.DATABASE_URL);
      const [rows] = await conn.query("SELECT COUNT(*) AS n FROM grades WHERE subject_type = 'prompt_answer' AND subject_id = ?", [String(answer.body.id)]);
      count = Number(rows[0].n);
      await conn.end();
    } else {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(join(dataDir, 'app.sqlite'), { readonly: true });
      count = db.prepare("SELECT COUNT(*) AS n FROM grades WHERE subject_type = 'prompt_answer' AND subject_id = ?").get(String(answer.body.id)).n;
      db.close();
    }
    assert.equal(count, 1, 'exactly one grade');
  } finally {
    const running = procs.filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of running) p.kill('SIGKILL');
    await Promise.all(running.map((p) => once(p, 'exit')));
    llm.server.closeAllConnections?.();
    llm.server.close();
    if (dbName && mysql) {
      const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
