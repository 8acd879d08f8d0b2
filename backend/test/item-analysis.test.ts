import type { AttemptView, CreateQuestionRequest, ExamAnswerValue, ItemAnalysisReport, ItemAnalysisView, LoginResponse } from '@aitrainer/contracts';
import { DataSource } from 'typeorm';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Which attempts item analysis covers, through the API: each candidate's earliest FINISHED attempt per part, as Moodle's
 * "first attempt" (quiz_report_grade_method_sql, QUIZ_ATTEMPTFIRST), whichever session it was in.
 *
 *   c1 sat session 1 (all right: 100) and resat session 2 (all wrong, fill-in left blank)  -> the session-1 attempt
 *   c2 registered for session 1, never started; sat session 2 (TF right, SC wrong, " Kappa") -> included (70)
 *   c3 sat session 1, all wrong (fill-in "alpha")                                           -> included (0)
 *   c4 started in session 1 and has not submitted                                          -> in progress, left out
 *   c5 registered for session 1 and never came                                             -> a no-show, left out
 */
let t: TestEnv;
let instructor: LoginResponse;
let admin: LoginResponse;
let examId: number;
const candidates: LoginResponse[] = [];

const call = (who: LoginResponse) => ({
  get: (url: string) => t.http().get(`/api/v1${url}`).set(bearer(who.accessToken)),
  post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
});

// A duty area of its own, named in every blueprint section, so no other question (demo data) is ever drawn.
const AREA = '试题分析';
const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: AREA, knowledgePoint: '一致性', difficulty: 'medium' };
const questions: CreateQuestionRequest[] = [
  { type: 'true_false', content: { stem: '判断：kappa 扣除了偶然一致。', answer: true }, tags } as CreateQuestionRequest,
  { type: 'single_choice', content: { stem: '单选：哪个是一致性系数？', options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags } as CreateQuestionRequest,
  { type: 'fill_blank', content: { stem: 'Cohen 系数记作 ____。', acceptedAnswers: ['kappa', 'κ'] }, tags } as CreateQuestionRequest,
];

async function session(): Promise<number> {
  const res = await call(admin).post('/exam-sessions', { examId, venue: 'A101', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

async function register(sessionId: number, who: LoginResponse): Promise<number> {
  const res = await call(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: who.user.id });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

/** Starts the theory part and answers by type; submits unless told not to. */
async function sit(who: LoginResponse, registrationId: number, answers: Partial<Record<string, ExamAnswerValue>>, submit = true): Promise<AttemptView> {
  const started = await call(who).post(`/exam-registrations/${registrationId}/attempts`, { part: 'theory' });
  expect(started.status).toBe(200);
  const attempt = started.body as AttemptView;
  for (const q of attempt.questions) {
    const value = answers[q.type];
    if (value !== undefined) await call(who).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 1, value }).expect(200);
  }
  if (submit) {
    await call(who).post(`/attempts/${attempt.id}/submit`).expect(200);
    // The submit is acknowledged at once; a worker job scores it.
    const db = t.app.get(DataSource);
    const end = Date.now() + 20_000;
    while (((await db.query('SELECT score FROM exam_attempts WHERE id = ?', [attempt.id])) as { score: unknown }[])[0]?.score == null) {
      if (Date.now() > end) throw new Error(`attempt ${attempt.id} was not scored in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return attempt;
}

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: true });
  const school = await t.login('school_admin');
  [instructor, admin] = await Promise.all([t.login('instructor'), t.login('org_admin')]);
  candidates.push(await t.login('student'));
  for (let i = 2; i <= 5; i++) {
    const username = `analysis.c${i}`;
    await call(school).post('/users', { username, password: 'Cand@2026x', realName: `考生${i}`, role: 'student', idDocumentType: 'passport', idNumber: `E8800000${i}` }).expect(201);
    candidates.push((await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: 'Cand@2026x' }).expect(200)).body);
  }
  for (const q of questions) await call(instructor).post('/question-bank/questions', q).expect(201);
  const exam = await call(instructor).post('/exams', {
    title: '条目分析考试',
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'true_false', count: 1, points: 30, dutyAreas: [AREA] },
      { part: 'theory', type: 'single_choice', count: 1, points: 30, dutyAreas: [AREA] },
      { part: 'theory', type: 'fill_blank', count: 1, points: 40, dutyAreas: [AREA] },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  expect(exam.status).toBe(201);
  examId = exam.body.id;
  await call(instructor).post(`/exams/${examId}/publish`).expect(200);

  const [c1, c2, c3, c4, c5] = candidates as [LoginResponse, LoginResponse, LoginResponse, LoginResponse, LoginResponse];
  const first = await session();
  const second = await session();
  await sit(c1, await register(first, c1), { true_false: true, single_choice: 'A', fill_blank: 'ＫＡＰＰＡ' });
  await register(first, c2); // never started
  await sit(c3, await register(first, c3), { true_false: false, single_choice: 'C', fill_blank: 'alpha' });
  await sit(c4, await register(first, c4), { true_false: true }, false); // still in progress
  await register(first, c5); // a no-show
  await sit(c2, await register(second, c2), { true_false: true, single_choice: 'B', fill_blank: ' Kappa' });
  await sit(c1, await register(second, c1), { true_false: false, single_choice: 'D', fill_blank: '' }); // the resit
}, 180_000);
afterAll(async () => t?.close());

const item = (report: ItemAnalysisReport, type: string) => report.items.find((i) => i.type === type) as ItemAnalysisView;

it('covers each candidate’s earliest finished attempt and says how many candidates and attempts that is', async () => {
  const res = await call(instructor).get(`/exams/${examId}/item-analysis`);
  expect(res.status).toBe(200);
  const report = res.body as ItemAnalysisReport;
  expect(report.attemptsUsed).toBe('first_finished');
  expect(report.parts).toEqual([{ part: 'theory', registered: 5, candidates: 3, attempts: 3, laterAttempts: 1, inProgress: 1, notStarted: 1, maxScore: 100 }]);
  expect(report.items.map((i) => i.responses)).toEqual([3, 3, 3]);
});

it('the candidate who never started session 1 but sat session 2 is in the figures; the resit and the unfinished attempt are not', async () => {
  const report = (await call(instructor).get(`/exams/${examId}/item-analysis`)).body as ItemAnalysisReport;
  // True/false, 30 points: c1 30, c2 30, c3 0; totals 100, 70, 0 -> facility 66.667 %. Rest 70, 40, 0.
  // x̄ = 20: dx 10, 10, -20, Σdx² = 600. ȳ = 36.667: dy 33.333, 3.333, -36.667, Σdy² = 2466.67, Σdx·dy = 1100.
  // DI = 100 · 1100 / sqrt(600 · 2466.67) = 90.4194 %; item and rest in the same order: DE = 100 %.
  const tf = item(report, 'true_false');
  expect(tf.facility).toBeCloseTo(66.6667, 3);
  expect(tf.discriminationIndex).toBeCloseTo(90.4194, 3);
  expect(tf.discriminativeEfficiency).toBeCloseTo(100, 6);
  expect(tf).toMatchObject({ maxMark: 30, randomGuessScore: 50, intendedWeight: 30, pending: 0, blanks: 0 });
  expect(tf.responseCounts).toEqual([
    { response: 'true', count: 2, correct: true },
    { response: 'false', count: 1, correct: false },
  ]);
  // Single choice: only c1 right (A); c2 B, c3 C. The resit's D is not counted.
  const sc = item(report, 'single_choice');
  expect(sc.facility).toBeCloseTo(33.3333, 3);
  expect(sc.responseCounts).toEqual([
    { response: 'A', count: 1, correct: true },
    { response: 'B', count: 1, correct: false },
    { response: 'C', count: 1, correct: false },
    { response: 'D', count: 0, correct: false },
  ]);
  // Fill-in: ＫＡＰＰＡ and " Kappa" are one accepted group; the resit's blank answer is not counted.
  const fill = item(report, 'fill_blank');
  expect(fill.responseCounts).toEqual([
    { response: 'kappa / κ', count: 2, correct: true },
    { response: 'alpha', count: 1, correct: false },
  ]);
  expect(fill.blanks).toBe(0);
  expect(fill.randomGuessScore).toBe(0);
  // Effective weights of the three items add up to 100 % (none has a negative covariance here).
  expect(report.items.reduce((s, i) => s + (i.effectiveWeight ?? 0), 0)).toBeCloseTo(100, 6);
});

it('only the exam’s instructors read it; an unknown exam is not found', async () => {
  expect((await call(candidates[0]!).get(`/exams/${examId}/item-analysis`)).status).toBe(403);
  expect((await call(admin).get(`/exams/${examId}/item-analysis`)).status).toBe(403);
  expect((await call(instructor).get('/exams/999999/item-analysis')).status).toBe(404);
});

it('an exam nobody has finished yet reports the counts and no items', async () => {
  const exam = await call(instructor).post('/exams', {
    title: '无人完成',
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }],
    blueprint: [{ part: 'theory', type: 'true_false', count: 1, points: 100, dutyAreas: [AREA] }],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await call(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
  const s = await call(admin).post('/exam-sessions', { examId: exam.body.id, venue: 'A102', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  await call(admin).post(`/exam-sessions/${s.body.id}/registrations`, { userId: candidates[4]!.user.id }).expect(201);
  const res = await call(instructor).get(`/exams/${exam.body.id}/item-analysis`);
  expect(res.body).toEqual({ examId: exam.body.id, attemptsUsed: 'first_finished', parts: [{ part: 'theory', registered: 1, candidates: 0, attempts: 0, laterAttempts: 0, inProgress: 0, notStarted: 1, maxScore: 0 }], items: [] });
});
