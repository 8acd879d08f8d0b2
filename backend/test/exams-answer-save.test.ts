import type { AttemptView, CreateQuestionRequest, LoginResponse } from '@aitrainer/contracts';
import { DataSource } from 'typeorm';
import { AttemptsService } from '../src/exams/attempts.service';
import { ExamAnswerStore } from '../src/exams/exam-answer.store';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * The answer save's fast path (src/exams/answer-save.fast-path.ts) serves the usual save before Express and Nest, on
 * MySQL. Every refusal must still look exactly as the full route makes it, and nothing the guard checks may slip
 * through: a revoked session, another student's attempt, the wrong role. On SQLite every save takes the full route,
 * so the same expectations hold there too.
 */
let t: TestEnv;
let student: LoginResponse;
let instructor: LoginResponse;
let admin: LoginResponse;
let other: LoginResponse;
let attempt: AttemptView;
let registrationId: number;
const fastSaves: boolean[] = [];

const url = (attemptId: number, questionId: number) => `/api/v1/attempts/${attemptId}/answers/${questionId}`;
const put = (who: LoginResponse, attemptId: number, questionId: number, body: object) => t.http().put(url(attemptId, questionId)).set(bearer(who.accessToken)).send(body);
const storedAnswers = async () => (await t.http().get(`/api/v1/attempts/${attempt.id}`).set(bearer(student.accessToken))).body.answers as { questionId: number; seq: number; value: unknown }[];
const single = () => attempt.questions.find((q) => q.type === 'single_choice')!;

beforeAll(async () => {
  t = await startTestEnv();
  [student, instructor, admin] = await Promise.all([t.login('student'), t.login('instructor'), t.login('org_admin')]);
  // Count which saves the fast path served (on MySQL it should serve the usual ones).
  const attempts = t.app.get(AttemptsService);
  const original = attempts.trySaveFast.bind(attempts);
  attempts.trySaveFast = async (...args) => {
    const saved = await original(...args);
    fastSaves.push(saved !== null);
    return saved;
  };

  const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
  for (let i = 0; i < 3; i++) {
    const q: CreateQuestionRequest = { type: 'single_choice', content: { stem: `单选题 ${i}`, options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags } as CreateQuestionRequest;
    await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send(q).expect(201);
  }
  const exam = await t.http().post('/api/v1/exams').set(bearer(instructor.accessToken)).send({ title: '保存测试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 3, points: 100 / 3 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } }).expect(201);
  await t.http().post(`/api/v1/exams/${exam.body.id}/publish`).set(bearer(instructor.accessToken)).expect(200);
  const session = await t.http().post('/api/v1/exam-sessions').set(bearer(admin.accessToken)).send({ examId: exam.body.id, venue: 'B201', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201);
  const reg = await t.http().post(`/api/v1/exam-sessions/${session.body.id}/registrations`).set(bearer(admin.accessToken)).send({ userId: student.user.id }).expect(201);
  registrationId = reg.body.id;
  attempt = (await t.http().post(`/api/v1/exam-registrations/${registrationId}/attempts`).set(bearer(student.accessToken)).send({ part: 'theory' }).expect(200)).body;

  // A second student, registered for the same session, with an attempt of their own.
  const school = await t.login('school_admin');
  await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send({ username: 'save.other', password: 'Other@2026x', realName: '另一考生', role: 'student', idDocumentType: 'passport', idNumber: 'E77777777' }).expect(201);
  other = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'save.other', password: 'Other@2026x' }).expect(200)).body;
  const otherReg = await t.http().post(`/api/v1/exam-sessions/${session.body.id}/registrations`).set(bearer(admin.accessToken)).send({ userId: other.user.id }).expect(201);
  await t.http().post(`/api/v1/exam-registrations/${otherReg.body.id}/attempts`).set(bearer(other.accessToken)).send({ part: 'theory' }).expect(200);
}, 90_000);
afterAll(async () => t?.close());

it('saves an answer, echoes the request id and says which instance answered; on MySQL without Express', async () => {
  fastSaves.length = 0;
  const q = single();
  const res = await put(student, attempt.id, q.questionId, { seq: 1, value: 'B' }).set('X-Request-Id', 'save-test-1');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-request-id']).toBe('save-test-1');
  expect(res.headers['x-instance']).toBeTruthy();
  // The fast path carries the same security headers as every other answer.
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.body).toEqual({ questionId: q.questionId, seq: 1, saved: true });
  expect(await storedAnswers()).toEqual([{ questionId: q.questionId, seq: 1, value: 'B' }]);
  expect(fastSaves).toEqual(t.dbKind === 'mysql' ? [true] : [false]);
});

it('an older seq is answered by the full route and changes nothing', async () => {
  const q = single();
  await put(student, attempt.id, q.questionId, { seq: 10, value: 'C' }).expect(200);
  const res = await put(student, attempt.id, q.questionId, { seq: 9, value: 'D' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ questionId: q.questionId, seq: 10, saved: false });
  expect((await storedAnswers()).find((a) => a.questionId === q.questionId)).toEqual({ questionId: q.questionId, seq: 10, value: 'C' });
});

it('refuses bad input with the field named, as the full route does, and stores nothing', async () => {
  const q = single();
  const before = await storedAnswers();
  const malformed = await t.http().put(url(attempt.id, q.questionId)).set(bearer(student.accessToken)).set('Content-Type', 'application/json').send('{"seq": 11, "value": ');
  expect(malformed.status).toBe(400);
  expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', fields: [{ field: 'body', problem: 'is not valid JSON', code: 'NOT_JSON' }] });
  const deep = await t.http().put(url(attempt.id, q.questionId)).set(bearer(student.accessToken)).set('Content-Type', 'application/json').send(`{"seq": 11, "value": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  expect(deep.status).toBe(400);
  expect(deep.body).toMatchObject({ code: 'MALFORMED_JSON', fields: [{ field: 'body' }] });
  const wrongKey = await put(student, attempt.id, q.questionId, { seq: 11, value: 'Z' });
  expect(wrongKey.status).toBe(400);
  expect(wrongKey.body.fields[0].field).toBe('value');
  const noSeq = await put(student, attempt.id, q.questionId, { value: 'A' });
  expect(noSeq.status).toBe(400);
  expect(noSeq.body.fields.map((f: { field: string }) => f.field)).toContain('seq');
  const negative = await put(student, attempt.id, q.questionId, { seq: -1, value: 'A' });
  expect(negative.status).toBe(400);
  const offPaper = await put(student, attempt.id, 999_999, { seq: 11, value: 'A' });
  expect(offPaper.status).toBe(400);
  expect(offPaper.body.fields).toEqual([{ field: 'questionId', problem: 'is not on this paper', code: 'NOT_ON_PAPER' }]);
  expect(await storedAnswers()).toEqual(before);
});

it("another student's attempt is not found, an instructor may not save, a bad token is 401", async () => {
  const q = single();
  const before = await storedAnswers();
  expect((await put(other, attempt.id, q.questionId, { seq: 50, value: 'A' })).status).toBe(404);
  expect((await put(instructor, attempt.id, q.questionId, { seq: 50, value: 'A' })).status).toBe(403);
  const forged = await t.http().put(url(attempt.id, q.questionId)).set('Authorization', `Bearer ${student.accessToken.slice(0, -3)}abc`).send({ seq: 50, value: 'A' });
  expect(forged.status).toBe(401);
  expect((await t.http().put(url(attempt.id, q.questionId)).send({ seq: 50, value: 'A' })).status).toBe(401);
  expect(await storedAnswers()).toEqual(before);
});

it('after logout the still-unexpired access token cannot save', async () => {
  const second = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'save.other', password: 'Other@2026x' }).expect(200)).body as LoginResponse;
  const mine = (await t.http().get('/api/v1/exam-registrations/mine').set(bearer(second.accessToken))).body as { id: number }[];
  const otherAttempt = (await t.http().post(`/api/v1/exam-registrations/${mine[0]!.id}/attempts`).set(bearer(second.accessToken)).send({ part: 'theory' }).expect(200)).body as AttemptView;
  const oq = otherAttempt.questions[0]!;
  await put(second, otherAttempt.id, oq.questionId, { seq: 1, value: 'A' }).expect(200);
  await t.http().post('/api/v1/auth/logout').set(bearer(second.accessToken)).expect(204);
  const res = await put(second, otherAttempt.id, oq.questionId, { seq: 2, value: 'B' });
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('SESSION_REVOKED');
  const view = (await t.http().get(`/api/v1/attempts/${otherAttempt.id}`).set(bearer(other.accessToken))).body as AttemptView;
  expect(view.answers).toEqual([{ questionId: oq.questionId, seq: 1, value: 'A' }]);
});

it('fast-path saves are counted under the route in /metrics', async () => {
  const metrics = await t.http().get('/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.text).toMatch(/aitrainer_http_request_duration_seconds_count\{[^}]*method="PUT"[^}]*route="\/api\/v1\/attempts\/:id\/answers\/:questionId"[^}]*status="200"\} [1-9]/);
});

it('saves sent at once (two candidates, every question, 20 versions each) are each stored or answered as older; the newest wins; on MySQL they leave in batches', async () => {
  const mine = attempt;
  const theirs = (await t.http().get('/api/v1/exam-registrations/mine').set(bearer(other.accessToken))).body as { id: number }[];
  const otherAttempt = (await t.http().post(`/api/v1/exam-registrations/${theirs[0]!.id}/attempts`).set(bearer(other.accessToken)).send({ part: 'theory' }).expect(200)).body as AttemptView;
  const keys = ['A', 'B', 'C', 'D'];
  const sends: { who: LoginResponse; attemptId: number; questionId: number; seq: number; value: string }[] = [];
  for (const [who, a] of [[student, mine], [other, otherAttempt]] as const) {
    for (const q of a.questions) for (let seq = 200; seq < 220; seq++) sends.push({ who, attemptId: a.id, questionId: q.questionId, seq, value: keys[(seq + q.questionId) % 4]! });
  }
  const answers = await Promise.all(sends.map((s) => put(s.who, s.attemptId, s.questionId, { seq: s.seq, value: s.value })));
  for (const [i, res] of answers.entries()) {
    expect(res.status).toBe(200);
    // Acknowledged as saved, or as older than what is stored (then it says the stored seq, which is newer).
    if (!res.body.saved) expect(res.body.seq).toBeGreaterThan(sends[i]!.seq);
  }
  const expected = (a: AttemptView) => a.questions.map((q) => ({ questionId: q.questionId, seq: 219, value: keys[(219 + q.questionId) % 4] })).sort((x, y) => x.questionId - y.questionId);
  expect((await storedAnswers()).sort((x, y) => x.questionId - y.questionId)).toEqual(expected(mine));
  const view = (await t.http().get(`/api/v1/attempts/${otherAttempt.id}`).set(bearer(other.accessToken))).body as AttemptView;
  expect(view.answers.sort((x, y) => x.questionId - y.questionId)).toEqual(expected(otherAttempt));
  if (t.dbKind === 'mysql') {
    const metrics = (await t.http().get('/metrics')).text;
    const sum = Number(/aitrainer_answer_save_batch_statements_sum (\d+)/.exec(metrics)?.[1]);
    const count = Number(/aitrainer_answer_save_batch_statements_count (\d+)/.exec(metrics)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(sum).toBeGreaterThan(count); // at least one batch carried several saves
  }
});

it('a batch with one failing statement is rolled back whole, its saves answer "not saved here", and the next batch works (MySQL)', async () => {
  if (t.dbKind !== 'mysql') return;
  const store = t.app.get(ExamAnswerStore);
  const session = (JSON.parse(Buffer.from(student.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
  const before = await storedAnswers();
  const q = attempt.questions.map((x) => x.questionId);
  const now = Date.now();
  // Sent in the same tick, so they travel together; the last names a question id beyond the column's range.
  const outcomes = await Promise.all([
    store.upsertInSession(session, student.user.id, attempt.id, q[0]!, 900, JSON.stringify("它's \\ \" ');--"), now),
    store.upsertInSession(session, student.user.id, attempt.id, q[1]!, 900, JSON.stringify('B'), now),
    store.upsertInSession(session, student.user.id, attempt.id, 2 ** 40, 900, JSON.stringify('C'), now),
  ]);
  expect(outcomes).toEqual(['unchanged-or-closed', 'unchanged-or-closed', 'unchanged-or-closed']);
  expect(await storedAnswers()).toEqual(before);
  expect((await t.http().get('/metrics')).text).toMatch(/aitrainer_answer_save_batch_failures_total [1-9]/);
  // The same saves again, without the bad one: stored, the quote-and-backslash text exactly as sent.
  const again = await Promise.all([
    store.upsertInSession(session, student.user.id, attempt.id, q[0]!, 901, JSON.stringify("它's \\ \" ');--"), now),
    store.upsertInSession(session, student.user.id, attempt.id, q[1]!, 901, JSON.stringify('B'), now),
  ]);
  expect(again).toEqual(['replaced', 'replaced']);
  const stored = await storedAnswers();
  expect(stored.find((a) => a.questionId === q[0])).toEqual({ questionId: q[0], seq: 901, value: "它's \\ \" ');--" });
  expect(stored.find((a) => a.questionId === q[1])).toEqual({ questionId: q[1], seq: 901, value: 'B' });
});

it("a storm submit leaves in the batch of the saves sent with it, after the attempt's saves; a failed batch submits nothing (MySQL)", async () => {
  if (t.dbKind !== 'mysql') return;
  const store = t.app.get(ExamAnswerStore);
  const session = (JSON.parse(Buffer.from(student.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
  const q = attempt.questions.map((x) => x.questionId);
  const state = async () => (await t.http().get(`/api/v1/attempts/${attempt.id}`).set(bearer(student.accessToken))).body.state as string;
  const now = Date.now();
  // The submit is queued first, but sorts after the saves of its attempt; the failing statement rolls back all three.
  const failed = await Promise.all([
    store.submitInSession(session, student.user.id, attempt.id, now),
    store.upsertInSession(session, student.user.id, attempt.id, q[0]!, 960, JSON.stringify('C'), now),
    store.upsertInSession(session, student.user.id, attempt.id, 2 ** 40, 960, JSON.stringify('C'), now),
  ]);
  expect(failed).toEqual([false, 'unchanged-or-closed', 'unchanged-or-closed']);
  expect(await state()).toBe('in_progress');
  const together = await Promise.all([
    store.submitInSession(session, student.user.id, attempt.id, now),
    store.upsertInSession(session, student.user.id, attempt.id, q[0]!, 961, JSON.stringify('C'), now),
    store.upsertInSession(session, student.user.id, attempt.id, q[1]!, 961, JSON.stringify('D'), now),
  ]);
  expect(together).toEqual([true, 'replaced', 'replaced']);
  expect(await state()).toBe('submitted');
  const stored = await storedAnswers();
  expect(stored.find((a) => a.questionId === q[0])).toMatchObject({ seq: 961, value: 'C' });
  expect(stored.find((a) => a.questionId === q[1])).toMatchObject({ seq: 961, value: 'D' });
  // Submitted once: again moves nothing, and a save after it is not stored.
  expect(await Promise.all([store.submitInSession(session, student.user.id, attempt.id, now), store.upsertInSession(session, student.user.id, attempt.id, q[2]!, 962, JSON.stringify('A'), now)])).toEqual([false, 'unchanged-or-closed']);
  // Another candidate's session cannot submit this attempt.
  const otherSession = (JSON.parse(Buffer.from(other.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
  expect(await store.submitInSession(otherSession, other.user.id, attempt.id, now)).toBe(false);
});

it('after submission a save is refused with 409 and the stored answers stay', async () => {
  const q = single();
  await t.http().post(`/api/v1/attempts/${attempt.id}/submit`).set(bearer(student.accessToken)).expect(200);
  const before = await storedAnswers();
  const res = await put(student, attempt.id, q.questionId, { seq: 1000, value: 'D' });
  expect(res.status).toBe(409);
  expect(res.body.fields[0].field).toBe('attempt');
  expect(await storedAnswers()).toEqual(before);
});

it('re-keying exam_answers by (attempt, question) keeps every stored answer, both ways, and saves still work after it', async () => {
  const db = t.app.get(DataSource);
  const before = await storedAnswers();
  expect(before.length).toBeGreaterThan(0);
  const columns = async () =>
    t.dbKind === 'mysql'
      ? ((await db.query("SELECT COLUMN_NAME AS name, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'exam_answers' ORDER BY ORDINAL_POSITION")) as { name: string; k: string }[]).map((c) => `${c.name}${c.k === 'PRI' ? '*' : ''}`)
      : ((await db.query("SELECT name, pk FROM pragma_table_info('exam_answers') ORDER BY cid")) as { name: string; pk: number }[]).map((c) => `${c.name}${c.pk ? '*' : ''}`);
  expect(await columns()).toEqual(['attempt_id*', 'question_id*', 'seq', 'value', 'updated_at_ms']);

  const last = (await db.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as { name: string }[];
  expect(last[0]!.name).toBe('KeyExamAnswersByQuestion1765400000000');
  await db.undoLastMigration();
  expect(await columns()).toEqual(['id*', 'attempt_id', 'question_id', 'seq', 'value', 'updated_at_ms']);
  expect(await storedAnswers()).toEqual(before);
  await db.runMigrations();
  expect(await columns()).toEqual(['attempt_id*', 'question_id*', 'seq', 'value', 'updated_at_ms']);
  expect(await storedAnswers()).toEqual(before);
  // One row per answer still: the key refuses a second row for the same question.
  const [first] = before;
  await expect(db.query('INSERT INTO exam_answers (attempt_id, question_id, seq, value, updated_at_ms) VALUES (?, ?, 1, ?, 0)', [attempt.id, first!.questionId, '"A"'])).rejects.toThrow();
  expect(await storedAnswers()).toEqual(before);
});
