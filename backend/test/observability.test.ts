import { randomBytes } from 'node:crypto';
import { Global, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createApi } from '../src/bootstrap';
import { loadConfig } from '../src/infra/config/app-config';
import { AppLogger } from '../src/infra/observability/app-logger';
import { Metrics } from '../src/infra/observability/metrics';
import { startMetricsServer } from '../src/infra/observability/metrics-server';
import type { AddressInfo } from 'node:net';
import { currentRequestId, runWithRequestContext } from '../src/infra/observability/request-context';
import { BullJobQueue } from '../src/infra/queue/bull-job-queue';
import { DbJobQueue } from '../src/infra/queue/db-job-queue';
import { JOB_METRICS, JOB_QUEUE, PermanentJobError, type JobContext, type JobQueue } from '../src/infra/queue/job-queue';
import { JOBS } from '../src/infra/queue/queue.constants';
import { WorkerModule, type JobProcessor } from '../src/infra/queue/worker.module';
import { LlmClient } from '../src/infra/llm/llm-client';
import { LlmTestServer, reply } from './support/llm-test-server';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(async () => t?.close());

const until = async (cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** An API app whose JSON log lines are captured. */
async function appWithCapturedLogs(): Promise<{ app: INestApplication; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const logger = new AppLogger({ format: 'json', level: 'info', instance: 'api-test', write: (line) => lines.push(JSON.parse(line)) });
  const app = await createApi(t.config, { logger });
  await app.init();
  t.apps.push(app);
  return { app, lines };
}

describe('structured logs', () => {
  it('writes one JSON line per request with time, level, request id, method, route, status, duration and user id', async () => {
    const { app, lines } = await appWithCapturedLogs();
    const res = await request(app.getHttpServer()).get('/api/health').set('X-Request-Id', 'req-health-1');
    expect(res.headers['x-request-id']).toBe('req-health-1');
    const line = lines.find((l) => l['requestId'] === 'req-health-1' && l['context'] === 'Http');
    expect(line).toMatchObject({ level: 'info', instance: 'api-test', method: 'GET', route: '/api/health', path: '/api/health', status: 200, userId: null });
    expect(typeof line!['durationMs']).toBe('number');
    expect(new Date(line!['time'] as string).toISOString()).toBe(line!['time']);
    expect(lines.filter((l) => l['requestId'] === 'req-health-1' && l['context'] === 'Http')).toHaveLength(1);

    // An authenticated request names the user; the route is the pattern, not the path with ids.
    const { accessToken, user } = await t.login('student');
    const me = await request(app.getHttpServer()).get('/api/v1/me').set(bearer(accessToken));
    expect(me.status).toBe(200);
    const meLine = lines.find((l) => l['requestId'] === me.headers['x-request-id'] && l['context'] === 'Http');
    expect(meLine).toMatchObject({ route: '/api/v1/me', status: 200, userId: user.id });
    const missing = await request(app.getHttpServer()).get('/api/v1/users/987654/id-number').set(bearer(accessToken));
    const missingLine = lines.find((l) => l['requestId'] === missing.headers['x-request-id'] && l['context'] === 'Http');
    expect(missingLine!['route']).toBe('/api/v1/users/:id/id-number');
  });

  it('makes a request id when none (or an unsafe one) is sent, and echoes it', async () => {
    const { app, lines } = await appWithCapturedLogs();
    const plain = await request(app.getHttpServer()).get('/api/health/live');
    expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(app.getHttpServer()).get('/api/health/live').set('X-Request-Id', '<script>alert(1)</script>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.some((l) => l['requestId'] === plain.headers['x-request-id'])).toBe(true);
  });

  it('writes readable lines in pretty format and drops levels below LOG_LEVEL', () => {
    const out: string[] = [];
    const logger = new AppLogger({ format: 'pretty', level: 'warn', instance: 'x', write: (l) => out.push(l) });
    runWithRequestContext({ requestId: 'r-9' }, () => {
      logger.log('hidden', 'Ctx');
      logger.warn('shown', 'Ctx');
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/WARN +\[Ctx\] shown {2}\(req=r-9\)$/);
  });

  it('rejects a bad LOG_FORMAT or LOG_LEVEL naming the variable, and defaults to JSON in production', () => {
    const base = { DATA_DIR: t.config.dataDir, PORTAL_DIR: '' };
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT: must be json or pretty/);
    expect(() => loadConfig({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig(base).observability.logFormat).toBe('pretty');
    expect(loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).observability.logFormat).toBe('json');
  });
});

describe('request id carried into jobs', () => {
  type DriverFactory = () => JobQueue;
  const drivers: [string, DriverFactory][] = [['in-process (database)', () => new DbJobQueue(t.app.get(DataSource), { pollMs: 20 })]];
  if (process.env['TEST_REDIS_URL']) {
    const prefix = `aitrainer-obs-${randomBytes(3).toString('hex')}`;
    drivers.push(['bull (Redis)', () => new BullJobQueue(process.env['TEST_REDIS_URL']!, prefix)]);
  }

  it.each(drivers)('%s: the handler runs in the context of the request that enqueued the job; payloads stay as they were', async (_name, make) => {
    const q = make();
    try {
      const seen: { requestId: string | undefined; payload: unknown }[] = [];
      const jobId = `obs-${randomBytes(6).toString('hex')}`;
      await runWithRequestContext({ requestId: 'req-from-http' }, () => q.add(JOBS.gradeLabellingSubmission, { submissionId: 7 }, { jobId }));
      // A job enqueued outside any request gets an id of its own.
      await q.add(JOBS.gradeLabellingSubmission, { submissionId: 8 }, { jobId: `${jobId}-b` });
      q.process(JOBS.gradeLabellingSubmission, 1, async (payload) => {
        seen.push({ requestId: currentRequestId(), payload });
        if ((payload as { submissionId: number }).submissionId === 7) throw new PermanentJobError('stop here');
      });
      await until(() => seen.length === 2);
      expect(seen.find((s) => (s.payload as { submissionId: number }).submissionId === 7)).toEqual({ requestId: 'req-from-http', payload: { submissionId: 7 } });
      expect(seen.find((s) => (s.payload as { submissionId: number }).submissionId === 8)!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      await until(async () => (await q.failed(50)).some((f) => f.jobId === jobId));
      expect((await q.failed(50)).find((f) => f.jobId === jobId)!.payload).toEqual({ submissionId: 7 });
    } finally {
      await q.close();
    }
  });
});

describe('metrics', () => {
  it('serves Prometheus text at /metrics (not under /api): HTTP latency by route, queue depth by state, process metrics', async () => {
    await t.http().get('/api/health').expect(200);
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/aitrainer_http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/api\/health"[^}]*status="200"/);
    expect(res.text).toMatch(/aitrainer_queue_jobs\{queue="grading",state="waiting"\} \d+/);
    expect(res.text).toMatch(/aitrainer_process_cpu_user_seconds_total/);
    expect(res.text).toMatch(/aitrainer_nodejs_heap_size_used_bytes/);
    await t.http().get('/api/metrics').expect(404);
  });

  it('counts the queue depth from the queue itself', async () => {
    const queue = t.app.get<JobQueue>(JOB_QUEUE);
    const jobId = `depth-${randomBytes(6).toString('hex')}`;
    const before = await t.app.get(Metrics).queueDepth.get();
    const waiting = (v: typeof before) => v.values.find((x) => x.labels.state === 'waiting' && x.labels.queue === 'grading')?.value ?? 0;
    await queue.add(JOBS.gradeLabellingSubmission, { submissionId: 1 }, { jobId, delayMs: 0 }); // the API app runs no worker
    const after = await t.app.get(Metrics).queueDepth.get();
    expect(waiting(after)).toBe(waiting(before) + 1);
  });

  it('asks for METRICS_TOKEN as a bearer token when it is set', async () => {
    const token = randomBytes(16).toString('hex');
    const app = await createApi({ ...t.config, observability: { ...t.config.observability, metricsToken: token } }, { logger: false });
    await app.init();
    t.apps.push(app);
    await request(app.getHttpServer()).get('/metrics').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const ok = await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('aitrainer_http_request_duration_seconds');
  });

  it('serves a worker\'s metrics and liveness on METRICS_PORT, with the same token rule', async () => {
    const metrics = new Metrics();
    metrics.jobFinished('grade-prompt-answer', 1500, 'completed');
    const token = randomBytes(16).toString('hex');
    const server = await startMetricsServer(metrics, 0, token);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/live`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/aitrainer_job_duration_seconds_count\{job="grade-prompt-answer",outcome="completed"\} 1/);
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('times jobs and counts failures by job name (worker runner)', async () => {
    const metrics = new Metrics();
    const queue = new DbJobQueue(t.app.get(DataSource), { pollMs: 20, backoffMs: 10 });
    let calls = 0;
    @Injectable()
    class FlakyProcessor implements JobProcessor<{ n: number }> {
      readonly jobName = JOBS.gradePromptAnswer;
      async handle(payload: { n: number }, ctx: JobContext): Promise<void> {
        calls++;
        if (payload.n === 1 && ctx.attempt === 1) throw new Error('transient');
        if (payload.n === 2) throw new PermanentJobError('bad data');
      }
    }
    @Global()
    @Module({ providers: [{ provide: JOB_QUEUE, useValue: queue }, { provide: JOB_METRICS, useValue: metrics }], exports: [JOB_QUEUE, JOB_METRICS] })
    class FakeInfra {}
    const moduleRef = await Test.createTestingModule({ imports: [FakeInfra, WorkerModule.forRoot([FlakyProcessor])] }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    try {
      const id = randomBytes(4).toString('hex');
      await queue.add(JOBS.gradePromptAnswer, { n: 1 }, { jobId: `m-${id}-1` });
      await queue.add(JOBS.gradePromptAnswer, { n: 2 }, { jobId: `m-${id}-2` });
      await until(() => calls === 3);
      await until(async () => (await metrics.jobDuration.get()).values.filter((v) => v.metricName?.endsWith('_count')).reduce((n, v) => n + v.value, 0) === 3);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/aitrainer_job_duration_seconds_count\{job="grade-prompt-answer",outcome="completed"\} 1/);
      expect(text).toMatch(/aitrainer_job_duration_seconds_count\{job="grade-prompt-answer",outcome="failed"\} 2/);
      expect(text).toMatch(/aitrainer_job_failures_total\{job="grade-prompt-answer",kind="transient"\} 1/);
      expect(text).toMatch(/aitrainer_job_failures_total\{job="grade-prompt-answer",kind="permanent"\} 1/);
    } finally {
      await queue.close();
      await moduleRef.close();
    }
  });

  it('counts LLM calls, tokens, failures and cost by model and outcome', async () => {
    const server = await LlmTestServer.start();
    try {
      const metrics = new Metrics();
      const llm = new LlmClient(
        { baseUrl: server.baseUrl, apiKey: 'k', model: 'cand', judgeModel: 'judge', timeoutMs: 5000, maxRetries: 0, concurrency: 4, rpm: 1000, tpm: 1_000_000, priceInputPer1k: 1, priceOutputPer1k: 2 },
        { keyPrefix: `obs-${randomBytes(4).toString('hex')}`, metrics },
      );
      server.enqueue(reply.text('hello', { promptTokens: 100, completionTokens: 50 }), reply.status(400, { message: 'bad request' }));
      await llm.chat({ model: 'cand', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 });
      await expect(llm.chat({ model: 'cand', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 })).rejects.toThrow();
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/aitrainer_llm_calls_total\{model="cand",outcome="ok"\} 1/);
      expect(text).toMatch(/aitrainer_llm_calls_total\{model="cand",outcome="invalid_request"\} 1/);
      expect(text).toMatch(/aitrainer_llm_failures_total\{model="cand",outcome="invalid_request"\} 1/);
      expect(text).toMatch(/aitrainer_llm_tokens_total\{model="cand",direction="input"\} 100/);
      expect(text).toMatch(/aitrainer_llm_tokens_total\{model="cand",direction="output"\} 50/);
      expect(text).toMatch(/aitrainer_llm_cost_usd_total\{model="cand"\} 0.2/);
    } finally {
      await server.close();
    }
  });
});

describe('health', () => {
  it('live answers 200; ready answers 200 when migrations are applied and 503 while one is pending', async () => {
    await t.http().get('/api/health/live').expect(200, { status: 'ok' });
    await t.http().get('/api/health/ready').expect(200, { status: 'ready', database: 'up', migrations: 'applied' });
    const db = t.app.get(DataSource);
    const table = db.driver.escape('migrations');
    const [last] = await db.query(`SELECT id, timestamp, name FROM ${table} ORDER BY id DESC LIMIT 1`);
    await db.query(`DELETE FROM ${table} WHERE id = ?`, [last.id]);
    try {
      const res = await t.http().get('/api/health/ready').expect(503);
      expect(res.body).toEqual({ status: 'not-ready', database: 'up', migrations: 'pending' });
      await t.http().get('/api/health/live').expect(200);
    } finally {
      await db.query(`INSERT INTO ${table} (id, timestamp, name) VALUES (?, ?, ?)`, [last.id, last.timestamp, last.name]);
    }
    await t.http().get('/api/health/ready').expect(200);
  });

  it('ready answers 503 when the database is unreachable, while live stays 200', async () => {
    const app = await t.newApp();
    const db = app.get(DataSource);
    await db.destroy();
    try {
      const res = await request(app.getHttpServer()).get('/api/health/ready').expect(503);
      expect(res.body).toMatchObject({ status: 'not-ready', database: 'down' });
      await request(app.getHttpServer()).get('/api/health/live').expect(200);
    } finally {
      await db.initialize();
    }
  });
});
