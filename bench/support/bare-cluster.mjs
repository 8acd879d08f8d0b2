/**
 * The opening of every bare handler's script (a CommonJS file the benches write and run): with BARE_PROCESSES > 1 the
 * primary forks that many processes on one port (Node's cluster module, as the product's API) and prints `ready` once
 * all listen; a worker ends when its primary is gone. The handler after it prints `ready` itself only when it runs
 * alone (`if (!cluster.isWorker)`).
 */
export const BARE_CLUSTER_PRELUDE = `
const cluster = require('node:cluster');
const processes = Number(process.env.BARE_PROCESSES || 1);
if (cluster.isPrimary && processes > 1) {
  let listening = 0;
  cluster.on('listening', () => { if (++listening === processes) console.log('ready'); });
  for (let i = 0; i < processes; i++) cluster.fork();
  process.on('SIGTERM', () => { for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM'); process.exit(0); });
  return;
}
if (cluster.isWorker) process.on('disconnect', () => process.exit(0)); // the primary is gone: so is this process
`;
