// Certificate issuance and verification against the built backend on MySQL/MariaDB and Redis (issue 7):
//   1. issue 10,000 certificate pairs (numbered, signed, stored) through the batch route    target < 60 s
//   2. public verification POST /api/v1/verify, closed loop, N connections                  target >= 2,000/s, p99 < 50 ms
//   3. bulk verification of 100,000 CSV rows with a bureau API key (streamed CSV result)    target < 20 s
//   4. the same public verification driven by wrk, product against a bare node:http + mysql2 handler doing the same
//      lookup by number and the same name check, rounds alternating (issue 20)        target >= 70 %, p99 < 50 ms
//      The bare handler runs as many processes as the product's API (API_PROCESSES, default one per core); a third
//      server, the bare handler plus one Redis round trip per request (the product's per-address limit is one), shows
//      what that mandated round trip alone costs on this machine.
//
//   node bench/verification.bench.mjs [--pairs 10000] [--seconds 10] [--connections 32] [--rows 100000] [--rounds 3]
//
// Phase 4 needs wrk (Debian package `wrk`); without it the phase is skipped with a note. A Node load generator on
// these 2 cores caps the bare handler itself, so only wrk measures the ratio.
//
// Needs dist/backend/main.cjs (npx nx build backend), BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306) and
// BENCH_REDIS_URL (default redis://127.0.0.1:6379/14). The load generator runs in this process on the same machine,
// so it takes CPU from the API. Exit code 1 when a target is missed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { BARE_CLUSTER_PRELUDE } from './support/bare-cluster.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The product's API runs API_PROCESSES processes (default one per core); the bare handler runs as many. */
const API_PROCESSES = Number(process.env.API_PROCESSES) || availableParallelism();
const BACKEND = path.join(ROOT, 'dist/backend/main.cjs');
const { values: opts } = parseArgs({
  options: {
    pairs: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    rows: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const PAIRS = Number(opts.pairs);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const ROWS = Number(opts.rows);
const ROUNDS = Number(opts.rounds);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const PASSWORD = 'Demo@2026';

assert.ok(existsSync(BACKEND), `missing ${BACKEND}: build the backend first (npx nx build backend)`);

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
function request(base, method, url, { token, body, headers = {}, raw } = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent,
        headers: {
          ...(token && { Authorization: `Bearer ${token}` }),
          ...(payload && { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          if (!raw) {
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              /* not JSON */
            }
          }
          resolve({ status: res.statusCode, body: raw ? text : json, ms: performance.now() - started });
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
  if (res.status >= 400 || res.status === 0) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);


// The bare handler: what the hardware gives for the same work (one prepared lookup by the unique number, the same
// name hash compared in constant time, the same answer fields), with no framework, no rate limit and no audit.
const BARE_SERVER = `${BARE_CLUSTER_PRELUDE}const http = require('node:http');
const { createHash, timingSafeEqual } = require('node:crypto');
const mysql = require('mysql2/promise');
const pool = mysql.createPool({ uri: process.env.DB_URL, connectionLimit: 10 });
// BARE_REDIS_URL set: also one Redis round trip per request (a per-address counter, as the product's rate limit), to
// show what that mandated round trip alone costs.
const redis = process.env.BARE_REDIS_URL ? new (require('ioredis').Redis)(process.env.BARE_REDIS_URL) : null;
const LIMIT = "local c = redis.call('incr', KEYS[1]) if c == 1 then redis.call('pexpire', KEYS[1], 60000) end return c";
const SQL = 'SELECT id, kind, number, holder_name, holder_name_hash, id_document_type, id_number_masked, occupation_name, occupation_code, trade, level, evaluation_body, issuer_name, issue_date, twin_number, twin_kind, status, status_changed_at, jwt FROM certificates WHERE number = ?';
const ABSENT = Buffer.alloc(32, 0xa5);
const hash = (name) => createHash('sha256').update(name.normalize('NFKC').replace(/\\s+/g, '').toUpperCase()).digest();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    try {
      const { number, name } = JSON.parse(body);
      if (redis) await redis.eval(LIMIT, 1, 'bare-verify:' + req.socket.remoteAddress);
      const [rows] = await pool.execute(SQL, [number.replace(/\\s+/g, '').toUpperCase()]);
      const row = rows[0];
      const stored = row ? Buffer.from(row.holder_name_hash, 'hex') : ABSENT;
      const ok = timingSafeEqual(hash(name), stored) && row !== undefined;
      const answer = ok ? { status: row.status, kind: row.kind, number: row.number, holderName: row.holder_name, idNumberMasked: row.id_number_masked, level: row.level, issuer: row.issuer_name, issueDate: row.issue_date, twin: { kind: row.twin_kind, number: row.twin_number }, credential: row.jwt } : { status: 'not_found' };
      const payload = JSON.stringify(answer);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload), 'Cache-Control': 'no-store' });
      res.end(payload);
    } catch (e) {
      res.writeHead(500);
      res.end(String(e.message));
    }
  });
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => { if (!cluster.isWorker) console.log('ready'); });
`;

/** A wrk script that cycles through the issued pairs, a tenth of them with a wrong name. */
function wrkScript(certs) {
  // Lua long brackets take the JSON verbatim, no escaping.
  const bodies = certs.map((c, i) => `[==[${JSON.stringify({ number: c.number, name: i % 10 === 9 ? '不是我' : c.holder_name })}]==]`);
  return `local bodies = {${bodies.join(',')}}
local i = 0
local headers = { ["Content-Type"] = "application/json" }
request = function()
  i = i + 1
  return wrk.format("POST", "/api/v1/verify", headers, bodies[(i % #bodies) + 1])
end
`;
}

/** One wrk run: requests/s, p99 in ms and the count of non-2xx answers. */
function runWrk(base, script, seconds, connections) {
  const r = spawnSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, base], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const p99m = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(r.stdout);
  const p99 = p99m ? Number(p99m[1]) * (p99m[2] === 'us' ? 0.001 : p99m[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { rps, p99, non2xx };
}

async function main() {
  const dbName = `aitrainer_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const dbUrl = new URL(MYSQL_URL);
  dbUrl.pathname = `/${dbName}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    PORT: String(port),
    DEMO_DATA: 'true',
    DEMO_CONTENT: 'false',
    PASSWORD_HASH_COST: '1024',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    VERIFY_PER_MINUTE: '1000000',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    PORTAL_DIR: '',
    DATA_DIR: path.join(ROOT, 'tmp', dbName),
  };
  const log = [];
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=tmp/prof", profiles the API's processes (bench/profile-summary.mjs).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BACKEND, 'api'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c) => log.push(String(c)));
  child.stderr.on('data', (c) => log.push(String(c)));
  let exitCode = 0;
  let bare = null;
  let bareRedis = null;
  const db = await mysql.createConnection(dbUrl.toString());
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`backend exited:\n${log.join('').slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`backend did not start:\n${log.join('').slice(-3000)}`);
      if ((await request(base, 'GET', '/api/health')).status === 200) break;
      await sleep(300);
    }
    const login = (username) => must(request(base, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } }), `login ${username}`);
    const org = await login('demo.org');
    const student = await login('demo.student');
    const bureau = await login('demo.bureau');
    await must(request(base, 'PUT', '/api/v1/certificates/issuer-settings', { token: org.accessToken, body: { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' } }), 'settings');
    await must(request(base, 'POST', '/api/v1/certificates/signing-keys/rotate', { token: org.accessToken }), 'rotate');

    // ---- setup in SQL: one exam, one session, PAIRS candidates with a published pass each ----
    const orgId = org.user.organisation.id;
    const now = '2026-11-28 00:00:00';
    await db.query("INSERT INTO exams (organisation_id, author_id, title, occupation, level, status, definition, published_at, created_at, updated_at) VALUES (?, ?, 'bench', 'ai_trainer', 4, 'published', '{}', ?, ?, ?)", [orgId, org.user.id, now, now, now]);
    const [[exam]] = await db.query('SELECT MAX(id) AS id FROM exams');
    await db.query("INSERT INTO exam_sessions (exam_id, organisation_id, venue, starts_at_ms, ends_at_ms, created_by, created_at) VALUES (?, ?, 'bench', 0, 1, ?, ?)", [exam.id, orgId, org.user.id, now]);
    const [[session]] = await db.query('SELECT MAX(id) AS id FROM exam_sessions');
    const [[src]] = await db.query('SELECT * FROM users WHERE id = ?', [student.user.id]);
    const detail = JSON.stringify({ parts: [{ part: 'theory', scaled: 80, passed: true }, { part: 'practical', scaled: 75, passed: true }], dutyAreas: [] });
    for (let start = 0; start < PAIRS; start += 1000) {
      const n = Math.min(1000, PAIRS - start);
      const users = Array.from({ length: n }, (_, i) => [src.organisation_id, `bench.${start + i}`, src.password_hash, `考生${start + i}`, 'student', src.id_document_type, src.id_number_masked, now, now]);
      await db.query('INSERT INTO users (organisation_id, username, password_hash, real_name, role, id_document_type, id_number_masked, created_at, password_changed_at) VALUES ?', [users]);
    }
    const [userRows] = await db.query("SELECT id, real_name FROM users WHERE username LIKE 'bench.%' ORDER BY id");
    for (let start = 0; start < userRows.length; start += 1000) {
      const chunk = userRows.slice(start, start + 1000);
      await db.query('INSERT INTO exam_registrations (session_id, user_id, ticket_number, extra_minutes, created_at) VALUES ?', [chunk.map((u) => [session.id, u.id, `B${u.id}`, 0, now])]);
    }
    await db.query(
      "INSERT INTO exam_results (registration_id, exam_id, user_id, status, passed, detail, published_at, published_by, updated_at) SELECT id, ?, user_id, 'published', 1, ?, ?, ?, ? FROM exam_registrations WHERE session_id = ?",
      [exam.id, detail, now, org.user.id, now, session.id],
    );

    // ---- 1. issuance ----
    let started = performance.now();
    const issued = await must(request(base, 'POST', `/api/v1/certificates/sessions/${session.id}/issue`, { token: org.accessToken }), 'issue');
    const issueSeconds = (performance.now() - started) / 1000;
    const [[gap]] = await db.query("SELECT COUNT(*) AS n, MAX(CAST(RIGHT(number, 6) AS UNSIGNED)) AS maxSerial FROM certificates WHERE kind = 'skill_level'");
    console.log(`issue    ${issued.issued} pairs (${issued.failed.length} failed) in ${issueSeconds.toFixed(1)} s = ${(issued.issued / issueSeconds).toFixed(0)} pairs/s; serials 1..${gap.maxSerial} for ${gap.n} certificates   target < 60 s`);
    if (issueSeconds >= 60 || issued.issued !== PAIRS || Number(gap.maxSerial) !== Number(gap.n)) exitCode = 1;

    const [certs] = await db.query('SELECT number, holder_name FROM certificates ORDER BY id');
    // ---- 2. public verification ----
    const samples = [];
    let i = 0;
    const stopAt = performance.now() + SECONDS * 1000;
    started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < stopAt) {
          const c = certs[i++ % certs.length];
          const wrong = i % 10 === 0; // a tenth are wrong names
          const res = await request(base, 'POST', '/api/v1/verify', { body: { number: c.number, name: wrong ? '不是我' : c.holder_name } });
          samples.push({ ok: res.status === 200 && (wrong ? res.body?.status === 'not_found' : res.body?.status === 'valid'), ms: res.ms, status: res.status });
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    const ok = samples.filter((s) => s.ok);
    const ms = ok.map((s) => s.ms).sort((a, b) => a - b);
    const rps = ok.length / wall;
    console.log(`verify   ${ok.length} ok ${samples.length - ok.length} wrong  ${rps.toFixed(0)}/s  p50 ${pct(ms, 50).toFixed(1)} ms  p99 ${pct(ms, 99).toFixed(1)} ms  (${CONNECTIONS} connections)   target >= 2,000/s, p99 < 50 ms`);
    if (rps < 2000 || pct(ms, 99) >= 50 || ok.length !== samples.length) exitCode = 1;

    // ---- 3. bulk verification ----
    const key = (await must(request(base, 'POST', '/api/v1/bureau/api-keys', { token: bureau.accessToken, body: { name: 'bench', scopes: ['bulk_verify'], dailyQuota: 10_000_000 } }), 'api key')).key;
    const lines = ['number,name'];
    for (let r = 0; r < ROWS; r++) {
      const c = certs[r % certs.length];
      lines.push(r % 5 === 4 ? `Y00013301000126400${String(r % 10000).padStart(4, '0')},某人` : `${c.number},${c.holder_name}`);
    }
    started = performance.now();
    const bulk = await request(base, 'POST', '/api/v1/bureau/verify/bulk', { body: lines.join('\n'), headers: { 'Content-Type': 'text/csv', 'X-Api-Key': key }, raw: true });
    const bulkSeconds = (performance.now() - started) / 1000;
    const out = bulk.body.trim().split('\n');
    const valid = out.filter((l) => l.split(',')[2] === 'valid').length;
    console.log(`bulk     ${out.length - 1} rows (${valid} valid) in ${bulkSeconds.toFixed(1)} s, status ${bulk.status}   target < 20 s`);
    if (bulk.status !== 200 || out.length - 1 !== ROWS || bulkSeconds >= 20) exitCode = 1;

    // ---- 4. public verification under wrk: product against the bare handler, same lookups ----
    if (spawnSync('wrk', ['--version']).error) {
      console.log('wrk      not installed (apt-get install wrk): product/bare ratio not measured');
    } else {
      mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
      const script = path.join(ROOT, 'tmp', `bench-verify-${dbName}.lua`);
      writeFileSync(script, wrkScript(certs.slice(0, 3000)));
      const bareFile = path.join(ROOT, 'tmp', 'bench-bare-verify-server.cjs');
      writeFileSync(bareFile, BARE_SERVER);
      const barePort = await freePort();
      bare = spawn(process.execPath, [bareFile], { cwd: ROOT, env: { ...process.env, DB_URL: dbUrl.toString(), PORT: String(barePort), BARE_PROCESSES: String(API_PROCESSES) }, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => bare.stdout.once('data', resolve));
      const bareRedisPort = await freePort();
      bareRedis = spawn(process.execPath, [bareFile], { cwd: ROOT, env: { ...process.env, DB_URL: dbUrl.toString(), PORT: String(bareRedisPort), BARE_PROCESSES: String(API_PROCESSES), BARE_REDIS_URL: REDIS_URL }, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => bareRedis.stdout.once('data', resolve));
      const check = await request(`http://127.0.0.1:${barePort}`, 'POST', '/api/v1/verify', { body: { number: certs[0].number, name: certs[0].holder_name } });
      assert.equal(check.body?.status, 'valid', 'the bare handler answers valid for an issued pair');
      runWrk(base, script, 2, CONNECTIONS); // warm-up of both
      runWrk(`http://127.0.0.1:${barePort}`, script, 2, CONNECTIONS);
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) {
        const from = process.hrtime.bigint() / 1000n; // the profiles' clock (µs, monotonic)
        const product = runWrk(base, script, SECONDS, CONNECTIONS);
        if (nodeArgs.some((a) => a.startsWith('--cpu-prof'))) console.log(`wrk      profile window (monotonic µs): ${from}-${process.hrtime.bigint() / 1000n}, ${Math.round(product.rps * SECONDS)} requests`);
        const bareRun = runWrk(`http://127.0.0.1:${barePort}`, script, SECONDS, CONNECTIONS);
        const withRedis = runWrk(`http://127.0.0.1:${bareRedisPort}`, script, SECONDS, CONNECTIONS);
        rounds.push({ product, bare: bareRun, withRedis, ratio: product.rps / bareRun.rps });
        console.log(`wrk      round ${r + 1}: product ${product.rps.toFixed(0)}/s p99 ${product.p99.toFixed(1)} ms (${product.non2xx} non-2xx)   bare ${bareRun.rps.toFixed(0)}/s p99 ${bareRun.p99.toFixed(1)} ms   ${(100 * product.rps / bareRun.rps).toFixed(0)} %   bare + one Redis round trip ${withRedis.rps.toFixed(0)}/s p99 ${withRedis.p99.toFixed(1)} ms (${(100 * withRedis.rps / bareRun.rps).toFixed(0)} % of bare; product ${(100 * product.rps / withRedis.rps).toFixed(0)} % of it)`);
      }
      const ratios = rounds.map((x) => x.ratio).sort((a, b) => a - b);
      const median = ratios[Math.floor(ratios.length / 2)];
      const worstP99 = Math.max(...rounds.map((x) => x.product.p99));
      console.log(`wrk      product: API_PROCESSES=${API_PROCESSES}; bare handler: ${API_PROCESSES} process(es) on one port`);
      console.log(`wrk      median ratio ${(100 * median).toFixed(0)} % of the bare handler, product p99 <= ${worstP99.toFixed(1)} ms (${CONNECTIONS} connections)   target >= 70 %, p99 < 50 ms`);
      if (median < 0.7 || worstP99 >= 50 || rounds.some((x) => x.product.non2xx > 0)) exitCode = 1;
      rmSync(script, { force: true });
    }
  } catch (e) {
    console.error(e);
    exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    bare?.kill('SIGTERM');
    bareRedis?.kill('SIGTERM');
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    rmSync(env.DATA_DIR, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

void main();
