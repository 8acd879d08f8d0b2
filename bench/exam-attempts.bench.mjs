// Exam attempts under load (issue 6). N simulated candidates (default 2,000) start within 10 s, autosave 20 answers
// each at random moments over a minute, then all submit within 10 s. Prints throughput and p50/p95/p99 latency for
// start, save and submit, and answers acknowledged vs stored (must be equal). Then the same saves, closed-loop, through
// the product and through a bare node:http + mysql2 handler, printed as a ratio.
//
//   node bench/exam-attempts.bench.mjs [--candidates 2000[,5000,10000]] [--answers 20] [--spread 60] [--window 10] [--ratio-seconds 10] [--ratio-rounds 3]
//
// With a list of sizes each size runs on its own fresh database and processes, and a capacity table closes the run:
// per size the served rate and p99 of start, save and submit, and the CPU time each process spent during the storm
// (API processes, worker, MariaDB, Redis, this load generator). The save ratio against the bare handler is measured
// once, after the first size, with wrk (Debian package) driving both sides; without wrk, by a Node closed loop.
// After each size the same storm (the same schedule of starts, saves and submits, the same statements, answered with
// the product's bytes) runs against the bare handler alone (`--no-bare-storm` skips it): the machine's own limit.
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=tmp/prof' node bench/exam-attempts.bench.mjs …   (profiles the API and worker)
//
// Needs the built backend (dist/backend/main.cjs), MySQL/MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306)
// and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14). Runs the API and a worker as two processes on a
// throwaway database, like production. Exit code 1 when a target is missed or an acknowledged answer is missing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { BARE_CLUSTER_PRELUDE } from './support/bare-cluster.mjs';
import { createLeanClient } from './support/lean-http.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The product's API runs API_PROCESSES processes (default one per core); the bare handler runs as many. */
const API_PROCESSES = Number(process.env.API_PROCESSES) || availableParallelism();
const BACKEND = path.join(ROOT, 'dist/backend/main.cjs');
const { values: opts } = parseArgs({
  allowNegative: true,
  options: {
    candidates: { type: 'string', default: '2000' },
    answers: { type: 'string', default: '20' },
    spread: { type: 'string', default: '60' },
    window: { type: 'string', default: '10' },
    'ratio-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'ratio-rounds': { type: 'string', default: '3' },
    'bare-storm': { type: 'boolean', default: true },
  },
});
const SIZES = String(opts.candidates).split(',').map((x) => Number(x.trim())).filter((x) => x > 0);
assert.ok(SIZES.length, '--candidates takes a number or a comma-separated list');
const ANSWERS = Number(opts.answers);
const SPREAD_MS = Number(opts.spread) * 1000;
const WINDOW_MS = Number(opts.window) * 1000;
const RATIO_MS = Number(opts['ratio-seconds']) * 1000;
const CONNECTIONS = Number(opts.connections);
const ROUNDS = Math.max(1, Number(opts['ratio-rounds']));
const BARE_STORM = opts['bare-storm'];
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const PASSWORD = 'Demo@2026';

assert.ok(existsSync(BACKEND), `missing ${BACKEND}: build the backend first (npx nx build backend)`);

// The load generator shares the machine with what it measures: requests go through a lean keep-alive client
// (bench/support/lean-http.mjs, about a fifth of Node's http client's CPU a request). NODE_HTTP_CLIENT=1 uses
// Node's http client instead, as before 2026-12-06's sixth session.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const leanClients = new Map();
function request(base, method, url, token, body) {
  if (!process.env.NODE_HTTP_CLIENT) {
    let client = leanClients.get(base);
    if (!client) leanClients.set(base, (client = createLeanClient(base, { maxSockets: 256 })));
    return client.request(method, url, token, body);
  }
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      `${base}${url}`,
      { method, agent, headers: { ...(token && { Authorization: `Bearer ${token}` }), ...(payload && { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode, body: json, ms: performance.now() - started });
        });
      },
    );
    req.on('error', (e) => resolve({ status: 0, body: { message: e.message }, ms: performance.now() - started }));
    if (payload) req.write(payload);
    req.end();
  });
}
const must = async (promise, what) => {
  const res = await promise;
  if (res.status >= 400 || res.status === 0) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Runs `fn` over items with at most `limit` in flight. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The save storm: each candidate sends ANSWERS saves at random moments over SPREAD_MS (`save(candidate, k, index)`). */
async function saveStorm(candidates, save) {
  const per = await Promise.all(
    candidates.map(async (c, i) => {
      const moments = Array.from({ length: ANSWERS }, () => Math.random() * SPREAD_MS).sort((a, b) => a - b);
      const out = [];
      let elapsed = 0;
      for (let k = 0; k < ANSWERS; k++) {
        await sleep(moments[k] - elapsed);
        elapsed = moments[k];
        out.push(await save(c, k, i));
      }
      return out;
    }),
  );
  return per.flat();
}
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
function summary(name, samples, wallMs) {
  const ok = samples.filter((s) => s.status >= 200 && s.status < 300);
  const ms = ok.map((s) => s.ms).sort((a, b) => a - b);
  const line = `${name.padEnd(8)} ${String(ok.length).padStart(6)} ok ${String(samples.length - ok.length).padStart(4)} failed  ${(ok.length / (wallMs / 1000)).toFixed(0).padStart(6)}/s  p50 ${pct(ms, 50).toFixed(1).padStart(6)} ms  p95 ${pct(ms, 95).toFixed(1).padStart(6)} ms  p99 ${pct(ms, 99).toFixed(1).padStart(6)} ms`;
  console.log(line);
  const failures = samples.filter((s) => !(s.status >= 200 && s.status < 300));
  if (failures.length) console.log(`         first failure: ${failures[0].status} ${JSON.stringify(failures[0].body).slice(0, 200)}`);
  return { p99: pct(ms, 99), failed: failures.length };
}

function spawnBackend(mode, env, log) {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=tmp/prof", profiles the product's processes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BACKEND, mode], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c) => log.push(String(c)));
  child.stderr.on('data', (c) => log.push(String(c)));
  return child;
}

async function waitHealthy(base, child, log) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`backend exited:\n${log.join('').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`backend did not start:\n${log.join('').slice(-3000)}`);
    const res = await request(base, 'GET', '/api/health');
    if (res.status === 200) return;
    await sleep(300);
  }
}

const BARE_SERVER = `${BARE_CLUSTER_PRELUDE}const http = require('node:http');
const fs = require('node:fs');
const mysql = require('mysql2/promise');
const pool = mysql.createPool({ uri: process.env.DB_URL, connectionLimit: 10 });
const SQL = "INSERT INTO bench_bare_answers (attempt_id, question_id, seq, value, updated_at_ms) SELECT ?, ?, ?, ?, ? FROM bench_bare_attempts WHERE id = ? AND state = 'in_progress' AND deadline_ms >= ? ON DUPLICATE KEY UPDATE value = IF(VALUES(seq) > seq, VALUES(value), value), updated_at_ms = IF(VALUES(seq) > seq, VALUES(updated_at_ms), updated_at_ms), seq = GREATEST(seq, VALUES(seq))";
// The storm's start and submit: the product's own conditional statements, answered with the product's own bodies
// (a paper as the product served it, a submitted attempt's view), so the bytes on the wire match too.
const START_SQL = "UPDATE bench_bare_attempts SET state = 'in_progress', deadline_ms = ? WHERE id = ? AND state = 'registered'";
const SUBMIT_SQL = "UPDATE bench_bare_attempts SET state = 'submitted' WHERE id = ? AND state = 'in_progress'";
const read = (name) => (process.env[name] ? fs.readFileSync(process.env[name], 'utf8') : '{}');
const START_BODY = read('START_BODY_FILE');
const SUBMIT_BODY = read('SUBMIT_BODY_FILE');
const server = http.createServer((req, res) => {
  const m = /^\\/attempts\\/(\\d+)\\/(?:answers\\/(\\d+)|(start|submit))$/.exec(req.url);
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    try {
      const id = Number(m[1]);
      const now = Date.now();
      let answer;
      if (m[3] === 'start') {
        const [r] = await pool.execute(START_SQL, [now + 3600000, id]);
        answer = r.affectedRows === 1 ? START_BODY : null;
      } else if (m[3] === 'submit') {
        const [r] = await pool.execute(SUBMIT_SQL, [id]);
        answer = r.affectedRows === 1 ? SUBMIT_BODY : null;
      } else {
        const { seq, value } = JSON.parse(body);
        await pool.execute(SQL, [id, Number(m[2]), seq, JSON.stringify(value), now, id, now]);
        answer = JSON.stringify({ seq, saved: true });
      }
      res.writeHead(answer === null ? 409 : 200, { 'Content-Type': 'application/json' });
      res.end(answer ?? '{}');
    } catch (e) {
      res.writeHead(500);
      res.end(String(e.message));
    }
  });
});
server.keepAliveTimeout = 65000; // as the product's API
server.listen(Number(process.env.PORT), '127.0.0.1', () => { if (!cluster.isWorker) console.log('ready'); });
`;

/** Closed loop: `connections` clients each send one save after another for `ms`. Returns requests/s. */
async function closedLoop(send, ms) {
  const end = performance.now() + ms;
  let done = 0;
  let failed = 0;
  let firstFailure = null;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      while (performance.now() < end) {
        const res = await send(c);
        if (res.status >= 200 && res.status < 300) done++;
        else {
          failed++;
          firstFailure ??= `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        }
      }
    }),
  );
  if (firstFailure) console.log(`  first failure: ${firstFailure}`);
  return { rps: done / (ms / 1000), failed };
}

// ---- CPU time per process (Linux /proc): the API's processes, the worker, MariaDB, Redis and this load generator ----
const TICKS = 100; // USER_HZ
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
  } catch {
    return 0;
  }
}
function childrenOf(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}
const pidOf = (name) => (spawnSync('pidof', [name], { encoding: 'utf8' }).stdout || '').trim().split(/\s+/).filter(Boolean).map(Number);
/** Named groups of pids whose CPU time is sampled: the API (its primary and the processes it forks), worker, MariaDB, Redis. */
function processGroups(apiPid, workerPid) {
  return {
    api: [apiPid, ...childrenOf(apiPid)],
    worker: [workerPid],
    mariadb: [...pidOf('mariadbd'), ...pidOf('mysqld')],
    redis: pidOf('redis-server'),
  };
}
function cpuSnapshot(groups) {
  const snap = {};
  for (const [name, pids] of Object.entries(groups)) snap[name] = pids.reduce((t, pid) => t + cpuTicks(pid), 0) / TICKS;
  const own = process.cpuUsage();
  snap['load generator'] = (own.user + own.system) / 1e6;
  return snap;
}
const cpuDelta = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]));

// ---- the save ratio driven by wrk: both sides get the same saves with rising seqs ----
const hasWrk = () => !process.env.NO_WRK && !spawnSync('wrk', ['--version']).error;
const WRK_THREADS = 2;
function wrkSaveScript(items, prefix, seqBase) {
  // items: [path, token, value]; each request takes the next item, its seq above every earlier round's. Each wrk thread
  // has its own counter and its own share of the items, as each candidate's browser saves its own answers: so two
  // saves of one answer never meet, and a save's seq is always newer than the answer's last. (Until 2026-12-06's sixth
  // session both threads walked all the items in step: two saves of one answer met all the time, and once one thread
  // ran ahead the other's saves were older ones, which the product answers through its full route.)
  const rows = items.map(([p, token, value]) => `{"${prefix}${p}","${token}","${value}"}`).join(',\n');
  return `local items = {\n${rows}\n}
local share = ${Math.floor(items.length / WRK_THREADS)}
local n = 0
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
request = function()
  n = n + 1
  local it = items[tid * share + (n % share) + 1]
  local seq = ${seqBase} + n * 8 + tid
  return wrk.format("PUT", it[1], { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. it[2] }, '{"seq":' .. seq .. ',"value":"' .. it[3] .. '"}')
end
`;
}
function runWrk(base, script, seconds, connections) {
  const r = spawnSync('wrk', [`-t${WRK_THREADS}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, base], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const p99m = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(r.stdout);
  const p99 = p99m ? Number(p99m[1]) * (p99m[2] === 'us' ? 0.001 : p99m[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { rps, p99, failed: non2xx };
}

async function runSize(N, measureRatio) {
  const dbName = `aitrainer_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const dbUrl = new URL(MYSQL_URL);
  dbUrl.pathname = `/${dbName}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    DEMO_DATA: 'true',
    DEMO_CONTENT: 'false',
    PASSWORD_HASH_COST: '1024',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    PORTAL_DIR: '',
  };
  const log = [];
  const children = [];
  let bare;
  const result = { candidates: N, misses: [] };
  try {
    const api = spawnBackend('api', env, log);
    children.push(api);
    await waitHealthy(base, api, log);
    const worker = spawnBackend('worker', env, log);
    children.push(worker);

    // ---- setup: questions, exam, session, N candidates registered ----
    const login = async (username) => must(request(base, 'POST', '/api/v1/auth/login', undefined, { username, password: PASSWORD }), `login ${username}`);
    const instructor = (await login('demo.instructor')).accessToken;
    const orgAdmin = (await login('demo.org')).accessToken;
    const school = (await login('demo.school')).accessToken;
    const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
    for (let i = 0; i < ANSWERS; i++) {
      await must(
        request(base, 'POST', '/api/v1/question-bank/questions', instructor, { type: 'single_choice', content: { stem: `单选题 ${i + 1}`, options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags }),
        'question',
      );
    }
    const exam = await must(
      request(base, 'POST', '/api/v1/exams', instructor, { title: '压测考试', level: 4, parts: [{ part: 'theory', durationMinutes: 90, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: ANSWERS, points: 100 / ANSWERS }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } }),
      'exam',
    );
    await must(request(base, 'POST', `/api/v1/exams/${exam.id}/publish`, instructor, {}), 'publish');
    const session = await must(request(base, 'POST', '/api/v1/exam-sessions', orgAdmin, { examId: exam.id, venue: '压测考点', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3600_000).toISOString() }), 'session');
    console.log(`\n##### ${N} candidates #####\nsetup: creating and registering ${N} candidates…`);
    const t0 = performance.now();
    const candidates = await pool(Array.from({ length: N }, (_, i) => i), 16, async (i) => {
      const username = `bench.${prefix}.${i}`;
      const user = await must(request(base, 'POST', '/api/v1/users', school, { username, password: PASSWORD, realName: '考生', role: 'student', idDocumentType: 'passport', idNumber: `E${String(10_000_000 + i)}` }), 'user');
      const reg = await must(request(base, 'POST', `/api/v1/exam-sessions/${session.id}/registrations`, orgAdmin, { userId: user.id }), 'register');
      const token = (await login(username)).accessToken;
      return { token, userId: user.id, registrationId: reg.id, attemptId: 0, questions: [] };
    });
    console.log(`setup: ${N} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(2000); // let the setup's background work (paper drawing, jobs) settle before the storm
    const groups = processGroups(api.pid, worker.pid);
    const cpuBefore = cpuSnapshot(groups);
    const stormStart = performance.now();

    // ---- phase 1: start within WINDOW ----
    let phaseStart = performance.now();
    const starts = await Promise.all(
      candidates.map(async (c) => {
        await sleep(Math.random() * WINDOW_MS);
        const res = await request(base, 'POST', `/api/v1/exam-registrations/${c.registrationId}/attempts`, c.token, { part: 'theory' });
        if (res.status === 200) {
          c.attemptId = res.body.id;
          c.questions = res.body.questions.map((q) => ({ id: q.questionId, keys: q.options.map((o) => o.key) }));
        }
        return res;
      }),
    );
    const startWall = performance.now() - phaseStart;
    const mono = () => process.hrtime.bigint() / 1000n; // CLOCK_MONOTONIC in µs: the clock of V8's .cpuprofile timestamps
    const windows = { start: [0n, mono()] };
    windows.start[0] = windows.start[1] - BigInt(Math.round(startWall * 1000));

    // ---- phase 2: ANSWERS saves each at random moments over SPREAD ----
    let acknowledged = 0;
    phaseStart = performance.now();
    const saves = await saveStorm(candidates.filter((c) => c.attemptId), async (c, k) => {
      const q = c.questions[k % c.questions.length];
      const res = await request(base, 'PUT', `/api/v1/attempts/${c.attemptId}/answers/${q.id}`, c.token, { seq: 1, value: q.keys[k % q.keys.length] });
      if (res.status === 200 && res.body.saved) acknowledged++;
      return res;
    });
    const saveWall = performance.now() - phaseStart;
    windows.save = [mono() - BigInt(Math.round(saveWall * 1000)), mono()];

    // ---- phase 3: submit within WINDOW ----
    phaseStart = performance.now();
    const submits = await Promise.all(
      candidates
        .filter((c) => c.attemptId)
        .map(async (c) => {
          await sleep(Math.random() * WINDOW_MS);
          return request(base, 'POST', `/api/v1/attempts/${c.attemptId}/submit`, c.token, {});
        }),
    );
    const submitWall = performance.now() - phaseStart;
    windows.submit = [mono() - BigInt(Math.round(submitWall * 1000)), mono()];
    const stormSeconds = (performance.now() - stormStart) / 1000;
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(groups));

    console.log(`${N} candidates, ${ANSWERS} answers each; MySQL + Redis; API (${groups.api.length} processes) and worker`);
    const s1 = summary('start', starts, startWall);
    const s2 = summary('save', saves, saveWall);
    const s3 = summary('submit', submits, submitWall);
    if (process.env.BENCH_NODE_ARGS?.includes('--cpu-prof')) {
      // For bench/profile-summary.mjs --window: each phase's span on the profiles' clock.
      console.log(`profile windows (monotonic µs): ${Object.entries(windows).map(([k, [a, b]]) => `${k} ${a}-${b}`).join(', ')}`);
    }
    console.log(`CPU during the storm (${stormSeconds.toFixed(0)} s wall, 2 cores = ${(2 * stormSeconds).toFixed(0)} CPU-s): ${Object.entries(cpu).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
    const db = await mysql.createConnection(dbUrl.toString());
    const ids = candidates.filter((c) => c.attemptId).map((c) => c.attemptId);
    const [[{ stored }]] = await db.query(`SELECT COUNT(*) AS stored FROM exam_answers WHERE attempt_id IN (${ids.join(',') || 0})`);
    const [[{ submitted }]] = await db.query(`SELECT COUNT(*) AS submitted FROM exam_attempts WHERE state = 'submitted' AND id IN (${ids.join(',') || 0})`);
    console.log(`answers  acknowledged ${acknowledged}, stored ${stored}${Number(stored) === acknowledged ? ' (equal)' : ' (MISMATCH)'}; attempts submitted ${submitted}/${ids.length} of ${N}`);
    // How the API's saves travelled to MariaDB (the aggregate of its processes' /metrics).
    const scraped = await fetch(`${base}/metrics`).then((r) => r.text()).catch(() => '');
    const metric = (name) => Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(scraped)?.[1] ?? NaN);
    const [batchSum, batchCount, batchFailed] = [metric('aitrainer_answer_save_batch_statements_sum'), metric('aitrainer_answer_save_batch_statements_count'), metric('aitrainer_answer_save_batch_failures_total')];
    if (batchCount > 0) console.log(`batches  ${batchCount} transactions carried ${batchSum} saves and submits (${(batchSum / batchCount).toFixed(1)} a transaction); ${batchFailed || 0} rolled back and retried alone`);
    Object.assign(result, {
      start: { rate: starts.filter((r) => r.status === 200).length / (startWall / 1000), p99: s1.p99 },
      save: { rate: saves.filter((r) => r.status === 200).length / (saveWall / 1000), p99: s2.p99 },
      submit: { rate: submits.filter((r) => r.status === 200).length / (submitWall / 1000), p99: s3.p99 },
      cpu,
      stormSeconds,
      lost: acknowledged - Number(stored),
      submitted: Number(submitted),
    });
    // Submit acknowledges at once and the worker scores: how long until every submitted attempt has its score. The
    // ratio below waits for it too, so the scoring backlog does not run beside the product's round only.
    const scoreStarted = performance.now();
    let unscored = Infinity;
    while (performance.now() - scoreStarted < 600_000) {
      [[{ unscored }]] = await db.query(`SELECT COUNT(*) AS unscored FROM exam_attempts WHERE state = 'submitted' AND score IS NULL AND id IN (${ids.join(',') || 0})`);
      if (Number(unscored) === 0) break;
      await sleep(500);
    }
    result.scoredAfter = (performance.now() - scoreStarted) / 1000;
    console.log(`scoring  ${Number(unscored) === 0 ? `every submitted attempt scored by the worker ${result.scoredAfter.toFixed(1)} s after the last submit` : `${unscored} attempts still unscored after 10 minutes`}`);
    if (Number(unscored) !== 0) result.misses.push(`${unscored} attempts not scored`);
    if (Number(stored) !== acknowledged) result.misses.push('acknowledged != stored');
    if (Number(submitted) !== N) result.misses.push(`${N - Number(submitted)} attempts not submitted`);
    if (s1.failed || s2.failed || s3.failed) result.misses.push('failed requests');
    if (!(s1.p99 < 1000)) result.misses.push(`p99 start ${s1.p99.toFixed(1)} ms >= 1000 ms`);
    if (!(s2.p99 < 100)) result.misses.push(`p99 save ${s2.p99.toFixed(1)} ms >= 100 ms`);
    if (!(s3.p99 < 300)) result.misses.push(`p99 submit ${s3.p99.toFixed(1)} ms >= 300 ms`);

    await db.query(`CREATE TABLE bench_bare_attempts (id INT PRIMARY KEY, state VARCHAR(16) NOT NULL, deadline_ms BIGINT NOT NULL)`);
    await db.query(`CREATE TABLE bench_bare_answers (attempt_id INT NOT NULL, question_id INT NOT NULL, seq BIGINT NOT NULL, value TEXT NOT NULL, updated_at_ms BIGINT NOT NULL, PRIMARY KEY (attempt_id, question_id))`);
    mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
    const bareFile = path.join(ROOT, 'tmp', 'bench-bare-answer-server.cjs');
    writeFileSync(bareFile, BARE_SERVER);
    // The bare handler answers a start and a submit with the bytes the product answered.
    const startBodyFile = path.join(ROOT, 'tmp', 'bench-bare-start-body.json');
    const submitBodyFile = path.join(ROOT, 'tmp', 'bench-bare-submit-body.json');
    writeFileSync(startBodyFile, JSON.stringify(starts.find((r) => r.status === 200)?.body ?? {}));
    writeFileSync(submitBodyFile, JSON.stringify(submits.find((r) => r.status === 200)?.body ?? {}));
    const startBare = async () => {
      const barePort = await freePort();
      const child = spawn(process.execPath, [bareFile], { cwd: ROOT, env: { ...process.env, DB_URL: dbUrl.toString(), PORT: String(barePort), BARE_PROCESSES: String(API_PROCESSES), START_BODY_FILE: startBodyFile, SUBMIT_BODY_FILE: submitBodyFile }, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      return { child, base: `http://127.0.0.1:${barePort}` };
    };

    if (measureRatio) {
      // ---- phase 4: the same saves, product vs bare node:http + mysql2 ----
      // The first attempts are submitted now: the ratio uses fresh attempts in a second session.
      const ratioCandidates = candidates.slice(0, CONNECTIONS);
      const session2 = await must(request(base, 'POST', '/api/v1/exam-sessions', orgAdmin, { examId: exam.id, venue: '压测考点 2', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3600_000).toISOString() }), 'session 2');
      for (const c of ratioCandidates) {
        const reg = await must(request(base, 'POST', `/api/v1/exam-sessions/${session2.id}/registrations`, orgAdmin, { userId: c.userId }), 'register 2');
        const att = await must(request(base, 'POST', `/api/v1/exam-registrations/${reg.id}/attempts`, c.token, { part: 'theory' }), 'start 2');
        c.attempt2 = { id: att.id, questions: att.questions.map((q) => ({ id: q.questionId, keys: q.options.map((o) => o.key) })) };
        await db.query(`INSERT INTO bench_bare_attempts VALUES (?, 'in_progress', ?)`, [att.id, Date.now() + 3600_000]);
      }
      const started = await startBare();
      bare = started.child;
      const bareBase = started.base;
      // Rounds alternate product and bare (the machine's other load drifts); seqs keep rising across rounds, so every
      // save is a newer answer, as in an exam. The ratio is the median of the rounds'.
      const rounds = [];
      const wrk = hasWrk();
      // The storm leaves MariaDB flushing dirty pages and purging the old row versions for a while: wait for both (at
      // most 60 s), so no round meets them.
      for (let waited = 0; waited < 60; waited++) {
        const [[dirty], [total], [history]] = await Promise.all(['Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total', 'Innodb_history_list_length'].map(async (name) => (await db.query(`SHOW GLOBAL STATUS LIKE '${name}'`))[0]));
        if (Number(dirty?.Value) <= 0.01 * Number(total?.Value) && !(Number(history?.Value) > 1000)) break;
        await sleep(1000);
      }
      const items = ratioCandidates.flatMap((c) => c.attempt2.questions.map((q, k) => [`/attempts/${c.attempt2.id}/answers/${q.id}`, c.token, q.keys[k % q.keys.length]]));
      const productSeq = new Array(CONNECTIONS).fill(0);
      const bareSeq = new Array(CONNECTIONS).fill(0);
      if (wrk) {
        // A warm-up for each side, not counted (the first seconds after the storm's end met leftovers in every run).
        const warm = (side, scriptBase, prefix) => {
          const script = path.join(ROOT, 'tmp', `bench-save-warmup-${side}.lua`);
          writeFileSync(script, wrkSaveScript(items, prefix, 50_000_000));
          runWrk(scriptBase, script, 3, CONNECTIONS);
        };
        warm('product', base, '/api/v1');
        warm('bare', bareBase, '');
      }
      const ratioStart = mono();
      for (let r = 0; r < ROUNDS; r++) {
        let product;
        let bareRun;
        if (wrk) {
          const productScript = path.join(ROOT, 'tmp', 'bench-save-product.lua');
          const bareScript = path.join(ROOT, 'tmp', 'bench-save-bare.lua');
          writeFileSync(productScript, wrkSaveScript(items, '/api/v1', (r + 1) * 100_000_000));
          writeFileSync(bareScript, wrkSaveScript(items, '', (r + 1) * 100_000_000));
          // Which side goes first alternates: the one measured right after another load meets its leftovers.
          if (r % 2 === 0) product = runWrk(base, productScript, RATIO_MS / 1000, CONNECTIONS);
          bareRun = runWrk(bareBase, bareScript, RATIO_MS / 1000, CONNECTIONS);
          if (r % 2 === 1) product = runWrk(base, productScript, RATIO_MS / 1000, CONNECTIONS);
        } else {
          const runProduct = () => closedLoop((i) => {
            const c = ratioCandidates[i];
            const k = productSeq[i]++;
            const q = c.attempt2.questions[k % c.attempt2.questions.length];
            return request(base, 'PUT', `/api/v1/attempts/${c.attempt2.id}/answers/${q.id}`, c.token, { seq: k + 1, value: q.keys[k % q.keys.length] });
          }, RATIO_MS);
          if (r % 2 === 0) product = await runProduct();
          bareRun = await closedLoop((i) => {
            const c = ratioCandidates[i];
            const k = bareSeq[i]++;
            const q = c.attempt2.questions[k % c.attempt2.questions.length];
            return request(bareBase, 'PUT', `/attempts/${c.attempt2.id}/answers/${q.id}`, undefined, { seq: k + 1, value: q.keys[k % q.keys.length] });
          }, RATIO_MS);
          if (r % 2 === 1) product = await runProduct();
        }
        rounds.push({ product: product.rps, bare: bareRun.rps, productP99: product.p99, bareP99: bareRun.p99, ratio: product.rps / bareRun.rps, failed: product.failed + bareRun.failed, productFailed: product.failed, bareFailed: bareRun.failed });
      }
      console.log(`\nsave ratio: ${wrk ? 'wrk' : 'Node closed loop (wrk not installed)'}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${RATIO_MS / 1000} s each, product and bare node:http + mysql2 in turn (odd rounds product first, even rounds bare first) (${API_PROCESSES} process(es) each):`);
      for (const [r, x] of rounds.entries()) console.log(`  round ${r + 1}: product ${x.product.toFixed(0)} saves/s${x.productP99 ? ` p99 ${x.productP99.toFixed(1)} ms` : ''}, bare ${x.bare.toFixed(0)} saves/s${x.bareP99 ? ` p99 ${x.bareP99.toFixed(1)} ms` : ''}, ratio ${(x.ratio * 100).toFixed(0)} %${x.failed ? ` (failed: product ${x.productFailed}, bare ${x.bareFailed})` : ''}`);
      const ratio = rounds.map((x) => x.ratio).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
      console.log(`  median ratio ${(ratio * 100).toFixed(0)} % (target 70 %)`);
      if (process.env.BENCH_NODE_ARGS?.includes('--cpu-prof')) {
        // The product's share of the rounds (it is idle while the bare handler runs), for profile-summary.mjs.
        console.log(`profile window of the ratio rounds (monotonic µs): ${ratioStart}-${mono()}, product saves served ${Math.round(rounds.reduce((t, x) => t + x.product * (RATIO_MS / 1000), 0))}`);
      }
      result.ratio = { value: ratio, tool: wrk ? 'wrk' : 'node', rounds };
      bare.kill('SIGTERM');
      bare = undefined;
      if (rounds.some((x) => x.failed)) {
        result.misses.push('failed saves in the ratio phase');
        // Which answers the API gave (its aggregated /metrics, every route and status).
        const scraped = await fetch(`${base}/metrics`).then((r) => r.text()).catch(() => '');
        for (const line of scraped.split('\n').filter((l) => l.startsWith('aitrainer_http_request_duration_seconds_count') && !/status="2\d\d"/.test(l))) console.log(`  API answered: ${line}`);
        await sleep(500);
        for (const line of log.join('').split('\n').filter((l) => /ERROR/.test(l)).slice(0, 3)) console.log(`  API: ${line.slice(0, 400)}`);
      }
      if (!(ratio >= 0.7)) result.misses.push(`save ratio ${(ratio * 100).toFixed(0)} % < 70 %`);
    }
    if (BARE_STORM) {
      // ---- the machine's own limit: the same storm (N candidates, the same schedule of starts, saves and submits, the
      // same statements) against the bare handler: no authentication, no Redis, no deadline job, no scoring ----
      // Its attempts are rows of its own table (ids above the product's), registered until the start stamps them.
      // The product's processes stop first (the worker may still be scoring the submitted attempts).
      for (const c of children) c.kill('SIGTERM');
      await sleep(2000);
      const bareIds = candidates.map((_, i) => 10_000_000 + i);
      for (let i = 0; i < bareIds.length; i += 1000) {
        const chunk = bareIds.slice(i, i + 1000);
        await db.query(`INSERT INTO bench_bare_attempts VALUES ${chunk.map(() => "(?, 'registered', 0)").join(',')}`, chunk);
      }
      const stormBare = await startBare();
      const bareGroups = { bare: [stormBare.child.pid, ...childrenOf(stormBare.child.pid)], mariadb: groups.mariadb };
      const bareCpuBefore = cpuSnapshot(bareGroups);
      const bareStormStart = performance.now();
      let t = performance.now();
      const bareStarts = await Promise.all(bareIds.map(async (id) => (await sleep(Math.random() * WINDOW_MS), request(stormBare.base, 'POST', `/attempts/${id}/start`))));
      const bareStartWall = performance.now() - t;
      t = performance.now();
      const bareSaves = await saveStorm(candidates, (_, k, i) =>
        request(stormBare.base, 'PUT', `/attempts/${bareIds[i]}/answers/${k + 1}`, undefined, { seq: 1, value: 'ABCD'[k % 4] }),
      );
      const bareWall = performance.now() - t;
      t = performance.now();
      const bareSubmits = await Promise.all(bareIds.map(async (id) => (await sleep(Math.random() * WINDOW_MS), request(stormBare.base, 'POST', `/attempts/${id}/submit`))));
      const bareSubmitWall = performance.now() - t;
      const bareStormSeconds = (performance.now() - bareStormStart) / 1000;
      const bareCpu = cpuDelta(bareCpuBefore, cpuSnapshot(bareGroups));
      stormBare.child.kill('SIGTERM');
      console.log(`bare node:http + mysql2 (${API_PROCESSES} process(es)), the same storm with the same statements:`);
      const bs = summary('start', bareStarts, bareStartWall);
      const sb = summary('save', bareSaves, bareWall);
      const bu = summary('submit', bareSubmits, bareSubmitWall);
      console.log(`CPU (${bareStormSeconds.toFixed(0)} s wall): ${Object.entries(bareCpu).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
      result.bare = { startP99: bs.p99, saveRate: bareSaves.filter((r) => r.status === 200).length / (bareWall / 1000), saveP99: sb.p99, submitP99: bu.p99 };
    }

    await db.end();
  } finally {
    bare?.kill('SIGTERM');
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(1000);
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
  return result;
}

function printCapacityTable(results) {
  const ms = (x) => (Number.isFinite(x) ? `${x >= 1000 ? (x / 1000).toFixed(1) + ' s' : x.toFixed(0) + ' ms'}` : '—');
  console.log(`\n## capacity (${ANSWERS} answers per candidate over ${SPREAD_MS / 1000} s; starts and submits within ${WINDOW_MS / 1000} s)\n`);
  console.log('| candidates | start /s | start p99 | save /s | save p99 | submit /s | submit p99 | lost | submitted | all scored after | CPU-s: API / worker / MariaDB / Redis / load gen (storm wall s) | bare handler, same storm: p99 start / save (/s) / submit |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (!r.start) {
      console.log(`| ${r.candidates.toLocaleString('en')} | failed: ${r.error} |||||||||||`);
      continue;
    }
    const c = r.cpu;
    const b = r.bare;
    console.log(
      `| ${r.candidates.toLocaleString('en')} | ${r.start.rate.toFixed(0)} | ${ms(r.start.p99)} | ${r.save.rate.toFixed(0)} | ${ms(r.save.p99)} | ${r.submit.rate.toFixed(0)} | ${ms(r.submit.p99)} | ${r.lost} | ${r.submitted.toLocaleString('en')} | ${r.scoredAfter.toFixed(0)} s | ${[c.api, c.worker, c.mariadb, c.redis, c['load generator']].map((v) => v.toFixed(0)).join(' / ')} (${r.stormSeconds.toFixed(0)}) | ${b ? `${ms(b.startP99)} / ${ms(b.saveP99)} (${b.saveRate.toFixed(0)}/s) / ${ms(b.submitP99)}` : '—'} |`,
    );
  }
  console.log('\ntargets: p99 start < 1 s, save < 100 ms, submit < 300 ms; 0 lost; every attempt submitted once');
}

async function main() {
  const results = [];
  // The database server's sizing shapes a 10,000-candidate storm (a buffer pool smaller than the session's data, a redo
  // log that fills during the save minute): printed so runs are compared like with like.
  const server = await mysql.createConnection(MYSQL_URL);
  const [[v]] = await server.query('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool, @@innodb_log_file_size AS log, @@innodb_flush_log_at_trx_commit AS flush');
  await server.end();
  console.log(`database ${v.version}: innodb_buffer_pool_size ${Math.round(v.pool / 2 ** 20)} MB, innodb_log_file_size ${Math.round(v.log / 2 ** 20)} MB, innodb_flush_log_at_trx_commit ${v.flush}`);
  for (const [i, n] of SIZES.entries()) {
    try {
      results.push(await runSize(n, i === 0));
    } catch (e) {
      console.error(e);
      results.push({ candidates: n, error: e.message.slice(0, 80), misses: ['run failed'] });
    }
  }
  printCapacityTable(results);
  const misses = results.flatMap((r) => r.misses.map((m) => `${r.candidates}: ${m}`));
  console.log(misses.length ? `\nMISSED: ${misses.join('; ')}` : '\nall targets met');
  agent.destroy();
  process.exit(misses.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
