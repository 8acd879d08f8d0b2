// Process test on the built backend: an API and a worker process on MySQL + Redis, and Redis forgets everything
// (FLUSHDB on this test's own Redis database) while prompt answers are being graded and while an exam is running.
// The worker's reconciler re-enqueues what the database says is owed: every answer is graded once, and every
// attempt whose deadline passed while Redis was empty is submitted once, finish time = deadline, by the deadline.
// Needs TEST_MYSQL_URL and TEST_REDIS_URL (CI sets both); skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { freePort, run } from './support/processes.mjs';

const mysqlUrl = process.env.TEST_MYSQL_URL;
const redisBase = process.env.TEST_REDIS_URL;
const skip = !mysqlUrl || !redisBase ? 'needs TEST_MYSQL_URL and TEST_REDIS_URL (MySQL/MariaDB and Redis); skipped' : false;
/** This test's own Redis database: flushing it touches nobody else's keys. */
const REDIS_DB = 13;

/** An OpenAI-compatible server that holds every call while `held` is true: grading stays in flight. */
function startLlm() {
  const state = { candidateCalls: 0, judgeCalls: 0, held: true, waiting: [] };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = body ? JSON.parse(body) : {};
    const isJudge = (parsed.messages ?? []).some((m) => m.role === 'system' && /examiner/.test(m.content));
    if (isJudge) state.judgeCalls++;
    else state.candidateCalls++;
    const content = isJudge ? JSON.stringify({ criteria: [{ id: 'clarity', score: 4, evidence: 'x', rationale: 'clear' }] }) : '负面';
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }));
    };
    if (state.held) state.waiting.push(answer);
    else answer();
  });
  const release = () => {
    state.held = false;
    for (const answer of state.waiting.splice(0)) answer();
  };
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, state, release, url: `http://127.0.0.1:${server.address().port}/v1` })));
}

async function until(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

test('Redis flushed mid-grading and mid-exam: every grade made once, every overdue attempt submitted once at its deadline', { skip, timeout: 180_000 }, async (t) => {
  const started = Date.now();
  const { Redis } = await import('ioredis');
  const mysql = await import('mysql2/promise');
  const llm = await startLlm();
  const dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-redis-loss-'));
  const port = await freePort();
  const redisUrl = new URL(redisBase);
  redisUrl.pathname = `/${REDIS_DB}`;
  const redis = new Redis(redisUrl.toString());
  await redis.flushdb();
  const dbName = `aitrainer_rloss_${randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection(mysqlUrl);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  const dbUrl = new URL(mysqlUrl);
  dbUrl.pathname = `/${dbName}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DEMO_DATA: 'true',
    DEMO_CONTENT: 'false',
    PORTAL_DIR: '',
    PASSWORD_HASH_COST: '1024',
    LLM_BASE_URL: llm.url,
    GRADING_LLM_SCREEN: 'false',
    LLM_MODEL: 'cand',
    LLM_JUDGE_MODEL: 'judge',
    LLM_TIMEOUT_MS: '120000',
    RECONCILE_INTERVAL_MS: '1500',
    QUEUE_PREFIX: `aitrainer-rloss-${randomBytes(3).toString('hex')}`,
  };
  const procs = [];
  let conn = null;
  try {
    const api = run('api', env);
    procs.push(api);
    const base = `http://127.0.0.1:${port}/api`;
    await until(async () => (await fetch(`${base}/health`)).ok, 90_000, `the API\n${api.output.slice(-2000)}`);
    t.diagnostic(`API up after ${Date.now() - started} ms`);
    const worker = run('worker', env);
    procs.push(worker);
    const call = async (method, path, token, body) => {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: body && JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const login = async (username) => {
      const r = await call('POST', '/v1/auth/login', null, { username, password: 'Demo@2026' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.accessToken;
    };
    const [instructor, student, org, school] = [await login('demo.instructor'), await login('demo.student'), await login('demo.org'), await login('demo.school')];

    // A prompt task, and a one-part exam of 4 single-choice items (25 points each) with 4 candidates.
    const definition = {
      title: '情感分类', scenario: '把评论分为正面或负面', variables: ['review'], visibleExamples: [],
      hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
      rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 4, descriptor: '清晰' }] }],
      weights: { execution: 50, rubric: 50 }, passMark: 60,
    };
    const task = await call('POST', '/v1/prompt-tasks', instructor, { definition });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal((await call('POST', `/v1/prompt-tasks/${task.body.id}/publish`, instructor)).status, 200);
    const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
    for (let i = 0; i < 4; i++) {
      const q = await call('POST', '/v1/question-bank/questions', instructor, { type: 'single_choice', content: { stem: `对账题 ${i}`, options: ['A', 'B', 'C'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags });
      assert.equal(q.status, 201, JSON.stringify(q.body));
    }
    const exam = await call('POST', '/v1/exams', instructor, { title: '对账考试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 4, points: 25 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
    assert.equal(exam.status, 201, JSON.stringify(exam.body));
    assert.equal((await call('POST', `/v1/exams/${exam.body.id}/publish`, instructor)).status, 200);
    const candidates = [];
    for (let i = 0; i < 4; i++) {
      const username = `rloss.cand.${randomBytes(3).toString('hex')}`;
      const user = await call('POST', '/v1/users', school, { username, password: 'Demo@2026', realName: `考生${i}`, role: 'student', idDocumentType: 'passport', idNumber: `E${30_000_000 + i}` });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      candidates.push({ userId: user.body.id, token: await login(username) });
    }

    // Grading in flight: 8 prompt answers, the LLM holding every call.
    const answers = [];
    for (let i = 0; i < 8; i++) {
      const a = await call('POST', `/v1/practice/prompt-tasks/${task.body.id}/answers`, student, { prompt: `只输出正面或负面（${i}）：{{review}}` });
      assert.equal(a.status, 202, JSON.stringify(a.body));
      answers.push(a.body.id);
    }
    await until(async () => llm.state.waiting.length >= 1, 30_000, `the worker to call the LLM\n${worker.output}`);

    // An exam in progress: the session ends in a few seconds, so every deadline is the session's end.
    const endsAt = Date.now() + 7_000;
    const session = await call('POST', '/v1/exam-sessions', org, { examId: exam.body.id, venue: '对账考点', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(endsAt).toISOString() });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    for (const [i, c] of candidates.entries()) {
      const reg = await call('POST', `/v1/exam-sessions/${session.body.id}/registrations`, org, { userId: c.userId });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      const started = await call('POST', `/v1/exam-registrations/${reg.body.id}/attempts`, c.token, { part: 'theory' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(Date.parse(started.body.deadline), endsAt);
      c.attemptId = started.body.id;
      // Candidates 0 and 1 answer every item right, 2 and 3 half of them.
      for (const [k, q] of started.body.questions.entries()) {
        const saved = await call('PUT', `/v1/attempts/${c.attemptId}/answers/${q.questionId}`, c.token, { seq: 1, value: i < 2 || k % 2 === 0 ? 'A' : 'B' });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
      }
      c.expected = i < 2 ? 100 : 50;
    }
    assert.ok(Date.now() < endsAt - 2_000, 'the setup left time before the deadline');

    t.diagnostic(`set up after ${Date.now() - started} ms`);
    // Redis forgets: the waiting and running grading jobs, and every delayed deadline job. The deadline passes.
    await sleep(endsAt - 1_500 - Date.now());
    await redis.flushdb();
    const flushedAt = Date.now();
    await sleep(endsAt + 1_000 - Date.now());
    llm.release();

    conn = await mysql.createConnection(env.DATABASE_URL);
    const ids = candidates.map((c) => c.attemptId);
    const attempts = await until(async () => {
      const [r] = await conn.query(`SELECT id, state, submitted_by, finished_at_ms, deadline_ms, score FROM exam_attempts WHERE id IN (${ids.join(',')})`);
      return r.every((a) => a.state === 'submitted' && a.score !== null) ? r : null;
    }, 30_000, `the overdue attempts to be submitted and scored\n${worker.output.slice(-4000)}`);
    const graded = await until(async () => {
      const [r] = await conn.query(`SELECT id, status FROM prompt_answers WHERE id IN (${answers.join(',')})`);
      return r.every((a) => a.status !== 'grading') ? r : null;
    }, 30_000, `the prompt answers to be graded\n${worker.output.slice(-4000)}`);
    assert.ok(flushedAt < endsAt, 'Redis was flushed before the deadline');
    await sleep(3_500); // two more reconciliations: a second run would have landed by now

    for (const a of attempts) {
      const c = candidates.find((x) => x.attemptId === a.id);
      assert.equal(a.submitted_by, 'deadline', `attempt ${a.id}`);
      assert.equal(Number(a.finished_at_ms), Number(a.deadline_ms), `attempt ${a.id}: finish time is the deadline`);
      assert.equal(Number(a.score), c.expected, `attempt ${a.id}: scored once`);
    }
    const [items] = await conn.query(`SELECT attempt_id, COUNT(*) AS n FROM exam_item_scores WHERE attempt_id IN (${ids.join(',')}) GROUP BY attempt_id`);
    assert.equal(items.length, 4);
    for (const s of items) assert.equal(Number(s.n), 4, `attempt ${s.attempt_id}: 4 item scores, written once`);
    const [results] = await conn.query(`SELECT r.registration_id, r.detail FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id WHERE g.session_id = ?`, [session.body.id]);
    assert.equal(results.length, 4, 'a result per candidate');

    for (const a of graded) assert.ok(['graded', 'needs_review'].includes(a.status), `answer ${a.id}: ${a.status}`);
    const [grades] = await conn.query(`SELECT subject_id, COUNT(*) AS n FROM grades WHERE subject_type = 'prompt_answer' AND subject_id IN (${answers.map((a) => `'${a}'`).join(',')}) GROUP BY subject_id`);
    assert.equal(grades.length, 8, 'every answer has its grade');
    for (const g of grades) assert.equal(Number(g.n), 1, `answer ${g.subject_id}: one grade`);
    // One candidate call and two judge runs per answer: no answer was graded twice.
    assert.equal(llm.state.candidateCalls, 8, 'one candidate call per answer');
    assert.equal(llm.state.judgeCalls, 16, 'judged once (two runs) per answer');
    assert.match(worker.output, /Offered \d+ owed job\(s\)/, 'the reconciler logged what it re-enqueued');
  } finally {
    const running = procs.filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of running) p.kill('SIGKILL');
    await Promise.all(running.map((p) => once(p, 'exit')));
    llm.release();
    llm.server.closeAllConnections?.();
    llm.server.close();
    await conn?.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    await redis.flushdb();
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
