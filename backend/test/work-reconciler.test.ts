import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { AttemptView, LoginResponse } from '@aitrainer/contracts';
import { JOB_QUEUE, type JobQueue } from '../src/infra/queue/job-queue';
import { BullJobQueue } from '../src/infra/queue/bull-job-queue';
import { REDIS } from '../src/infra/redis/redis.module';
import { WorkReconciler } from '../src/infra/queue/work-reconciler';
import { AttemptsService } from '../src/exams/attempts.service';
import { ExamResultCertificates } from '../src/certificates/exam-result-certificates';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * The reconciler against the real schema and the suite's queue driver (the in-process one on the database, or Bull
 * on TEST_REDIS_URL). No worker runs here, so the queue shows exactly what was enqueued.
 */
let t: TestEnv;
let instructor: LoginResponse, student: LoginResponse, admin: LoginResponse;
let db: DataSource;
let queue: JobQueue;

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: false });
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);
  db = t.app.get(DataSource);
  queue = t.app.get(JOB_QUEUE);
}, 60_000);
afterAll(async () => t?.close());

const as = (who: LoginResponse) => ({
  post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
});
const reconciler = () => new WorkReconciler(db, queue, t.app.get<Redis | null>(REDIS), t.config, null);

/** What Redis forgets when it restarts without persistence: every job of the queue (the in-process driver: its rows). */
async function loseQueuedJobs(): Promise<void> {
  if (queue instanceof BullJobQueue) await queue.queue('grading').obliterate({ force: true });
  else await db.query("DELETE FROM queue_jobs WHERE state <> 'lock'");
}
async function held(): Promise<number> {
  const [c] = await queue.counts();
  return c.waiting + c.delayed + c.active;
}

/** A published one-part exam with one short-answer item and a session open now; the student registered. */
async function examWithRegistration(durationMinutes = 30): Promise<{ registrationId: number; questionId: number }> {
  const tags = { occupation: '4-04-05-05', levels: [4] as 4[], dutyArea: '数据标注', knowledgePoint: '一致性', difficulty: 'easy' as const };
  const q = await as(instructor).post('/question-bank/questions', { type: 'short_answer', content: { stem: '简述一致性检验的作用。', rubric: '提到 κ' }, tags }).expect(201);
  const exam = await as(instructor).post('/exams', { title: '对账', level: 4, parts: [{ part: 'practical', durationMinutes, passMark: 60 }], blueprint: [{ part: 'practical', type: 'short_answer', count: 1, points: 10 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } }).expect(201);
  await as(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
  const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: 'B1', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201);
  const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id }).expect(201);
  return { registrationId: reg.body.id, questionId: q.body.id };
}

describe('work reconciler', () => {
  it('re-enqueues what the database owes and the queue lost, each job once, and nothing the queue still holds', async () => {
    // A submitted attempt waiting to be scored, an overdue one, one due in a minute, one due in an hour.
    const submitted = await examWithRegistration();
    const a1 = (await as(student).post(`/exam-registrations/${submitted.registrationId}/attempts`, { part: 'practical' }).expect(200)).body as AttemptView;
    await as(student).put(`/attempts/${a1.id}/answers/${submitted.questionId}`, { seq: 1, value: '用 κ。' }).expect(200);
    await as(student).post(`/attempts/${a1.id}/submit`).expect(200);
    const attemptIds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const e = await examWithRegistration();
      attemptIds.push(((await as(student).post(`/exam-registrations/${e.registrationId}/attempts`, { part: 'practical' }).expect(200)).body as AttemptView).id);
    }
    const [overdue, soon, later] = attemptIds;
    const now = Date.now();
    await db.query('UPDATE exam_attempts SET deadline_ms = ? WHERE id = ?', [now - 5_000, overdue]);
    await db.query('UPDATE exam_attempts SET deadline_ms = ? WHERE id = ?', [now + 30_000, soon]);

    // The queue holds everything the API enqueued: a pass adds nothing.
    const before = await held();
    expect(before).toBeGreaterThanOrEqual(5); // 4 deadline jobs + the score job
    expect((await reconciler().reconcile()).ran).toBe(true);
    expect(await held()).toBe(before);

    await loseQueuedJobs();
    expect(await held()).toBe(0);
    const report = await reconciler().reconcile();
    expect(report.ran).toBe(true);
    // The submitted attempt's scoring, the overdue attempt's deadline job (due now) and the one due within the next pass.
    expect(report.enqueued).toEqual({ 'submit-exam-attempt-at-deadline': 2, 'score-exam-attempt': 1 });
    const [c] = await queue.counts();
    expect(c.waiting).toBe(2); // score a1, submit `overdue`
    expect(c.delayed).toBe(1); // submit `soon` at its deadline
    // A second pass (or a second worker after the first) adds nothing: the same job ids are still held.
    await reconciler().reconcile();
    expect(await held()).toBe(3);
    expect(later).toBeGreaterThan(0); // an hour away: taken by a later pass, not this one
  });

  it('a practical item with no machine grade is owed; one already graded (e.g. sent to review) is not', async () => {
    const e = await examWithRegistration();
    const a = ((await as(student).post(`/exam-registrations/${e.registrationId}/attempts`, { part: 'practical' }).expect(200)).body as AttemptView).id;
    await as(student).post(`/attempts/${a}/submit`).expect(200);
    // As scoring leaves it: the short answer pending for the grader.
    await db.query('UPDATE exam_attempts SET score = 0, pending_items = 1 WHERE id = ?', [a]);
    await db.query("INSERT INTO exam_item_scores (attempt_id, question_id, version_id, points, score, source, duty_area) SELECT ?, ?, v.id, 10, NULL, 'pending', '' FROM question_versions v WHERE v.question_id = ?", [a, e.questionId, e.questionId]);
    await loseQueuedJobs();
    const owed = (await reconciler().reconcile()).enqueued;
    expect(owed['grade-exam-item']).toBe(1);

    await loseQueuedJobs();
    await db.query(
      "INSERT INTO grades (subject_type, subject_id, subject_version, source, status, score, detail, review_reason, created_at) VALUES ('exam_item', ?, 1, 'llm', 'needs_review', NULL, NULL, 'no_llm_configured', ?)",
      [`${a}:${e.questionId}`, sqlNow()],
    );
    expect((await reconciler().reconcile()).enqueued['grade-exam-item']).toBeUndefined();
    await db.query('UPDATE exam_attempts SET pending_items = 0, score = 1 WHERE id = ?', [a]); // out of the next tests' way
  });

  it('a published pass without its certificate pair is owed once the issuer can issue; the job issues it once', async () => {
    const tags = { occupation: '4-04-05-05', levels: [4] as 4[], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' as const };
    for (let i = 0; i < 2; i++) {
      await as(instructor).post('/question-bank/questions', { type: 'single_choice', content: { stem: `对账单选 ${i}`, options: ['A', 'B'].map((key) => ({ key, text: key })), correctKeys: ['A'] }, tags }).expect(201);
    }
    const exam = await as(instructor).post('/exams', { title: '证书对账', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 2, points: 50 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } }).expect(201);
    await as(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
    const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: 'B2', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201);
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id }).expect(201);
    const attempt = (await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'theory' }).expect(200)).body as AttemptView;
    for (const q of attempt.questions) await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 1, value: 'A' }).expect(200);
    await as(student).post(`/attempts/${attempt.id}/submit`).expect(200);
    await t.app.get(AttemptsService).scoreSubmitted(attempt.id); // the worker's job, run here
    // Published while the issuer cannot issue yet: the pass stays without a pair, and nothing is owed.
    await as(admin).post(`/exam-sessions/${session.body.id}/results/publish`).expect(200);
    const [result] = (await db.query('SELECT id, status, passed FROM exam_results WHERE registration_id = ?', [reg.body.id])) as { id: number; status: string; passed: unknown }[];
    expect(result.status).toBe('published');
    const pairs = async () => Number(((await db.query('SELECT COUNT(*) AS n FROM certificates WHERE result_id = ?', [result.id])) as { n: number }[])[0].n);
    expect(await pairs()).toBe(0);
    await loseQueuedJobs();
    expect((await reconciler().reconcile()).enqueued['issue-result-certificates']).toBeUndefined();

    // The issuer sets up: the pass is owed its pair; the job issues it once, and then nothing is owed.
    await as(admin).put('/certificates/issuer-settings', { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' }).expect(200);
    await as(admin).post('/certificates/signing-keys/rotate').expect(200);
    expect((await reconciler().reconcile()).enqueued['issue-result-certificates']).toBe(1);
    await t.app.get(ExamResultCertificates).repair(Number(result.id));
    await t.app.get(ExamResultCertificates).repair(Number(result.id)); // run twice: still one pair
    expect(await pairs()).toBe(2); // the skill-level certificate and its enterprise twin
    await loseQueuedJobs();
    expect((await reconciler().reconcile()).enqueued['issue-result-certificates']).toBeUndefined();
  });

  it('labelling grades, explanations and calibrations, and prompt answers waiting for the grader are owed; finished ones are not', async () => {
    const ex = await t.http().post('/api/v1/labelling/exercises').set(bearer(instructor.accessToken)).send({ title: '对账情感', taskType: 'text_classification', labels: ['正面', '负面'] }).expect(201);
    const sub = async (state: string, explanation: object | null) => {
      await db.query('INSERT INTO labelling_submissions (exercise_id, student_id, state, draft_owner, version, started_at, explanation) VALUES (?, ?, ?, NULL, 1, ?, ?)', [ex.body.id, student.user.id, state, sqlNow(), explanation && JSON.stringify(explanation)]);
    };
    await sub('submitted', null); // waiting for its grade
    await sub('graded', { status: 'pending', groups: [], summary: '', model: null }); // its explanation still to come
    await sub('graded', { status: 'ready', groups: [], summary: '好', model: 'm' });
    await sub('needs_review', null);
    await sub('draft', null);
    const calibration = (state: string) => db.query('INSERT INTO labelling_calibrations (exercise_id, state, created_by, answer_rows, created_at) VALUES (?, ?, ?, ?, ?)', [ex.body.id, state, instructor.user.id, '[]', sqlNow()]);
    await calibration('running');
    await calibration('done');
    const definition = {
      title: '情感分类', scenario: '把评论分为正面或负面', variables: ['review'], visibleExamples: [],
      hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
      rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 4, descriptor: '清晰' }] }],
      weights: { execution: 50, rubric: 50 }, passMark: 60,
    };
    const task = await as(instructor).post('/prompt-tasks', { definition }).expect(201);
    const answer = (status: string) => db.query('INSERT INTO prompt_answers (task_id, task_version, student_id, prompt, status, submitted_at) VALUES (?, 1, ?, ?, ?, ?)', [task.body.id, student.user.id, '{{review}}', status, sqlNow()]);
    await answer('grading');
    await answer('graded');
    await answer('needs_review');
    await loseQueuedJobs();
    const owed = (await reconciler().reconcile()).enqueued;
    expect(owed).toMatchObject({ 'grade-labelling-submission': 1, 'explain-labelling-mistakes': 1, 'calibrate-labelling-judge': 1, 'grade-prompt-answer': 1 });
  });

  it('runs one pass at a time across workers; a lock left by a dead worker expires', async () => {
    await loseQueuedJobs();
    const [r1, r2] = await Promise.all([reconciler().reconcile(), reconciler().reconcile()]);
    expect([r1.ran, r2.ran].sort()).toEqual([false, true]);
    // The lock is released after a pass: the next one runs.
    expect((await reconciler().reconcile()).ran).toBe(true);

    // A worker that died mid-pass leaves its lock until it expires.
    const redis = t.app.get<Redis | null>(REDIS);
    const key = `${t.config.queuePrefix}:lock:work-reconciler`;
    if (redis) await redis.set(key, 'dead-worker', 'PX', 300);
    else await db.query("INSERT INTO queue_jobs (id, queue, name, payload, state, attempts_made, max_attempts, backoff_ms, run_at, locked_until, created_at) VALUES ('lock:work-reconciler', 'locks', 'work-reconciler', 'dead-worker', 'lock', 0, 0, 0, 0, ?, ?)", [Date.now() + 300, sqlNow()]);
    expect((await reconciler().reconcile()).ran).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await reconciler().reconcile()).ran).toBe(true);
  });
});

function sqlNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}
