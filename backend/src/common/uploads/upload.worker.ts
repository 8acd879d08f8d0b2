import { parentPort, workerData } from 'node:worker_threads';
import { PARSE_TASKS, serialiseError, type ParseTaskName } from './parse-tasks';

/**
 * The parse worker's entry (built to dist/backend/upload-worker.cjs): runs one named parse task on the bytes it was
 * given, posts the result or the error, and ends. It runs under `resourceLimits`, so a hostile file can exhaust this
 * thread's heap, never the API's.
 */
const { task, input } = workerData as { task: ParseTaskName; input: never };
PARSE_TASKS[task](input).then(
  (value) => parentPort!.postMessage({ ok: true, value }),
  (e: unknown) => parentPort!.postMessage({ ok: false, error: serialiseError(e) }),
);
