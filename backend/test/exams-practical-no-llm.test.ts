import { DataSource } from 'typeorm';
import type { AttemptView, ExamResultView, LoginResponse } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse, student: LoginResponse, admin: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: true }); // no LLM configured
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);
}, 60_000);
afterAll(async () => t?.close());

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

describe('practical items without an LLM', () => {
  it('a short answer stays pending with its reason for the instructor, whose grade completes the result', async () => {
    const tags = { occupation: '4-04-05-05', levels: [4] as 4[], dutyArea: '数据标注', knowledgePoint: '一致性', difficulty: 'easy' as const };
    const q = await as(instructor).post('/question-bank/questions', { type: 'short_answer', content: { stem: '简述一致性检验的作用。', rubric: '提到 κ 与规范改进' }, tags });
    const exam = await as(instructor).post('/exams', { title: '简答', level: 4, parts: [{ part: 'practical', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'practical', type: 'short_answer', count: 1, points: 10 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
    await as(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
    const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: 'B1', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const attempt = (await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'practical' })).body as AttemptView;
    await as(student).put(`/attempts/${attempt.id}/answers/${q.body.id}`, { seq: 1, value: '用 κ 衡量一致程度。' }).expect(200);
    await as(student).post(`/attempts/${attempt.id}/submit`).expect(200);

    const db = t.app.get(DataSource);
    const rows = await until(() => db.query("SELECT * FROM grades WHERE subject_type = 'exam_item' AND subject_id = ?", [`${attempt.id}:${q.body.id}`]), (r: unknown[]) => r.length === 1);
    expect(rows[0]).toMatchObject({ status: 'needs_review', review_reason: 'no_llm_configured' });
    const [item] = await db.query('SELECT score, source FROM exam_item_scores WHERE attempt_id = ?', [attempt.id]);
    expect(item).toEqual({ score: null, source: 'pending' });
    expect(((await as(instructor).get(`/exam-registrations/${reg.body.id}/result`)).body as ExamResultView).status).toBe('incomplete');

    const graded = await as(instructor).put(`/attempts/${attempt.id}/items/${q.body.id}/grade`, { score: 7, reason: '人工评分' });
    expect(graded.body).toMatchObject({ status: 'provisional', passed: true });
    expect(graded.body.parts[0]).toMatchObject({ score: 7, pendingItems: 0 });
  });
});
