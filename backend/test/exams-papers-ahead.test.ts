import { DataSource } from 'typeorm';
import type { AttemptView, CreateQuestionRequest, ExamAnswerValue, LoginResponse } from '@aitrainer/contracts';
import { drawPaper, scoreObjective } from '@aitrainer/domain';
import { ExamAttempt, ExamItemScore } from '../src/exams/entities/exam.entity';
import { ExamPapersService } from '../src/exams/exam-papers.service';
import { QuestionBankService } from '../src/question-bank/question-bank.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

// Papers drawn before the session (issue 20): drawn and stored at registration, served at the start by one
// conditional statement; refused outside the window; scored as before.

let t: TestEnv;
let instructor: LoginResponse;
let student: LoginResponse;
let admin: LoginResponse;
let examId: number;

const as = (who: LoginResponse) => ({
  get: (url: string) => t.http().get(`/api/v1${url}`).set(bearer(who.accessToken)),
  post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
});

const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in time: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

const tags = { occupation: '4-04-05-05', levels: [3, 4] as (3 | 4)[], dutyArea: '数据标注', knowledgePoint: '提前抽卷', difficulty: 'medium' as const };
const options = [
  { key: 'A', text: '甲' },
  { key: 'B', text: '乙' },
  { key: 'C', text: '丙' },
  { key: 'D', text: '丁' },
];
const questions = (i: number): CreateQuestionRequest[] => [
  { type: 'true_false', content: { stem: `提前抽卷判断 ${i}`, answer: i % 2 === 0 }, tags },
  { type: 'single_choice', content: { stem: `提前抽卷单选 ${i}`, options, correctKeys: ['B'] }, tags },
  { type: 'multiple_choice', content: { stem: `提前抽卷多选 ${i}`, options, correctKeys: ['A', 'C'], multipleScoring: 'partial' }, tags },
  { type: 'fill_blank', content: { stem: `提前抽卷填空 ${i}：____`, acceptedAnswers: ['kappa'], partialAnswers: [{ text: 'k', weight: 50 }] }, tags },
  { type: 'numerical', content: { stem: `提前抽卷数值 ${i}`, numericAnswers: [{ value: 1, tolerance: 0, weight: 100 }, { value: 0.9, tolerance: 0.05, weight: 50 }] }, tags },
  { type: 'matching', content: { stem: `提前抽卷匹配 ${i}`, pairs: [{ key: '1', prompt: '分类', answer: '准确率' }, { key: '2', prompt: '转写', answer: '字错率' }, { key: '3', prompt: '检测', answer: 'IoU' }], distractors: ['BLEU'] }, tags },
  { type: 'short_answer', content: { stem: `提前抽卷简答 ${i}`, rubric: '说明抽样与双标' }, tags },
];
const blueprint = [
  { part: 'theory', type: 'true_false', count: 2, points: 5 },
  { part: 'theory', type: 'single_choice', count: 2, points: 5 },
  { part: 'theory', type: 'multiple_choice', count: 2, points: 10 },
  { part: 'theory', type: 'fill_blank', count: 1, points: 10 },
  { part: 'theory', type: 'numerical', count: 1, points: 10 },
  { part: 'theory', type: 'matching', count: 1, points: 15 },
  { part: 'theory', type: 'short_answer', count: 1, points: 20 },
];

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: true });
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);
  for (const i of [1, 2, 3]) for (const q of questions(i)) await as(instructor).post('/question-bank/questions', q).expect(201);
  const exam = await as(instructor).post('/exams', { title: '提前抽卷（三级）', level: 3, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint, eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
  expect(exam.status).toBe(201);
  examId = exam.body.id;
  await as(instructor).post(`/exams/${examId}/publish`).expect(200);
}, 90_000);
afterAll(async () => t?.close());

const db = () => t.app.get(DataSource);
const rowsOf = (registrationId: number) => db().getRepository(ExamAttempt).findBy({ registrationId });
const session = async (startsInMs: number, endsInMs: number) => {
  const res = await as(admin).post('/exam-sessions', { examId, venue: '提前抽卷考场', startsAt: new Date(Date.now() + startsInMs).toISOString(), endsAt: new Date(Date.now() + endsInMs).toISOString() });
  expect(res.status).toBe(201);
  return res.body as { id: number; startsAt: string; endsAt: string };
};
const register = async (sessionId: number, extraMinutes?: number) => {
  const res = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: student.user.id, ...(extraMinutes !== undefined && { extraMinutes }) });
  expect(res.status).toBe(201);
  return res.body.id as number;
};
const start = (registrationId: number) => as(student).post(`/exam-registrations/${registrationId}/attempts`, { part: 'theory' });
const pool = () => t.app.get(QuestionBankService).drawable(instructor.user.organisation?.id ?? null, instructor.user.id, [...new Set(blueprint.map((s) => s.type))] as never, 3);

/** The paper as the candidate is served it: question ids in order and each choice question's option order. */
const served = (a: AttemptView) => a.questions.map((q) => ({ questionId: q.questionId, optionOrder: q.options?.map((o) => o.key) ?? [] }));

describe('papers drawn before the session', () => {
  it('is drawn and stored at registration, identical to a draw from the same seed at the start, and served as stored', async () => {
    const s = await session(2_500, 3_600_000);
    const registrationId = await register(s.id);
    const [row] = await rowsOf(registrationId);
    expect(row).toMatchObject({ state: 'registered', part: 'theory', startedAtMs: 0, deadlineMs: 0, score: null, maxScore: 95 });
    // The old path drew at the start from the same seed, blueprint and bank: the same paper.
    expect(drawPaper(row!.seed, 'theory', blueprint as never, 3, await pool(), true)).toEqual(row!.paper);
    expect(row!.paper.items).toHaveLength(10);
    expect(row!.questionIds).toBe(`,${row!.paper.items.map((i) => i.questionId).join(',')},`);

    // Before the window: nothing to see and nothing to save into.
    expect((await as(student).get(`/attempts/${row!.id}`)).status).toBe(404);
    expect((await as(student).put(`/attempts/${row!.id}/answers/${row!.paper.items[0]!.questionId}`, { seq: 1, value: true })).status).toBe(404);
    expect((await as(student).post(`/attempts/${row!.id}/submit`)).status).toBe(404);
    const mine = (await as(student).get('/exam-registrations/mine')).body.find((r: { id: number }) => r.id === registrationId);
    expect(mine).toMatchObject({ state: 'not_started', parts: [{ part: 'theory', state: 'not_started' }] });
    const early = await start(registrationId);
    expect(early.status).toBe(409);
    expect(early.body.fields).toEqual([{ field: 'session', problem: 'has not started yet', code: 'SESSION_NOT_STARTED', params: { startsAt: s.startsAt } }]);
    expect((await rowsOf(registrationId))[0]).toMatchObject({ state: 'registered', startedAtMs: 0 });
    const counts = (await as(admin).get('/exam-sessions')).body.find((x: { id: number }) => x.id === s.id).counts;
    expect(counts).toMatchObject({ registered: 1, started: 0 });

    await sleepUntil(Date.parse(s.startsAt) + 50);
    // Two tabs start at once: one attempt, the paper drawn at registration.
    const [a, b] = await Promise.all([start(registrationId), start(registrationId)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(row!.id);
    expect(b.body.id).toBe(row!.id);
    expect(b.body.startedAt).toBe(a.body.startedAt);
    expect(served(a.body)).toEqual(row!.paper.items.map((i) => ({ questionId: i.questionId, optionOrder: ['single_choice', 'multiple_choice'].includes(i.type) ? i.optionOrder : [] })));
    expect(Date.parse(a.body.deadline) - Date.parse(a.body.startedAt)).toBe(30 * 60_000);
    // The content is the drawn versions' (never the gold).
    const versions = await t.app.get(QuestionBankService).versionsById(row!.paper.items.map((i) => i.versionId));
    for (const [i, q] of (a.body as AttemptView).questions.entries()) expect(q.stem).toBe(versions.get(row!.paper.items[i]!.versionId)!.content.stem);
    expect(JSON.stringify(a.body)).not.toMatch(/correctKeys|acceptedAnswers|numericAnswers|"answer"|rubric/);
    // Starting again later resumes the same attempt with the same paper.
    const again = await start(registrationId);
    expect(again.body.id).toBe(row!.id);
    expect(again.body.questions).toEqual(a.body.questions);
    expect((await rowsOf(registrationId))[0]).toMatchObject({ state: 'in_progress', startedAtMs: Date.parse(a.body.startedAt), deadlineMs: Date.parse(a.body.deadline) });
    expect((await as(admin).get('/exam-sessions')).body.find((x: { id: number }) => x.id === s.id).counts).toMatchObject({ registered: 1, started: 1 });
  }, 30_000);

  it('a late registration (the session open already) gets its paper at registration; extra time set before the start counts', async () => {
    const s = await session(-60_000, 3_600_000);
    const registrationId = await register(s.id);
    const [row] = await rowsOf(registrationId);
    expect(row?.state).toBe('registered');
    expect(row?.paper.items).toHaveLength(10);
    // Extra time may change while the paper is drawn and not started, and the start applies it.
    expect((await as(admin).put(`/exam-registrations/${registrationId}/extra-time`, { extraMinutes: 15 })).status).toBe(200);
    const started = await start(registrationId);
    expect(started.status).toBe(200);
    expect(started.body.id).toBe(row!.id);
    expect(served(started.body).map((q) => q.questionId)).toEqual(row!.paper.items.map((i) => i.questionId));
    expect(Date.parse(started.body.deadline) - Date.parse(started.body.startedAt)).toBe(45 * 60_000);
    expect((await as(admin).put(`/exam-registrations/${registrationId}/extra-time`, { extraMinutes: 30 })).status).toBe(409);
  });

  it('a registration without a drawn paper (made before papers were drawn ahead) gets one from the worker at boot, or at its start', async () => {
    const s = await session(-60_000, 3_600_000);
    const first = await register(s.id);
    await db().query("DELETE FROM exam_attempts WHERE registration_id = ? AND state = 'registered'", [first]);
    expect(await rowsOf(first)).toHaveLength(0);
    expect(await t.app.get(ExamPapersService).drawMissing()).toBeGreaterThanOrEqual(1);
    const [drawn] = await rowsOf(first);
    expect(drawn?.state).toBe('registered');
    expect(drawPaper(drawn!.seed, 'theory', blueprint as never, 3, await pool(), true)).toEqual(drawn!.paper);
    // Missing at the start: drawn there (the old path), then started.
    await db().query("DELETE FROM exam_attempts WHERE registration_id = ? AND state = 'registered'", [first]);
    const started = await start(first);
    expect(started.status).toBe(200);
    const [row] = await rowsOf(first);
    expect(row).toMatchObject({ id: started.body.id, state: 'in_progress' });
    expect(served(started.body).map((q) => q.questionId)).toEqual(row!.paper.items.map((i) => i.questionId));
  });

  it('a start after the session has closed is refused with SESSION_ENDED and changes nothing', async () => {
    const s = await session(-60_000, 1_500);
    const registrationId = await register(s.id);
    await sleepUntil(Date.parse(s.endsAt) + 50);
    const late = await start(registrationId);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CONFLICT');
    expect(late.body.fields).toEqual([{ field: 'session', problem: 'has ended', code: 'SESSION_ENDED', params: { endsAt: s.endsAt } }]);
    expect((await rowsOf(registrationId))[0]).toMatchObject({ state: 'registered', startedAtMs: 0, deadlineMs: 0 });
    // Without a drawn paper it is refused the same way, and nothing is drawn.
    await db().query('DELETE FROM exam_attempts WHERE registration_id = ?', [registrationId]);
    expect((await start(registrationId)).body.fields[0].code).toBe('SESSION_ENDED');
    expect(await rowsOf(registrationId)).toHaveLength(0);
  });

  it('submit then score gives, for every question type, the score the scoring rules give the saved answers', async () => {
    const s = await session(-60_000, 3_600_000);
    const registrationId = await register(s.id);
    const attempt: AttemptView = (await start(registrationId)).body;
    const [row] = await rowsOf(registrationId);
    const versions = await t.app.get(QuestionBankService).versionsById(row!.paper.items.map((i) => i.versionId));
    // Right, partly right and wrong answers, by position.
    const answerFor = (type: string, n: number): ExamAnswerValue => {
      switch (type) {
        case 'true_false':
          return n % 2 === 0;
        case 'single_choice':
          return n % 2 ? 'B' : 'C';
        case 'multiple_choice':
          return n % 2 ? ['A', 'C'] : ['A', 'B', 'C'];
        case 'fill_blank':
          return ' Ｋ ';
        case 'numerical':
          return '0.92';
        case 'matching':
          return { '1': '准确率', '2': 'IoU', '3': 'IoU' };
        default:
          return '抽样，双标，计算一致性';
      }
    };
    const given = new Map<number, ExamAnswerValue>();
    for (const [n, q] of attempt.questions.entries()) {
      const value = answerFor(q.type, n);
      given.set(q.questionId, value);
      const saved = await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 1, value });
      expect(saved.status).toBe(200);
    }
    const submitted = await as(student).post(`/attempts/${attempt.id}/submit`);
    expect(submitted.body.state).toBe('submitted');
    const scores = await until(() => db().getRepository(ExamItemScore).findBy({ attemptId: attempt.id }), (r) => r.length === 10);
    let objectiveTotal = 0;
    for (const item of row!.paper.items) {
      const v = versions.get(item.versionId)!;
      const expected = scoreObjective(v.type, v.content, given.get(item.questionId), item.points);
      const stored = scores.find((x) => x.questionId === item.questionId)!;
      if (item.type === 'short_answer') {
        expect(expected).toBeNull();
        expect(stored.source).not.toBe('auto'); // left to the judge or a person
        continue;
      }
      expect({ type: item.type, score: stored.score, source: stored.source }).toEqual({ type: item.type, score: expected!.score, source: 'auto' });
      objectiveTotal += expected!.score;
    }
    // Some answers were partly right: the scores are not all-or-nothing.
    expect(scores.some((x) => x.score !== null && x.score > 0 && x.score < x.points)).toBe(true);
    const scored = await until(() => db().getRepository(ExamAttempt).findOneByOrFail({ id: attempt.id }), (a) => a.score !== null);
    expect(scored.score).toBeCloseTo(objectiveTotal, 3);
  }, 40_000);
});
