import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { Injectable, Logger } from '@nestjs/common';
import { PARSE_CONCURRENCY, PARSE_TIMEOUT_MS, PARSE_WORKER_LIMITS } from './upload-limits';
import { uploadTooLarge } from './upload-errors';
import { reviveError, type ParseTaskInput, type ParseTaskName, type ParseTaskResult, type SerialisedError } from './parse-tasks';

type Outcome = { ok: true; value: unknown } | { ok: false; error: SerialisedError };

/**
 * Parses uploaded files off the event loop: each parse runs in its own worker thread with `resourceLimits` (heap,
 * stack) and a time limit, at most PARSE_CONCURRENCY at once per process (the others wait). A worker that runs out
 * of its heap, dies or overruns its time is a 413 FILE_TOO_COMPLEX naming the field; the API itself never sees the
 * file's parsed form grow beyond the result.
 */
@Injectable()
export class UploadParser {
  private readonly logger = new Logger('UploadParser');
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** Runs one parse task in a fresh worker; `limits` are the worker's resource limits (tests lower them). */
  async parse<K extends ParseTaskName>(task: K, input: ParseTaskInput<K>, field = 'file', limits: ResourceLimits = PARSE_WORKER_LIMITS): Promise<ParseTaskResult<K>> {
    await this.acquire();
    try {
      return (await this.runWorker(task, input, field, limits)) as ParseTaskResult<K>;
    } finally {
      this.release();
    }
  }

  private runWorker(task: ParseTaskName, input: unknown, field: string, limits: ResourceLimits): Promise<unknown> {
    const tooComplex = (why: string) =>
      uploadTooLarge(field, 'FILE_TOO_COMPLEX', `is too large or too complex to read (${why}); split it into smaller files`, { limitMb: limits.maxOldGenerationSizeMb ?? 0, timeoutSeconds: PARSE_TIMEOUT_MS / 1000 });
    return new Promise((resolve, reject) => {
      let settled = false;
      const worker = new Worker(workerScript(), { workerData: { task, input }, resourceLimits: { ...limits }, stdout: false, stderr: false });
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timer = setTimeout(() => finish(() => reject(tooComplex(`took longer than ${PARSE_TIMEOUT_MS / 1000} s`))), PARSE_TIMEOUT_MS);
      worker.once('message', (m: Outcome) => finish(() => (m.ok ? resolve(m.value) : reject(reviveError(m.error)))));
      worker.once('error', (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          this.logger.warn(`A ${task} parse ran out of its ${limits.maxOldGenerationSizeMb} MB heap; refused`);
          return finish(() => reject(tooComplex('its memory limit was reached')));
        }
        this.logger.error(`A ${task} parse worker failed: ${e.stack ?? e.message}`);
        finish(() => reject(e));
      });
      worker.once('exit', (code) => finish(() => reject(tooComplex(`the reader stopped with code ${code}`))));
    });
  }

  private async acquire(): Promise<void> {
    if (this.running < PARSE_CONCURRENCY) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

let script: string | undefined;

/**
 * The worker's entry: beside the bundle in a build (webpack emits `upload-worker.cjs` next to `main.cjs`); from the
 * TypeScript sources (tests under Jest), bundled once per process with esbuild into a temporary .cjs.
 */
export function workerScript(): string {
  if (script) return script;
  const built = typeof __dirname === 'string' ? join(__dirname, 'upload-worker.cjs') : '';
  if (built && existsSync(built)) return (script = built);
  const here = dirname(fileURLToPath(import.meta.url));
  const source = join(here, 'upload.worker.ts');
  if (!existsSync(source)) throw new Error(`the upload parse worker is missing: neither ${built} nor ${source} exists`);
  script = bundleForTests(source);
  return script;
}

function bundleForTests(source: string): string {
  // esbuild is a build tool of the workspace; only the Jest path reaches this, never a build. The bundle lands inside
  // the workspace so that its packages resolve from node_modules.
  const root = join(dirname(source), '..', '..', '..', '..');
  const esbuild = createRequire(source)('esbuild') as typeof import('esbuild');
  const dir = join(root, 'node_modules', '.cache', 'aitrainer-upload-worker');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `upload-worker-${process.pid}.cjs`);
  esbuild.buildSync({ entryPoints: [source], bundle: true, platform: 'node', format: 'cjs', target: 'node22', packages: 'external', outfile, logLevel: 'silent', tsconfig: join(root, 'tsconfig.base.json') });
  return outfile;
}
