import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobMetricsSink, JobOutcome, JobQueue } from '../queue/job-queue';
import type { LlmCallRecord, LlmMetricsSink } from '../llm/llm-client';

/** Labels are bounded: routes are Express patterns (`/api/v1/users/:id`), never raw paths. */
const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The Prometheus metrics of one process, in a registry of its own (several apps in one test process must not
 * share counters). Served at GET /metrics by API processes and on METRICS_PORT by worker processes.
 */
export class Metrics implements JobMetricsSink, LlmMetricsSink {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'aitrainer_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'aitrainer_job_duration_seconds',
    help: 'Job handler run time by job name and outcome (completed, failed)',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: 'aitrainer_job_failures_total',
    help: 'Job tries that failed, by job name and kind (transient: will be retried or ran out of tries; permanent)',
    labelNames: ['job', 'kind'] as const,
    registers: [this.registry],
  });

  readonly reconcilerEnqueued = new Counter({
    name: 'aitrainer_reconciler_enqueued_total',
    help: 'Owed jobs the work reconciler offered to the queue (the queue drops those it still holds), by job name',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'aitrainer_queue_jobs',
    help: 'Jobs per queue and state, read from the queue on each scrape',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly coalescedLookupKeys = new Histogram({
    name: 'aitrainer_coalesced_lookup_keys',
    help: 'Keys looked up together in one statement by a coalesced lookup (MySQL): certificate numbers, login sessions',
    labelNames: ['lookup'],
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  readonly answerSaveBatch = new Histogram({
    name: 'aitrainer_answer_save_batch_statements',
    help: 'Answer saves and storm submits written together in one transaction and round trip by the fast paths (MySQL)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly answerSaveBatchFailures = new Counter({
    name: 'aitrainer_answer_save_batch_failures_total',
    help: 'Batches of answer saves rolled back (a deadlock, a lost connection); their saves were retried alone by the full route',
    registers: [this.registry],
  });

  readonly certificatesIssued = new Counter({
    name: 'aitrainer_certificates_issued_total',
    help: 'Certificates issued (signed and stored), by kind (skill_level, enterprise)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly certificateVerifications = new Counter({
    name: 'aitrainer_certificate_verifications_total',
    help: 'Public certificate verifications by outcome (valid, revoked, suspended, not_found, throttled)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly llmCalls = new Counter({
    name: 'aitrainer_llm_calls_total',
    help: 'LLM chat calls by model and outcome (ok, or the error code)',
    labelNames: ['model', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly llmFailures = new Counter({
    name: 'aitrainer_llm_failures_total',
    help: 'LLM chat calls that failed, by model and error code',
    labelNames: ['model', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'aitrainer_llm_tokens_total',
    help: 'LLM tokens by model and direction (input, output)',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
  });

  readonly llmCost = new Counter({
    name: 'aitrainer_llm_cost_usd_total',
    help: 'LLM cost in USD by model, from LLM_PRICE_*_PER_1K',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly llmDuration = new Histogram({
    name: 'aitrainer_llm_call_duration_seconds',
    help: 'LLM chat call latency (limits and SDK retries included) by model and outcome',
    labelNames: ['model', 'outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'aitrainer_' });
  }

  /** Queue depth is read from the queue itself on each scrape, so it is right whichever process enqueued. */
  watchQueue(queue: Pick<JobQueue, 'counts'>): void {
    const gauge = this.queueDepth;
    // prom-client calls collect() before each scrape; a queue that cannot answer leaves the last values.
    (gauge as unknown as { collect: () => Promise<void> }).collect = async () => {
      const counts = await queue.counts().catch(() => null);
      if (!counts) return;
      for (const c of counts) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) gauge.set({ queue: c.queue, state }, c[state]);
      }
    };
  }

  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status: String(status) }, seconds);
  }

  jobFinished(job: string, durationMs: number, outcome: JobOutcome): void {
    this.jobDuration.observe({ job, outcome: outcome === 'completed' ? 'completed' : 'failed' }, durationMs / 1000);
    if (outcome !== 'completed') this.jobFailures.inc({ job, kind: outcome === 'permanent-failure' ? 'permanent' : 'transient' });
  }

  llmCall(record: LlmCallRecord): void {
    const { model, outcome } = record;
    this.llmCalls.inc({ model, outcome });
    if (outcome !== 'ok') this.llmFailures.inc({ model, outcome });
    this.llmDuration.observe({ model, outcome }, record.latencyMs / 1000);
    if (record.inputTokens) this.llmTokens.inc({ model, direction: 'input' }, record.inputTokens);
    if (record.outputTokens) this.llmTokens.inc({ model, direction: 'output' }, record.outputTokens);
    if (record.costUsd) this.llmCost.inc({ model }, record.costUsd);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
