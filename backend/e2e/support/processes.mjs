// Shared by the process tests: a free port, and the built backend started in one mode with its output kept.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';

const main = join(resolve(import.meta.dirname, '../../..'), 'dist/backend/main.cjs');

export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts `dist/backend/main.cjs <mode>` (api, worker, …); `child.output` collects what it prints. */
export function run(mode, env) {
  const child = spawn(process.execPath, [main, mode], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  return child;
}
