import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

const AGGREGATE_REQ = 'aitrainer:metrics:aggregate:req';
const AGGREGATE_RES = 'aitrainer:metrics:aggregate:res';

interface AggregateMessage {
  type: string;
  id: string;
  text?: string;
  error?: string;
}

/**
 * Several API processes share one port (the cluster module): a scrape of /metrics reaches any one of them. Each
 * process answers with the sum of all of them (prom-client's AggregatorRegistry, collected by the primary over IPC),
 * so a scrape means the same thing whichever process takes it; `?scope=process` gives the answering process's own.
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs the listener that answers the primary's collection requests
}

/** In the primary: answers the workers' requests for the aggregate. */
export function serveAggregatedMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: AggregateMessage) => {
    if (message?.type !== AGGREGATE_REQ) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: AGGREGATE_RES, id: message.id, text }),
      (e: Error) => worker.isConnected() && worker.send({ type: AGGREGATE_RES, id: message.id, error: e.message }),
    );
  });
}

/** In a worker: the aggregate of every API process, or null when this process is not part of a cluster. */
export function aggregatedMetrics(timeoutMs = 5000): Promise<string> | null {
  if (!cluster.isWorker || !process.send) return null;
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (message: AggregateMessage) => {
      if (message?.type !== AGGREGATE_RES || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary process did not answer the metrics request'));
    }, timeoutMs);
    process.on('message', onMessage);
    process.send?.({ type: AGGREGATE_REQ, id });
  });
}
