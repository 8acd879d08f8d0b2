import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BullJobQueue } from '../src/infra/queue/bull-job-queue';
import { DbJobQueue } from '../src/infra/queue/db-job-queue';
import { JOB_QUEUE, PermanentJobError, type JobQueue } from '../src/infra/queue/job-queue';
import { JOBS } from '../src/infra/queue/queue.constants';
import { GradingService } from '../src/grading/grading.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(async () => t?.close());

const JOB = JOBS.gradeLabellingSubmission; // retry policy: 5 tries, 1 s doubling backoff
const until = async (cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

type DriverFactory = () => JobQueue;
const drivers: [string, DriverFactory][] = [['in-process (database)', () => new DbJobQueue(t.app.get(DataSource), { pollMs: 20 })]];
if (process.env['TEST_REDIS_URL']) {
  const prefix = `aitrainer-test-${randomBytes(3).toString('hex')}`;
  drivers.push(['bull (Redis)', () => new BullJobQueue(process.env['TEST_REDIS_URL']!, prefix)]);
}

describe.each(drivers)('%s driver', (_name, make) => {
  let queues: JobQueue[] = [];
  const queue = () => {
    const q = make();
    queues.push(q);
    return q;
  };
  afterEach(async () => {
    for (const q of queues) await q.close();
    queues = [];
  });
  const id = () => `test-${randomBytes(6).toString('hex')}`;

  it('runs a job enqueued twice with the same id once', async () => {
    const q = queue();
    const seen: string[] = [];
    const jobId = id();
    await q.add(JOB, { n: 1 }, { jobId });
    await q.add(JOB, { n: 2 }, { jobId });
    q.process<{ n: number }>(JOB, 2, async (p, ctx) => void seen.push(`${ctx.jobId}:${p.n}`));
    await until(() => seen.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([`${jobId}:1`]);
  });

  it('retries a transient failure with backoff, then succeeds', async () => {
    const q = queue();
    const tries: number[] = [];
    q.process(JOB, 1, async (_p, ctx) => {
      tries.push(Date.now());
      if (ctx.attempt === 1) throw new Error('model timed out');
    });
    await q.add(JOB, {}, { jobId: id() });
    await until(() => tries.length === 2);
    expect(tries[1] - tries[0]).toBeGreaterThanOrEqual(900); // first backoff 1 s
  });

  it('fails a permanent error at once with its reason, and a retry runs it again', async () => {
    const q = queue();
    let calls = 0;
    let healthy = false;
    const jobId = id();
    q.process(JOB, 1, async () => {
      calls++;
      if (!healthy) throw new PermanentJobError('task definition has no gold answers');
    });
    await q.add(JOB, { exercise: 7 }, { jobId });
    await until(async () => (await q.failed(50)).some((f) => f.jobId === jobId));
    const failed = (await q.failed(50)).find((f) => f.jobId === jobId)!;
    expect(failed.reason).toContain('no gold answers');
    expect(failed.payload).toEqual({ exercise: 7 });
    expect(calls).toBe(1);
    expect((await q.counts())[0].failed).toBeGreaterThanOrEqual(1);

    healthy = true;
    expect(await q.retry('grading', jobId)).toBe(true);
    await until(() => calls === 2);
    await until(async () => !(await q.failed(50)).some((f) => f.jobId === jobId));
    expect(await q.retry('grading', 'no-such-job')).toBe(false);
  });

  it('two workers on one queue run each job exactly once', async () => {
    const a = queue();
    const b = queue();
    const runs = new Map<string, number>();
    const handler = async (p: { k: string }) => {
      await new Promise((r) => setTimeout(r, 5));
      runs.set(p.k, (runs.get(p.k) ?? 0) + 1);
    };
    a.process(JOB, 2, handler);
    b.process(JOB, 2, handler);
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const k of keys) await a.add(JOB, { k }, { jobId: id() });
    await until(() => runs.size === keys.length);
    await new Promise((r) => setTimeout(r, 200));
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('in-process driver crash recovery', () => {
  it('runs again a job whose process died mid-run, once its lease has run out', async () => {
    const db = t.app.get(DataSource);
    const producer = new DbJobQueue(db, { pollMs: 20 });
    const jobId = `crash-${randomBytes(4).toString('hex')}`;
    await producer.add(JOB, {}, { jobId });
    // What a worker that claimed the job and then died leaves behind: active, no heartbeat, lease over.
    await db.query('UPDATE queue_jobs SET state = ?, attempts_made = 1, locked_until = ? WHERE id = ?', ['active', Date.now() - 1, jobId]);

    const survivor = new DbJobQueue(db, { pollMs: 20, leaseMs: 60_000 });
    let completed = 0;
    survivor.process(JOB, 1, async (_p, ctx) => {
      expect(ctx.attempt).toBe(2);
      completed++;
    });
    await until(() => completed === 1);
    await survivor.close();
    await producer.close();
    const rows = await db.query('SELECT COUNT(*) AS n FROM queue_jobs WHERE id = ?', [jobId]);
    expect(Number(rows[0].n)).toBe(0); // completed jobs do not pile up
  });

  it('keeps a long job claimed by renewing its lease while it runs', async () => {
    const db = t.app.get(DataSource);
    const a = new DbJobQueue(db, { pollMs: 20, leaseMs: 600 });
    const b = new DbJobQueue(db, { pollMs: 20, leaseMs: 600 });
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 2000)); // more than three leases long
    };
    a.process(JOB, 1, slow);
    await a.add(JOB, {}, { jobId: `long-${randomBytes(4).toString('hex')}` });
    await until(() => runs === 1);
    b.process(JOB, 1, slow);
    await new Promise((r) => setTimeout(r, 2300));
    expect(runs).toBe(1);
    await a.close();
    await b.close();
  });
});

describe('grades', () => {
  it('stores one grade per answer version and source, whatever the retries', async () => {
    const grading = t.app.get(GradingService);
    const base = { subjectType: 'labelling_submission', subjectId: 's-1', subjectVersion: 1, status: 'final' as const, detail: { items: 3 }, reviewReason: null, model: null, promptHash: null, inputTokens: null, outputTokens: null, costUsd: null, gradedBy: null };
    const first = await grading.record({ ...base, source: 'auto', score: 0.8 });
    const again = await grading.record({ ...base, source: 'auto', score: 0.3 });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.grade.score).toBe(0.8);
    await grading.record({ ...base, source: 'human', score: 0.9, gradedBy: 1 });
    expect((await grading.effective('labelling_submission', 's-1', 1))?.source).toBe('human');
    expect((await grading.effective('labelling_submission', 's-1', 2))).toBeNull();
  });
});

describe('queue admin API', () => {
  it('shows counts and failed jobs to platform admins only, and retries', async () => {
    const admin = await t.login('platform_admin');
    const student = await t.login('student');
    const q = t.app.get<JobQueue>(JOB_QUEUE);
    const jobId = `admin-${randomBytes(4).toString('hex')}`;
    const worker = q.driver === 'bull' ? q : new DbJobQueue(t.app.get(DataSource), { pollMs: 20 });
    worker.process(JOB, 1, async () => {
      throw new PermanentJobError('dataset has no items');
    });
    await q.add(JOB, {}, { jobId });
    await until(async () => (await q.failed(100)).some((f) => f.jobId === jobId));
    if (worker !== q) await worker.close();

    expect((await t.http().get('/api/v1/admin/queues').set(bearer(student.accessToken))).status).toBe(403);
    const counts = await t.http().get('/api/v1/admin/queues').set(bearer(admin.accessToken));
    expect(counts.status).toBe(200);
    expect(counts.body.driver).toBe(q.driver);
    expect(counts.body.queues[0]).toMatchObject({ queue: 'grading', failed: expect.any(Number) });
    const failed = await t.http().get('/api/v1/admin/queues/failed').set(bearer(admin.accessToken));
    expect(failed.body.find((f: { jobId: string }) => f.jobId === jobId)?.reason).toBe('dataset has no items');
    expect((await t.http().post(`/api/v1/admin/queues/grading/jobs/${jobId}/retry`).set(bearer(admin.accessToken))).status).toBe(202);
    expect((await t.http().post(`/api/v1/admin/queues/grading/jobs/no-such-job/retry`).set(bearer(admin.accessToken))).status).toBe(404);
    const audit = await t.http().get(`/api/v1/audit-events?subjectType=job&subjectId=${jobId}`).set(bearer(admin.accessToken));
    expect(audit.body.items[0]).toMatchObject({ action: 'job.retried', actorId: admin.user.id });
    expect((await t.http().post(`/api/v1/admin/queues/nope/jobs/${jobId}/retry`).set(bearer(admin.accessToken))).status).toBe(400);
  });
});

describe('Bull dashboard', () => {
  it('is for platform admins only, through a dashboard session cookie', async () => {
    const admin = await t.login('platform_admin');
    const student = await t.login('student');
    expect((await t.http().get('/api/admin/bull-board/')).status).toBe(401);
    expect((await t.http().post('/api/v1/admin/queues/dashboard-session').set(bearer(student.accessToken))).status).toBe(403);
    const forged = await t.http().get('/api/admin/bull-board/').set('Cookie', `aitrainer_board=${student.accessToken}`);
    expect(forged.status).toBe(403);
    const session = await t.http().post('/api/v1/admin/queues/dashboard-session').set(bearer(admin.accessToken));
    if (!process.env['TEST_REDIS_URL']) {
      expect(session.status).toBe(404); // the in-process driver has no Bull to show
      return;
    }
    expect(session.status).toBe(200);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/aitrainer_board=.*HttpOnly/i);
    expect(setCookie).toContain('Path=/api/admin/bull-board');
    const page = await t.http().get('/api/admin/bull-board/').set('Cookie', setCookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const queues = await t.http().get('/api/admin/bull-board/api/queues').set('Cookie', setCookie.split(';')[0]);
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('grading');
  });
});
