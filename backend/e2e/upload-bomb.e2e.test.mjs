// Process test of hostile uploads against the built API (dist/backend/main.cjs, SQLite): a 300 MB cell packed into
// a ~300 KB .xlsx (generated here, nothing binary committed), the same bomb with a lying zip directory, and files over
// the size limit, sent to the question-bank Excel import and the roster import, three at once. Each is refused with a
// 4xx naming the file and the limit; the API's resident memory stays bounded (it reached 4.2 GB and died before) and
// /api/health/live keeps answering within 200 ms throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { lyingZipBombXlsx, zipBombXlsx } from '../test/support/zip-bomb.ts';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/backend/main.cjs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Resident set size of a process, in bytes (Linux). */
const rss = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0; // 0: the process has ended
};

test('zip bombs and oversized files are refused while the API stays small and answers', { timeout: 240_000 }, async () => {
  // The hostile files first, so that building them does not compete with the measurements.
  const bomb = await zipBombXlsx(300);
  const lying = await lyingZipBombXlsx(300);
  assert.ok(bomb.length < MB, `the bomb is ${bomb.length} bytes`);
  const tooBigXlsx = Buffer.alloc(6 * MB, 0x41);
  const tooBigText = Buffer.alloc(21 * MB, 0x41);

  const dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-upload-bomb-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The API's own event-loop delay, measured inside it (perf_hooks) and written out on SIGWINCH (which Nest's shutdown hooks leave alone), then reset.
  const preload = join(dataDir, 'event-loop-delay.cjs');
  const delayFile = join(dataDir, 'event-loop-delay.json');
  writeFileSync(
    preload,
    `const { isMainThread } = require('node:worker_threads');
     if (isMainThread) {
       const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
       h.enable();
       let cpu = process.threadCpuUsage();
       process.on('SIGWINCH', () => {
         require('node:fs').writeFileSync(${JSON.stringify(delayFile)}, JSON.stringify({ maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, cpuMs: ((u) => (u.user + u.system) / 1000)(process.threadCpuUsage(cpu)) }));
         h.reset();
         cpu = process.threadCpuUsage();
       });
     }`,
  );
  const eventLoopDelay = async () => {
    rmSync(delayFile, { force: true });
    process.kill(child.pid, 'SIGWINCH');
    for (let i = 0; i < 100 && !existsSync(delayFile); i++) await sleep(20);
    return JSON.parse(readFileSync(delayFile, 'utf8'));
  };
  const child = spawn(process.execPath, ['--require', preload, main, 'all'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PORTAL_DIR: '', API_PROCESSES: '1', PASSWORD_HASH_COST: '1024', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      assert.equal(child.exitCode, null, `the server exited:\n${output.slice(-3000)}`);
      assert.ok(Date.now() < deadline, `the server did not start:\n${output.slice(-3000)}`);
      if ((await fetch(`${base}/api/health/live`).catch(() => null))?.status === 200) break;
      await sleep(250);
    }
    const login = async (username) => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'Demo@2026' }) });
      assert.equal(res.status, 200, `${username} signs in`);
      return (await res.json()).accessToken;
    };
    const instructor = await login('demo.instructor');
    const school = await login('demo.school');
    const tags = JSON.stringify({ occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '', difficulty: 'medium' });
    const upload = async (path, token, bytes, name, fields = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([bytes]), name);
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    const questionCount = async () => (await (await fetch(`${base}/api/v1/question-bank/questions`, { headers: { Authorization: `Bearer ${instructor}` } })).json()).length;
    const questionsBefore = await questionCount();

    // Let the process settle, then measure its memory and its liveness while the files are refused.
    await sleep(1500);
    const baseline = rss(child.pid);
    let peak = baseline;
        // The liveness probes come from a process of their own, so that this process's work (sending the files) does not
    // count against the API.
    const prober = spawn(
      process.execPath,
      [
        '-e',
        `const url = process.argv[1];
         const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
         let stop = false;
         process.stdin.on('data', () => (stop = true));
         (async () => {
           while (!stop) {
             const started = performance.now();
             const res = await fetch(url);
             await res.arrayBuffer();
             process.stdout.write(JSON.stringify({ at: Date.now(), ms: performance.now() - started, status: res.status }) + '\\n');
             await sleep(25);
           }
           process.exit(0);
         })();`,
        `${base}/api/health/live`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let probeOutput = '';
    prober.stdout.on('data', (d) => (probeOutput += d));
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rss(child.pid));
        await sleep(25);
      }
    })();
    await sleep(1000);
    probeOutput = ''; // the prober's first, cold request is not the API's doing
    await eventLoopDelay();
    // An idle moment first: what this (shared) machine gives an API that does nothing.
    await sleep(3000);
    const quietDelay = await eventLoopDelay();
    const quietProbes = probeOutput.trim().split('\n').map((l) => JSON.parse(l).ms).sort((a, b) => a - b);
    probeOutput = '';

    const xlsxImport = (bytes) => upload('/api/v1/question-bank/imports/xlsx', instructor, bytes, 'bank.xlsx', { tags });
    const rosterImport = (bytes) => upload('/api/v1/cohort-imports', school, bytes, 'roster.xlsx');
    const t0 = performance.now();
    const t0wall = Date.now();
    const delays = [];
    const phase = async (name) => {
      const d = await eventLoopDelay();
      delays.push({ phase: name, ...d });
      if (process.env.UPLOAD_BOMB_TRACE) console.log(name, (performance.now() - t0).toFixed(0), JSON.stringify(d));
    };
    const results = await Promise.all([xlsxImport(bomb), rosterImport(bomb), xlsxImport(bomb)]);
    await phase('bombs');
    for (const r of results) {
      assert.equal(r.status, 413, JSON.stringify(r.body));
      assert.deepEqual(r.body.fields, [{ field: 'file', problem: 'holds "xl/worksheets/sheet1.xml" larger than 50 MB once unpacked', code: 'ZIP_ENTRY_TOO_LARGE', params: { name: 'xl/worksheets/sheet1.xml', limitMb: 50 } }]);
    }
    for (const r of await Promise.all([xlsxImport(lying), rosterImport(lying)])) {
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.fields[0].code, 'ZIP_UNREADABLE');
    }
    await phase('lying');
    const oversized = await Promise.all([
      xlsxImport(tooBigXlsx),
      rosterImport(tooBigXlsx),
      upload('/api/v1/question-bank/imports', instructor, tooBigText, 'bank.gift', { format: 'gift', tags }),
    ]);
    assert.deepEqual(
      oversized.map((r) => [r.status, r.body?.code, r.body?.fields?.[0]?.field, r.body?.fields?.[0]?.code, r.body?.fields?.[0]?.params?.limitMb]),
      [
        [413, 'PAYLOAD_TOO_LARGE', 'file', 'FILE_TOO_LARGE', 5],
        [413, 'PAYLOAD_TOO_LARGE', 'file', 'FILE_TOO_LARGE', 5],
        [413, 'PAYLOAD_TOO_LARGE', 'file', 'FILE_TOO_LARGE', 20],
      ],
    );
    await phase('oversized');
    await sleep(300);
    sampling = false;
    await sampler;
    prober.stdin.end('stop');
    await once(prober, 'exit');
    await phase('after');
    const delay = { maxMs: Math.max(...delays.map((d) => d.maxMs)), p99Ms: Math.max(...delays.map((d) => d.p99Ms)) };
    const latencies = probeOutput.trim().split('\n').map((l) => JSON.parse(l));
    if (process.env.UPLOAD_BOMB_TRACE) console.log(latencies.filter((l) => l.ms > 50).map((l) => `${(l.at - t0wall).toFixed(0)}:${l.ms.toFixed(0)}`).join(' '));

    assert.equal(child.exitCode, null, `the API died:\n${output.slice(-3000)}`);
    const growth = (peak - baseline) / MB;
    assert.ok(growth < 300, `resident memory grew by ${growth.toFixed(0)} MB (from ${(baseline / MB).toFixed(0)} MB to ${(peak / MB).toFixed(0)} MB)`);
    assert.ok(latencies.length >= 10, `only ${latencies.length} liveness probes ran`);
    assert.ok(latencies.every((l) => l.status === 200));
    // The API never stalls: while the files are refused its event loop is never held up 200 ms more than in the idle
    // moment before, and the liveness probes (over HTTP, from another process) answer within 200 ms of the idle ones.
    // (Before: the base64-in-JSON imports held every request up 5 to 22 s.)
    const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
    const quantile = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];
    const p95 = quantile(sorted, 0.95);
    const slowest = sorted[sorted.length - 1];
    const context = `idle: event loop held up ${quietDelay.maxMs.toFixed(0)} ms, probes p95 ${quantile(quietProbes, 0.95).toFixed(0)} ms, slowest ${quietProbes.at(-1).toFixed(0)} ms; per phase ${JSON.stringify(delays)}`;
    assert.ok(delay.maxMs < quietDelay.maxMs + 200, `the API's event loop was held up ${delay.maxMs.toFixed(0)} ms (${context})`);
    assert.ok(p95 < quantile(quietProbes, 0.95) + 200, `95% of /api/health/live answered within ${p95.toFixed(0)} ms (${context})`);
    assert.ok(slowest < quietProbes.at(-1) + 200, `the slowest /api/health/live took ${slowest.toFixed(0)} ms (${context})`);
    // Nothing was imported, and the API goes on working.
    assert.equal(await questionCount(), questionsBefore);
    console.log(`upload bombs: RSS ${(baseline / MB).toFixed(0)} -> peak ${(peak / MB).toFixed(0)} MB; event-loop delay max ${delay.maxMs.toFixed(0)} ms; ${latencies.length} liveness probes, p95 ${p95.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms`);
  } catch (e) {
    throw new Error(`${e.message}\n--- API output ---\n${output.slice(-4000)}`, { cause: e });
  } finally {
    if (process.env.UPLOAD_BOMB_TRACE) writeFileSync('/tmp/upload-bomb-api.log', output);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(25_000)]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
