#!/usr/bin/env node
// `npm start`: builds the API and the portal when needed (Nx caches unchanged builds), then runs the whole
// product on one port: API at /api, portal at /. With no DATABASE_URL / REDIS_URL it uses SQLite under
// data/ and the in-process queue, and loads the demo data.
import { spawnSync, spawn } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Node.js ${process.versions.node} is too old: the product runs on Node.js 24 LTS (22.12+ also works).`);
  console.error('Install Node.js 24 from https://nodejs.org/ (or `nvm install 24`), then run `npm install && npm start` again.');
  process.exit(1);
}

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=backend,frontend', '--output-style=static'], { stdio: 'inherit', env });
if (build.status !== 0) {
  console.error('\nThe build failed; see the messages above.');
  process.exit(build.status ?? 1);
}
const server = spawn(process.execPath, ['dist/backend/main.cjs', 'all'], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
