#!/usr/bin/env node
// `npm test`: lint and type checks, unit tests, API integration tests, the builds, and the browser tests.
// Integration tests use MySQL and Redis when TEST_MYSQL_URL / TEST_REDIS_URL are set (CI sets them) and
// a fresh SQLite file with the in-process limiter otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const steps = [
  ['lint', ['npx', 'nx', 'run-many', '-t', 'lint', '--output-style=static']],
  // deploy/: Kubernetes manifests, docker-compose.yml and the Dockerfile, validated without a cluster or Docker.
  ['deployment files', ['node', '--test', 'deploy/validate-deploy.test.mjs']],
  ['typecheck', ['npx', 'nx', 'run-many', '-t', 'typecheck', '--output-style=static']],
  ['unit and API tests', ['npx', 'nx', 'run-many', '-t', 'test', '--parallel=1', '--output-style=static']],
  ['build', ['npx', 'nx', 'run-many', '-t', 'build', '--projects=backend,frontend', '--output-style=static']],
  ['process tests (API and worker processes)', ['npx', 'nx', 'run', 'backend:e2e', '--output-style=static']],
];
if (existsSync(chromium)) {
  steps.push(['browser tests', ['npx', 'nx', 'run', 'frontend:e2e', '--output-style=static']]);
} else if (process.env.CI) {
  console.error(`Chromium not found at ${chromium}; CI must run the browser tests (apt-get install chromium).`);
  process.exit(1);
} else {
  console.warn(`\nChromium not found at ${chromium}: browser tests skipped (apt-get install chromium fonts-wqy-microhei).\n`);
}

const results = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  results.push({ name, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  if (r.status !== 0) break;
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`steps: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length === steps.length ? 0 : 1);
