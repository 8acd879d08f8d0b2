// Cluster tests on the built backend (scripts/cluster.mjs): 2 API processes behind the Node reverse proxy and 2
// workers, on MySQL and Redis. They need TEST_MYSQL_URL and TEST_REDIS_URL (CI sets both) and are skipped
// otherwise: a cluster on SQLite and the in-process store would prove nothing about sharing state.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { startCluster } from '../../scripts/cluster.mjs';

const mysqlUrl = process.env.TEST_MYSQL_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const skip = !mysqlUrl || !redisUrl ? 'cluster tests need TEST_MYSQL_URL and TEST_REDIS_URL (MySQL/MariaDB and Redis); skipped' : false;

/** An OpenAI-compatible server: the candidate model answers 负面, the judge gives full marks. */
function startLlm() {
  const state = { candidateCalls: 0, judgeCalls: 0 };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = body ? JSON.parse(body) : {};
    const messages = parsed.messages ?? [];
    const isJudge = messages.some((m) => m.role === 'system' && /examiner/.test(m.content));
    const content = isJudge ? JSON.stringify({ criteria: [{ id: 'clarity', score: 4, evidence: 'x', rationale: 'clear' }] }) : '负面';
    if (isJudge) state.judgeCalls++;
    else state.candidateCalls++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, state, url: `http://127.0.0.1:${server.address().port}/v1` })));
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

describe('a cluster of 2 API and 2 worker processes', { skip, timeout: 240_000 }, () => {
  let cluster;
  let llm;
  let dataDir;

  // A client address of this suite's own for calls straight to an API process (the proxy replaces it with the address it saw).
  const clientIp = `10.77.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
  const call = async (base, method, path, token, body, headers = {}) => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp, ...(token && { authorization: `Bearer ${token}` }), ...headers },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, instance: res.headers.get('x-instance'), requestId: res.headers.get('x-request-id'), body: text ? JSON.parse(text) : null };
  };
  const login = async (base, username) => {
    const r = await call(base, 'POST', '/v1/auth/login', null, { username, password: 'Demo@2026' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.accessToken;
  };

  before(async () => {
    // Throttle counters, queues and LLM limits live under this cluster's own QUEUE_PREFIX in Redis.
    llm = await startLlm();
    dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-cluster-'));
    cluster = await startCluster({
      mysqlUrl,
      redisUrl,
      database: `aitrainer_cluster_${randomBytes(3).toString('hex')}`,
      dataDir,
      port: 0,
      dropDatabaseOnStop: true,
      processEnv: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PASSWORD_HASH_COST: '1024',
        PORTAL_DIR: '',
        LOG_FORMAT: 'json',
        QUEUE_PREFIX: `aitrainer-cluster-${randomBytes(3).toString('hex')}`,
        LLM_BASE_URL: llm.url,
        GRADING_LLM_SCREEN: 'false',
        LLM_MODEL: 'cand',
        LLM_JUDGE_MODEL: 'judge',
      },
    });
  });

  after(async () => {
    await cluster?.stop();
    llm?.server.closeAllConnections?.();
    llm?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the proxy spreads requests over both API processes', async () => {
    const seen = new Set();
    for (let i = 0; i < 6; i++) seen.add((await call(cluster.url, 'GET', '/health')).instance);
    assert.deepEqual([...seen].sort(), ['api-1', 'api-2']);
  });

  test('overdue attempts are submitted once by the workers; publishing on both APIs at once issues one pair each', async () => {
    const [api1, api2] = cluster.apis;
    const apis = [api1.url, api2.url];
    const instructor = await login(cluster.url, 'demo.instructor');
    const org = await login(cluster.url, 'demo.org');
    const school = await login(cluster.url, 'demo.school');
    const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
    for (let i = 0; i < 4; i++) {
      const q = await call(cluster.url, 'POST', '/v1/question-bank/questions', instructor, { type: 'single_choice', content: { stem: `集群题 ${i}`, options: ['A', 'B', 'C'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags });
      assert.equal(q.status, 201, JSON.stringify(q.body));
    }
    const exam = await call(cluster.url, 'POST', '/v1/exams', instructor, { title: '集群考试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 4, points: 25 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
    assert.equal(exam.status, 201, JSON.stringify(exam.body));
    assert.equal((await call(cluster.url, 'POST', `/v1/exams/${exam.body.id}/publish`, instructor)).status, 200);
    assert.equal((await call(cluster.url, 'PUT', '/v1/certificates/issuer-settings', org, { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' })).status, 200);
    assert.equal((await call(cluster.url, 'POST', '/v1/certificates/signing-keys/rotate', org)).status, 200);

    // Six candidates; the session ends soon, so every attempt's deadline is the session's end.
    const candidates = [];
    for (let i = 0; i < 6; i++) {
      const username = `cluster.cand.${randomBytes(3).toString('hex')}`;
      const user = await call(cluster.url, 'POST', '/v1/users', school, { username, password: 'Demo@2026', realName: `考生${i}`, role: 'student', idDocumentType: 'passport', idNumber: `E${20_000_000 + i}` });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      candidates.push({ userId: user.body.id, token: await login(cluster.url, username) });
    }
    const endsAt = Date.now() + 12_000;
    const session = await call(cluster.url, 'POST', '/v1/exam-sessions', org, { examId: exam.body.id, venue: '集群考点', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(endsAt).toISOString() });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const served = new Set();
    for (const [i, c] of candidates.entries()) {
      const reg = await call(cluster.url, 'POST', `/v1/exam-sessions/${session.body.id}/registrations`, org, { userId: c.userId });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      // Requests alternate between the two API processes: start on one, answers on both.
      const started = await call(apis[i % 2], 'POST', `/v1/exam-registrations/${reg.body.id}/attempts`, c.token, { part: 'theory' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(Date.parse(started.body.deadline), endsAt, 'the deadline is capped by the session end');
      c.attemptId = started.body.id;
      c.firstQuestionId = started.body.questions[0].questionId;
      for (const [k, q] of started.body.questions.entries()) {
        // Candidates 0-3 answer everything right (pass); 4 and 5 answer B (fail).
        const saved = await call(apis[(i + k) % 2], 'PUT', `/v1/attempts/${c.attemptId}/answers/${q.questionId}`, c.token, { seq: 1, value: i < 4 ? 'A' : 'B' });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        served.add(saved.instance);
      }
    }
    assert.deepEqual([...served].sort(), ['api-1', 'api-2']);

    // Nobody submits: after the deadline the workers' delayed jobs do, each attempt once, finish time = deadline.
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection(cluster.databaseUrl);
    try {
      const ids = candidates.map((c) => c.attemptId);
      const rows = await until(async () => {
        const [r] = await conn.query(`SELECT id, state, submitted_by, finished_at_ms, deadline_ms FROM exam_attempts WHERE id IN (${ids.join(',')})`);
        return r.every((a) => a.state === 'submitted') ? r : null;
      }, 60_000, 'the workers to submit the overdue attempts');
      for (const a of rows) {
        assert.equal(a.submitted_by, 'deadline', `attempt ${a.id}`);
        assert.equal(Number(a.finished_at_ms), Number(a.deadline_ms), `attempt ${a.id}: finish time is the deadline`);
      }
      await new Promise((r) => setTimeout(r, 1500)); // a second submission would have landed by now
      const [scored] = await conn.query(`SELECT attempt_id, COUNT(*) AS n FROM exam_item_scores WHERE attempt_id IN (${ids.join(',')}) GROUP BY attempt_id`);
      assert.equal(scored.length, 6);
      for (const s of scored) assert.equal(Number(s.n), 4, `attempt ${s.attempt_id} scored once (4 items)`);
      const late = await call(api2.url, 'PUT', `/v1/attempts/${candidates[0].attemptId}/answers/${candidates[0].firstQuestionId}`, candidates[0].token, { seq: 99, value: 'B' });
      assert.equal(late.status, 409, `a save after the deadline is refused: ${JSON.stringify(late.body)}`);

      // The org admin publishes on both API processes at the same moment: one certificate pair per passing result.
      const published = await Promise.all([api1.url, api2.url].map((u) => call(u, 'POST', `/v1/exam-sessions/${session.body.id}/results/publish`, org)));
      for (const p of published) assert.equal(p.status, 200, JSON.stringify(p.body));
      const userIds = candidates.map((c) => c.userId).join(',');
      const certs = await until(async () => {
        const [r] = await conn.query(`SELECT holder_user_id, kind, number FROM certificates WHERE holder_user_id IN (${userIds})`);
        return r.length >= 8 ? r : null;
      }, 60_000, 'certificates for the four passing candidates');
      await new Promise((r) => setTimeout(r, 1500)); // a duplicate issue would have landed by now
      const [all] = await conn.query(`SELECT holder_user_id, kind, number FROM certificates WHERE holder_user_id IN (${userIds})`);
      assert.equal(all.length, 8, `exactly 4 pairs: ${JSON.stringify(all)}`);
      assert.equal(certs.length, 8);
      const perHolder = new Map();
      for (const c of all) perHolder.set(c.holder_user_id, [...(perHolder.get(c.holder_user_id) ?? []), c.kind].sort());
      assert.deepEqual([...perHolder.keys()].sort(), candidates.slice(0, 4).map((c) => c.userId).sort());
      for (const kinds of perHolder.values()) assert.equal(kinds.length, 2);
      assert.equal(new Set(all.map((c) => c.number)).size, 8, 'numbers are unique');
    } finally {
      await conn.end();
    }
  });

  test('the public verification limit is one budget across both API processes', async () => {
    const ip = `10.88.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
    const [api1, api2] = cluster.apis;
    const outcomes = [];
    for (let i = 0; i < 100; i++) {
      const r = await call(i % 2 ? api2.url : api1.url, 'POST', '/v1/verify', null, { number: `S00021100012326300${String(i).padStart(4, '0')}`, name: '王五' }, { 'x-forwarded-for': ip });
      outcomes.push({ status: r.status, instance: r.instance });
    }
    // VERIFY_PER_MINUTE defaults to 60: 60 answers in all, not 60 per process.
    assert.equal(outcomes.filter((o) => o.status === 200).length, 60, JSON.stringify(outcomes.map((o) => o.status)));
    assert.equal(outcomes.filter((o) => o.status === 429).length, 40);
    assert.ok(outcomes.some((o) => o.status === 429 && o.instance === 'api-1') && outcomes.some((o) => o.status === 429 && o.instance === 'api-2'), 'both processes refuse once the shared budget is spent');
  });

  test('a spoofed X-Forwarded-For through the proxy does not escape the verification limit', async () => {
    const outcomes = [];
    for (let i = 0; i < 80; i++) {
      const spoofed = `198.51.100.${i % 250}, 203.0.113.${(i * 7) % 250}`;
      const r = await call(cluster.url, 'POST', '/v1/verify', null, { number: `S00021100012326301${String(i).padStart(4, '0')}`, name: '王五' }, { 'x-forwarded-for': spoofed });
      outcomes.push(r.status);
    }
    assert.equal(outcomes.filter((s) => s === 200).length, 60, JSON.stringify(outcomes));
    assert.equal(outcomes.filter((s) => s === 429).length, 20);
  });

  test('login throttling holds across processes: 5 failures of one account from one address on alternating APIs, then that address waits', async () => {
    const instances = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(cluster.url, 'POST', '/v1/auth/login', null, { username: 'demo.school', password: 'wrong-password' });
      assert.equal(r.status, 401, JSON.stringify(r.body));
      instances.push(r.instance);
    }
    assert.ok(instances.includes('api-1') && instances.includes('api-2'), `failures reached both APIs: ${instances}`);
    // Even the right password is refused from that address for the wait (1 s after the fifth failure), on either
    // process: the same client address through the same proxy, which spreads the tries over both APIs.
    const refused = [];
    for (let i = 0; i < 2; i++) {
      const r = await call(cluster.url, 'POST', '/v1/auth/login', null, { username: 'demo.school', password: 'Demo@2026' });
      assert.equal(r.status, 429, `${r.instance}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.params?.scope, 'address');
      refused.push(r.instance);
    }
    assert.ok(refused.includes('api-1') && refused.includes('api-2'), `both APIs refused: ${refused}`);
  });

  test('a logout on one API is honoured by the other', async () => {
    const [api1, api2] = cluster.apis;
    const token = await login(api1.url, 'demo.bureau');
    assert.equal((await call(api2.url, 'GET', '/v1/me', token)).status, 200);
    assert.equal((await call(api2.url, 'POST', '/v1/auth/logout', token)).status, 204);
    const after = await call(api1.url, 'GET', '/v1/me', token);
    assert.equal(after.status, 401);
    assert.equal(after.instance, 'api-1');
  });

  test('a prompt answer submitted through API 1 is graded once, by one of the two workers, with its request id', async () => {
    const [api1] = cluster.apis;
    const instructor = await login(cluster.url, 'demo.instructor');
    const student = await login(cluster.url, 'demo.student');
    const definition = {
      title: '情感分类', scenario: '把评论分为正面或负面', variables: ['review'], visibleExamples: [],
      hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
      rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 4, descriptor: '清晰' }] }],
      weights: { execution: 50, rubric: 50 }, passMark: 60,
    };
    const task = await call(cluster.url, 'POST', '/v1/prompt-tasks', instructor, { definition });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal((await call(cluster.url, 'POST', `/v1/prompt-tasks/${task.body.id}/publish`, instructor)).status, 200);

    const requestId = `cluster-${randomBytes(6).toString('hex')}`;
    const answer = await call(api1.url, 'POST', `/v1/practice/prompt-tasks/${task.body.id}/answers`, student, { prompt: '只输出正面或负面：{{review}}' }, { 'x-request-id': requestId });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.instance, 'api-1');
    assert.equal(answer.requestId, requestId);

    const graded = await until(async () => {
      const r = await call(cluster.url, 'GET', `/v1/practice/prompt-answers/${answer.body.id}`, student);
      return r.body.status !== 'grading' ? r.body : null;
    }, 90_000, 'the answer to be graded');
    // Completed once: graded, or sent to review by the plausibility guard (the scripted judge rates highly an output that
    // fails the hidden checks).
    assert.ok(['graded', 'needs_review'].includes(graded.status), graded.status);
    if (graded.status === 'graded') assert.equal(graded.score, 100);
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate run would have started by now
    assert.equal(llm.state.candidateCalls, 1, 'one candidate run: the job ran once');
    assert.equal(llm.state.judgeCalls, 2, 'the judge runs twice within one grading');

    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection(cluster.databaseUrl);
    const [rows] = await conn.query("SELECT COUNT(*) AS n FROM grades WHERE subject_type = 'prompt_answer' AND subject_id = ?", [String(answer.body.id)]);
    await conn.end();
    assert.equal(Number(rows[0].n), 1, 'exactly one grade');

    // The worker that ran the job logged it under the HTTP request's id.
    const ran = cluster.workers.filter((w) => w.process.output.includes(requestId));
    assert.equal(ran.length, 1, `exactly one worker logged request ${requestId}`);
  });

  test('the proxy stops sending requests to an API process that died', async () => {
    const api2 = cluster.apis[1];
    api2.process.kill('SIGKILL');
    await once(api2.process, 'exit');
    const answered = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(cluster.url, 'GET', '/health/live');
      assert.equal(r.status, 200);
      answered.push(r.instance);
    }
    assert.deepEqual([...new Set(answered)], ['api-1']);
  });
});
