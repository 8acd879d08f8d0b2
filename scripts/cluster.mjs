#!/usr/bin/env node
// `npm run cluster`: a local cluster of the built backend against the local MariaDB and Redis, for tests and
// demos: `migrate` once, 2 API processes on internal ports behind a small round-robin reverse proxy (this
// file, node:http), and 2 workers. Secrets come from the environment or are generated into the cluster's
// data directory. `startCluster()` is the same thing for tests (backend/e2e/cluster.e2e.test.mjs).
//
//   CLUSTER_MYSQL_URL   mysql://root@127.0.0.1:3306          server; the database is created if missing
//   CLUSTER_DATABASE    aitrainer_cluster                     database name
//   CLUSTER_REDIS_URL   redis://127.0.0.1:6379                Redis
//   CLUSTER_PORT        8080                                  the proxy's port (the one URL to use)
//   CLUSTER_DATA_DIR    data/cluster                          secrets.json, uploaded files (shared by all APIs)
//   CLUSTER_APIS / CLUSTER_WORKERS   2 / 2
// Any other variable (LLM_*, LOG_FORMAT, ...) is passed to every process.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const MAIN = join(root, 'dist/backend/main.cjs');
const DEMO_PASSWORD = 'Demo@2026';
const DEMO_LOGINS = ['demo.student', 'demo.instructor', 'demo.school', 'demo.org', 'demo.bureau', 'demo.admin'];

/** Ports the OS says are free right now. */
async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Creates the database (utf8mb4) when it does not exist; returns the URL of the database itself. */
async function ensureDatabase(serverUrl, name) {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad database name "${name}"`);
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(serverUrl);
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(serverUrl, name) {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(serverUrl);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

/** JWT_SECRET and DATA_ENCRYPTION_KEY from the environment, else generated once and kept in the data dir. */
function clusterSecrets(dataDir, env) {
  const file = join(dataDir, 'secrets.json');
  let stored = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    JWT_SECRET: env.JWT_SECRET || stored.JWT_SECRET || randomBytes(48).toString('base64'),
    DATA_ENCRYPTION_KEY: env.DATA_ENCRYPTION_KEY || stored.DATA_ENCRYPTION_KEY || randomBytes(32).toString('base64'),
  };
  if (!env.JWT_SECRET || !env.DATA_ENCRYPTION_KEY) writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2), { mode: 0o600 });
  return secrets;
}

/** Every backend process this module started and that is still running: none may outlive the script. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGTERM');
});

/** Stops every process started so far (also while a cluster is still starting). */
export async function stopAllProcesses(graceMs = 15_000) {
  const running = [...live];
  for (const p of running) p.kill('SIGTERM');
  const killer = setTimeout(() => running.forEach((p) => p.exitCode === null && p.signalCode === null && p.kill('SIGKILL')), graceMs);
  await Promise.all(running.map((p) => (p.exitCode === null && p.signalCode === null ? once(p, 'exit') : null)));
  clearTimeout(killer);
}

function spawnBackend(kind, name, env, { echo }) {
  const child = spawn(process.execPath, [MAIN, kind], { env: { API_PROCESSES: '1', ...env, INSTANCE_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.name = name;
  child.output = '';
  const onData = (d) => {
    child.output += d;
    if (child.output.length > 2_000_000) child.output = child.output.slice(-1_000_000);
    if (echo) for (const line of String(d).split('\n')) if (line) process.stdout.write(`[${name}] ${line}\n`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return child;
}

/**
 * The reverse proxy: round-robin over the healthy backends, X-Forwarded-For (replaced)/-Proto/-Host set, a backend that
 * refuses connections is marked down (GET/HEAD requests then go to the next one), and every backend is
 * health-checked (`/api/health/live`) once a second, so a restarted one comes back.
 */
export function createProxy(backends, { healthPath = '/api/health/live', intervalMs = 1000 } = {}) {
  const pool = backends.map((b) => ({ ...b, healthy: true }));
  let next = 0;
  const pick = (exclude) => {
    const candidates = pool.filter((b) => b.healthy && !exclude.has(b));
    const list = candidates.length ? candidates : pool.filter((b) => !exclude.has(b));
    if (!list.length) return null;
    const chosen = list[next++ % list.length];
    return chosen;
  };
  const check = () =>
    Promise.all(
      pool.map(
        (b) =>
          new Promise((done) => {
            const req = httpRequest({ host: b.host, port: b.port, path: healthPath, method: 'GET', timeout: 2000 }, (res) => {
              b.healthy = res.statusCode === 200;
              res.resume();
              done();
            });
            req.on('timeout', () => req.destroy(new Error('timeout')));
            req.on('error', () => {
              b.healthy = false;
              done();
            });
            req.end();
          }),
      ),
    );
  const timer = setInterval(check, intervalMs);
  timer.unref();

  const server = createServer((req, res) => {
    // The client's own X-Forwarded-For is replaced, never appended to: the APIs trust this one hop (TRUST_PROXY=1),
    // so the address they see is the one this proxy saw, whatever the client claims.
    const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-forwarded-proto': 'http', 'x-forwarded-host': req.headers.host ?? '' };
    const replayable = req.method === 'GET' || req.method === 'HEAD';
    const tried = new Set();
    const attempt = () => {
      const backend = pick(tried);
      if (!backend) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 502, code: 'BAD_GATEWAY', message: 'No API process is reachable' }));
        return;
      }
      tried.add(backend);
      const upstream = httpRequest({ host: backend.host, port: backend.port, method: req.method, path: req.url, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        if (err.code === 'ECONNREFUSED') backend.healthy = false;
        if (!res.headersSent && replayable && err.code === 'ECONNREFUSED') return attempt();
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: 502, code: 'BAD_GATEWAY', message: 'The API process did not answer' }));
        } else res.destroy();
      });
      if (replayable) upstream.end();
      else req.pipe(upstream);
    };
    attempt();
  });
  server.on('close', () => clearInterval(timer));
  return { server, pool, check };
}

/**
 * Starts the cluster and resolves once the proxy answers and every API is ready. Options override the CLUSTER_*
 * variables; `env` is passed to every process. `stop()` ends everything (and drops the database when
 * `dropDatabaseOnStop`).
 */
export async function startCluster(options = {}) {
  const penv = options.processEnv ?? process.env;
  const mysqlUrl = options.mysqlUrl ?? penv.CLUSTER_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const database = options.database ?? penv.CLUSTER_DATABASE ?? 'aitrainer_cluster';
  const redisUrl = options.redisUrl ?? penv.CLUSTER_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const apiCount = options.apis ?? Number(penv.CLUSTER_APIS ?? 2);
  const workerCount = options.workers ?? Number(penv.CLUSTER_WORKERS ?? 2);
  const dataDir = resolve(options.dataDir ?? penv.CLUSTER_DATA_DIR ?? join(root, 'data/cluster'));
  const echo = options.echo ?? false;
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx nx run backend:build)`);
  mkdirSync(dataDir, { recursive: true });

  const databaseUrl = await ensureDatabase(mysqlUrl, database);
  const env = {
    ...penv,
    NODE_ENV: penv.NODE_ENV ?? 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    TRUST_PROXY: '1',
    DEMO_DATA: penv.DEMO_DATA ?? 'true',
    DEMO_CONTENT: penv.DEMO_CONTENT ?? (penv.NODE_ENV === 'test' ? 'false' : 'true'),
    ...clusterSecrets(dataDir, penv),
    ...(options.env ?? {}),
  };
  const processes = [];
  let proxy = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (proxy) {
      proxy.server.closeAllConnections?.();
      await new Promise((r) => proxy.server.close(r));
    }
    const running = processes.filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of running) p.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((p) => p.exitCode === null && p.kill('SIGKILL')), 15_000);
    await Promise.all(running.map((p) => (p.exitCode === null && p.signalCode === null ? once(p, 'exit') : null)));
    clearTimeout(killer);
    if (options.dropDatabaseOnStop) await dropDatabase(mysqlUrl, database);
  };

  try {
    // 1. Migrations once, before any API or worker starts (the order a deployment follows too).
    const migrate = spawnBackend('migrate', 'migrate', env, { echo });
    processes.push(migrate);
    const [code] = await once(migrate, 'exit');
    if (code !== 0) throw new Error(`migrate failed (${code}):\n${migrate.output}`);

    // 2. The APIs, one after the other: the first loads the demo data, so two never race to insert it.
    const apis = [];
    for (let i = 1; i <= apiCount; i++) {
      const port = await freePort();
      const child = spawnBackend('api', `api-${i}`, { ...env, PORT: String(port) }, { echo });
      processes.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`api-${i} exited (${child.exitCode}):\n${child.output}`);
          return (await fetch(`${url}/api/health`)).ok;
        },
        90_000,
        `api-${i}`,
      ).catch((e) => {
        throw new Error(`${e.message}\n${child.output}`);
      });
      apis.push({ name: `api-${i}`, port, url, process: child });
    }

    // 3. The proxy in front of them.
    proxy = createProxy(apis.map((a) => ({ host: '127.0.0.1', port: a.port, name: a.name })));
    const proxyPort = options.port ?? Number(penv.CLUSTER_PORT ?? 0) ?? 0;
    proxy.server.listen(proxyPort, options.host ?? '127.0.0.1');
    await once(proxy.server, 'listening');
    const url = `http://127.0.0.1:${proxy.server.address().port}`;

    // 4. The workers.
    const workers = [];
    for (let i = 1; i <= workerCount; i++) {
      const child = spawnBackend('worker', `worker-${i}`, env, { echo });
      processes.push(child);
      workers.push({ name: `worker-${i}`, process: child });
    }
    await waitFor(async () => workers.every((w) => /Worker started/.test(w.process.output) || w.process.exitCode !== null), 60_000, 'the workers');
    for (const w of workers) if (w.process.exitCode !== null) throw new Error(`${w.name} exited (${w.process.exitCode}):\n${w.process.output}`);

    return { url, apis, workers, proxy, databaseUrl, database, redisUrl, dataDir, env, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

async function cli() {
  let cluster = null;
  let stopping = false;
  // Installed before anything starts: Ctrl-C during start-up must not leave processes behind.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping the cluster...`);
      if (cluster) await cluster.stop();
      else await stopAllProcesses();
      process.exit(0);
    });
  }
  cluster = await startCluster({ echo: process.env.CLUSTER_ECHO !== 'false', port: Number(process.env.CLUSTER_PORT ?? 8080) });
  if (stopping) return;
  const lines = [
    '',
    `  Local cluster: ${cluster.apis.length} API + ${cluster.workers.length} worker processes, MySQL ${cluster.database}, Redis ${cluster.redisUrl}`,
    `  Portal and API (through the proxy): ${cluster.url}/   (API ${cluster.url}/api, docs ${cluster.url}/api/docs, metrics ${cluster.url}/metrics)`,
    ...cluster.apis.map((a) => `  ${a.name}: ${a.url}`),
    `  Data directory (secrets.json, files): ${cluster.dataDir}`,
    '',
    `  Demo logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.join(', ')}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
  for (const p of [...cluster.apis, ...cluster.workers]) {
    p.process.on('exit', (code, signal) => {
      if (!stopping) console.error(`${p.name} exited (${code ?? signal}); the rest keeps running.`);
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
