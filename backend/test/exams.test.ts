import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { AttemptView, CreateQuestionRequest, ExamResultView, LoginResponse, QuestionView } from '@aitrainer/contracts';
import { drawPaper } from '@aitrainer/domain';
import { ExamAttempt, ExamItemScore } from '../src/exams/entities/exam.entity';
import { ExamResultCertificates } from '../src/certificates/exam-result-certificates';
import { QuestionBankService } from '../src/question-bank/question-bank.service';
import { AttemptsService } from '../src/exams/attempts.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse;
let student: LoginResponse;
let admin: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: true });
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

const tags = (difficulty: 'easy' | 'medium' | 'hard' = 'medium', dutyArea = '数据标注') => ({ occupation: '4-04-05-05', levels: [4, 5] as (4 | 5)[], dutyArea, knowledgePoint: '标注规范', difficulty });
const tf = (i: number): CreateQuestionRequest => ({ type: 'true_false', content: { stem: `判断题 ${i}：边界框的 IoU 越大重合越多。`, answer: true }, tags: tags(i % 2 ? 'easy' : 'hard', '数据采集和处理') });
const sc = (i: number): CreateQuestionRequest => ({
  type: 'single_choice',
  content: { stem: `单选题 ${i}：哪一项是实体级 F1 的要求？`, options: [{ key: 'A', text: '类型和边界都一致' }, { key: 'B', text: '只看类型' }, { key: 'C', text: '只看起点' }, { key: 'D', text: '都不需要' }], correctKeys: ['A'] },
  tags: tags(),
});
const fill: CreateQuestionRequest = { type: 'fill_blank', content: { stem: 'Cohen 系数记作 ____。', acceptedAnswers: ['kappa', 'κ'] }, tags: tags('easy') };

const blueprint = [
  { part: 'theory', type: 'true_false', count: 3, points: 10, difficultyMix: { hard: 1 } },
  { part: 'theory', type: 'single_choice', count: 3, points: 10 },
  { part: 'theory', type: 'fill_blank', count: 1, points: 40 },
];

describe('question bank', () => {
  it('creates tagged questions, searches by tag, and an edit makes a new version', async () => {
    const created: QuestionView[] = [];
    for (const q of [tf(1), tf(2), tf(3), tf(4), sc(1), sc(2), sc(3), sc(4), fill]) {
      const res = await as(instructor).post('/question-bank/questions', q);
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    const bad = await as(instructor).post('/question-bank/questions', { ...sc(9), content: { ...sc(9).content, correctKeys: ['E'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'content.correctKeys', problem: 'must name existing option keys', code: 'CORRECT_KEYS_UNKNOWN' }]);

    const byArea = await as(instructor).get('/question-bank/questions?dutyArea=数据采集和处理&level=4');
    expect(byArea.body.map((q: QuestionView) => q.type)).toEqual(['true_false', 'true_false', 'true_false', 'true_false']);
    expect((await as(instructor).get('/question-bank/questions?level=3')).body).toEqual([]);
    expect((await as(student).get('/question-bank/questions')).status).toBe(403);

    const first = created[0]!;
    const edited = await as(instructor).put(`/question-bank/questions/${first.id}`, { ...tf(1), content: { stem: '判断题 1（修订）', answer: true } });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.versionId).not.toBe(first.versionId);
    const history = await as(instructor).get(`/question-bank/questions/${first.id}/versions`);
    expect(history.body.map((v: QuestionView) => v.content.stem)).toEqual([tf(1).content.stem, '判断题 1（修订）']);
  });
});

describe('the pool papers are drawn from', () => {
  it('follows the bank: a question added or edited after a draw is drawn from its current version next time', async () => {
    const bank = t.app.get(QuestionBankService);
    const org = instructor.user.organisation?.id ?? null;
    const before = await bank.drawable(org, instructor.user.id, ['short_answer'], 4);
    const added = await as(instructor).post('/question-bank/questions', { type: 'short_answer', content: { stem: '简述标注一致性检验的步骤。', rubric: '列出抽样、双标、计算 kappa' }, tags: tags() });
    expect(added.status).toBe(201);
    const after = await bank.drawable(org, instructor.user.id, ['short_answer'], 4);
    expect(after.map((q) => q.questionId)).toEqual([...before.map((q) => q.questionId), added.body.id]);
    const edited = await as(instructor).put(`/question-bank/questions/${added.body.id}`, { type: 'short_answer', content: { stem: '简述一致性检验。', rubric: '抽样、双标、kappa' }, tags: tags() });
    const again = await bank.drawable(org, instructor.user.id, ['short_answer'], 4);
    expect(again.find((q) => q.questionId === added.body.id)?.versionId).toBe(edited.body.versionId);
    // A level the new version does not have leaves it out.
    const level3 = await bank.drawable(org, instructor.user.id, ['short_answer'], 3);
    expect(level3.map((q) => q.questionId)).not.toContain(added.body.id);
  });
});

let examId: number;
let sessionId: number;
let registrationId: number;
let attempt: AttemptView;

describe('exam definition', () => {
  it('checks the blueprint against the bank before publishing, naming each shortfall', async () => {
    const res = await as(instructor).post('/exams', {
      title: '人工智能训练师（四级）理论',
      level: 4,
      parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
      blueprint: [...blueprint.slice(0, 2), { part: 'theory', type: 'fill_blank', count: 2, points: 20 }],
      eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
    });
    expect(res.status).toBe(201);
    examId = res.body.id;
    const check = await as(instructor).get(`/exams/${examId}/blueprint-check`);
    expect(check.body).toEqual({ ok: false, problems: [{ section: 2, problem: 'needs 2 fill_blank question(s) at level 4, the bank has 1', available: 1, required: 2 }] });
    const refused = await as(instructor).post(`/exams/${examId}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.fields[0].field).toBe('blueprint[2]');

    const fixed = await as(instructor).put(`/exams/${examId}`, { title: '人工智能训练师（四级）理论', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint, eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
    expect(fixed.status).toBe(200);
    const published = await as(instructor).post(`/exams/${examId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
  });
});

describe('sessions and registration', () => {
  it('a candidate with missing training hours cannot register', async () => {
    const strict = await as(instructor).post('/exams', { title: '需要学时的考试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint, eligibility: { requiredCourseIds: [], minTrainingHours: 50 } });
    await as(instructor).post(`/exams/${strict.body.id}/publish`).expect(200);
    const session = await as(admin).post('/exam-sessions', { examId: strict.body.id, venue: 'A301', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(session.status).toBe(201);
    const res = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('NOT_ELIGIBLE');
    expect(res.body.fields).toEqual([{ field: 'eligibility', problem: 'TRAINING_HOURS_SHORT: {"doneHours":0,"requiredHours":50}', code: 'TRAINING_HOURS_SHORT', params: { doneHours: 0, requiredHours: 50 } }]);
  });

  it('registers an eligible candidate with an admission ticket number', async () => {
    const session = await as(admin).post('/exam-sessions', { examId, venue: '杭州职业技术学院 A301', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    sessionId = session.body.id;
    const res = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: student.user.id, extraMinutes: 10 });
    expect(res.status).toBe(201);
    expect(res.body.ticketNumber).toMatch(/^\d{4}\d{5}\d{6}$/);
    registrationId = res.body.id;
    const again = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: student.user.id });
    expect(again.body.id).toBe(registrationId);
    expect((await as(student).get('/exam-registrations/mine')).body.map((r: { id: number }) => r.id)).toContain(registrationId);
  });

  it('an org admin may name the candidate by username; an unknown or doubled one is refused with the field named', async () => {
    const byName = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { username: ' Demo.Student ' });
    expect(byName.body.id).toBe(registrationId);
    const unknown = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { username: 'nobody.here' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([{ field: 'username', problem: 'must be a student account', code: 'NOT_A_STUDENT' }]);
    const notStudent = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { username: 'demo.instructor' });
    expect(notStudent.status).toBe(400);
    const both = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: student.user.id, username: 'demo.student' });
    expect(both.status).toBe(400);
    expect(both.body.fields[0].field).toBe('username');
    const neither = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, {});
    expect(neither.status).toBe(400);
    expect(neither.body.fields[0].field).toBe('userId');
  });
});

describe('the attempt engine', () => {
  it('starts with a deadline of start + duration + extra time, and resumes the same attempt', async () => {
    const res = await as(student).post(`/exam-registrations/${registrationId}/attempts`, { part: 'theory' });
    expect(res.status).toBe(200);
    attempt = res.body;
    expect(attempt.questions).toHaveLength(7);
    expect(Date.parse(attempt.deadline) - Date.parse(attempt.startedAt)).toBe(40 * 60_000);
    expect(JSON.stringify(attempt)).not.toMatch(/correctKeys|acceptedAnswers|"answer"/);
    const again = await as(student).post(`/exam-registrations/${registrationId}/attempts`, { part: 'theory' });
    expect(again.body.id).toBe(attempt.id);
    expect(again.body.questions).toEqual(attempt.questions);
    // Extra time cannot move once the candidate has started.
    expect((await as(admin).put(`/exam-registrations/${registrationId}/extra-time`, { extraMinutes: 30 })).status).toBe(409);
  });

  it('a paper regenerated from its stored seed is identical', async () => {
    const row = await t.app.get(DataSource).getRepository(ExamAttempt).findOneByOrFail({ id: attempt.id });
    const bank = await t.app.get(QuestionBankService).drawable(instructor.user.organisation?.id ?? null, instructor.user.id, ['true_false', 'single_choice', 'fill_blank'], 4);
    expect(drawPaper(row.seed, 'theory', blueprint as never, 4, bank)).toEqual(row.paper);
  });

  it('a save with an older sequence number does not overwrite a newer one', async () => {
    const q = attempt.questions.find((x) => x.type === 'single_choice')!;
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 5, value: 'A' })).body).toEqual({ questionId: q.questionId, seq: 5, saved: true });
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 3, value: 'B' })).body).toEqual({ questionId: q.questionId, seq: 5, saved: false });
    const view = await as(student).get(`/attempts/${attempt.id}`);
    expect(view.body.answers).toEqual([{ questionId: q.questionId, seq: 5, value: 'A' }]);
    // Reordered saves racing each other: the highest seq wins whatever order they land in.
    const racing = await Promise.all([9, 7, 8, 6].map((seq) => as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq, value: seq === 9 ? 'C' : 'D' })));
    expect(racing.every((r) => r.status === 200)).toBe(true);
    expect((await as(student).get(`/attempts/${attempt.id}`)).body.answers[0]).toEqual({ questionId: q.questionId, seq: 9, value: 'C' });
  });

  it('refuses answers of the wrong shape or for questions not on the paper, and other people', async () => {
    const q = attempt.questions.find((x) => x.type === 'true_false')!;
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 1, value: 'yes' })).status).toBe(400);
    expect((await as(student).put(`/attempts/${attempt.id}/answers/999999`, { seq: 1, value: true })).status).toBe(400);
    expect((await as(instructor).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 1, value: true })).status).toBe(403);
  });

  it('an edit to a question after the paper was drawn does not change the paper', async () => {
    const q = attempt.questions.find((x) => x.type === 'fill_blank')!;
    await as(instructor).put(`/question-bank/questions/${q.questionId}`, { ...fill, content: { ...fill.content, stem: '改过的题干' } }).expect(200);
    expect((await as(student).get(`/attempts/${attempt.id}`)).body.questions.find((x: { questionId: number }) => x.questionId === q.questionId).stem).toBe(fill.content.stem);
  });

  it('a double submit yields one result; the submit is acknowledged at once and the objective items are scored by the worker', async () => {
    for (const q of attempt.questions) {
      const value = q.type === 'true_false' ? true : q.type === 'single_choice' ? 'A' : '  ＫＡＰＰＡ ';
      await as(student).put(`/attempts/${attempt.id}/answers/${q.questionId}`, { seq: 100, value }).expect(200);
    }
    const [a, b] = await Promise.all([as(student).post(`/attempts/${attempt.id}/submit`), as(student).post(`/attempts/${attempt.id}/submit`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.finishedAt).toBe(b.body.finishedAt);
    expect(a.body.score).toBeNull(); // not shown to the candidate before publication
    expect([a.body.state, b.body.state]).toEqual(['submitted', 'submitted']);
    const scores = await until(() => t.app.get(DataSource).getRepository(ExamItemScore).findBy({ attemptId: attempt.id }), (rows) => rows.length > 0);
    expect(scores).toHaveLength(7); // scored once, although submitted twice
    const row = await t.app.get(DataSource).getRepository(ExamAttempt).findOneByOrFail({ id: attempt.id });
    expect(row.score).toBe(100);
    expect(row.pendingItems).toBe(0);
    expect(row.submittedBy).toBe('candidate');
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${attempt.questions[0]!.questionId}`, { seq: 1000, value: false })).status).toBe(409);
    expect((await as(student).post(`/attempts/${attempt.id}/submit`)).body.finishedAt).toBe(a.body.finishedAt);
  });

  it('results stay provisional until an org admin publishes; publishing issues the certificate pair once', async () => {
    // The issuer's numbering codes and a signing key, as an org admin sets them up before a first publish.
    await as(admin).put('/certificates/issuer-settings', { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' }).expect(200);
    await as(admin).post('/certificates/signing-keys/rotate').expect(200);
    const spy = jest.spyOn(ExamResultCertificates.prototype, 'published');
    const provisional = await as(admin).get(`/exam-registrations/${registrationId}/result`);
    expect(provisional.body).toMatchObject({ status: 'provisional', passed: true, parts: [{ part: 'theory', scaled: 100, passed: true, passMark: 60, pendingItems: 0 }] });
    expect((provisional.body as ExamResultView).dutyAreas).toEqual(
      expect.arrayContaining([
        { dutyArea: '数据采集和处理', score: 30, maxScore: 30 },
        { dutyArea: '数据标注', score: 70, maxScore: 70 },
      ]),
    );
    expect((await as(student).get(`/exam-registrations/${registrationId}/result`)).status).toBe(404);
    expect((await as(admin).post(`/exam-sessions/${sessionId}/results/publish`)).body).toEqual({ published: 1, stillIncomplete: 0 });
    expect((await as(admin).post(`/exam-sessions/${sessionId}/results/publish`)).body).toEqual({ published: 0, stillIncomplete: 0 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls as unknown as [object][])[0]![0]).toMatchObject({ registrationId, examId, userId: student.user.id, level: 4, passed: true });
    const mine = await as(student).get(`/exam-registrations/${registrationId}/result`);
    expect(mine.body.status).toBe('published');
    const certificates = await t.app.get(DataSource).query('SELECT kind FROM certificates WHERE holder_user_id = ? ORDER BY kind', [student.user.id]);
    expect(certificates.map((c: { kind: string }) => c.kind)).toEqual(['enterprise', 'skill_level']); // one pair, after two publishes
  });

  it('an attempt abandoned by its browser is submitted at its deadline by the worker, finish time = deadline', async () => {
    // A session that closes in 3 s caps the deadline.
    const session = await as(admin).post('/exam-sessions', { examId, venue: 'B202', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_000).toISOString() });
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const started = await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'theory' });
    expect(Date.parse(started.body.deadline)).toBe(Date.parse(session.body.endsAt));
    const tfq = started.body.questions.find((q: { type: string }) => q.type === 'true_false');
    await as(student).put(`/attempts/${started.body.id}/answers/${tfq.questionId}`, { seq: 1, value: true }).expect(200);
    // The browser goes away. Only the worker's delayed job can submit it now.
    const repo = t.app.get(DataSource).getRepository(ExamAttempt);
    const row = await until(() => repo.findOneByOrFail({ id: started.body.id }), (a) => a.state === 'submitted', 30_000);
    expect(row.submittedBy).toBe('deadline');
    expect(row.finishedAtMs).toBe(row.deadlineMs);
    expect(row.score).toBe(10); // the autosaved answer was scored
    const late = await as(student).put(`/attempts/${started.body.id}/answers/${tfq.questionId}`, { seq: 2, value: false });
    expect(late.status).toBe(409);
  }, 40_000);

  it('a submitted attempt is scored once however often scoring runs, and the deadline job scores one whose scoring job was lost', async () => {
    const session = await as(admin).post('/exam-sessions', { examId, venue: 'B303', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const started: AttemptView = (await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'theory' })).body;
    for (const q of started.questions) await as(student).put(`/attempts/${started.id}/answers/${q.questionId}`, { seq: 1, value: q.type === 'true_false' ? true : q.type === 'single_choice' ? 'A' : 'kappa' }).expect(200);
    // The candidate's submit, as the API acknowledges it, with its scoring job lost (Redis emptied, a crash): the
    // attempt is submitted and not scored.
    const db = t.app.get(DataSource);
    await db.query("UPDATE exam_attempts SET state = 'submitted', finished_at_ms = ?, submitted_by = 'candidate' WHERE id = ?", [Date.now(), started.id]);
    const attempts = t.app.get(AttemptsService);
    // The deadline job (due later) and a duplicated scoring job, at once: one scoring wins.
    await Promise.all([attempts.submitAtDeadline(started.id), attempts.scoreSubmitted(started.id), attempts.scoreSubmitted(started.id)]);
    expect(await db.getRepository(ExamItemScore).countBy({ attemptId: started.id })).toBe(started.questions.length);
    const row = await db.getRepository(ExamAttempt).findOneByOrFail({ id: started.id });
    expect(row.score).toBe(100);
    expect(row.submittedBy).toBe('candidate');
    const result = await as(admin).get(`/exam-registrations/${reg.body.id}/result`);
    expect(result.body).toMatchObject({ status: 'provisional', parts: [{ part: 'theory', scaled: 100 }] });
  });

  it('a save after the deadline is refused with a clear status even before the worker has run', async () => {
    const session = await as(admin).post('/exam-sessions', { examId, venue: 'C1', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 1_500).toISOString() });
    const other = await as(admin).post('/exam-sessions', { examId, venue: 'C2', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(other.status).toBe(201);
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const started = await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'theory' });
    const q = started.body.questions[0];
    await new Promise((r) => setTimeout(r, Date.parse(started.body.deadline) - Date.now() + 50));
    const late = await as(student).put(`/attempts/${started.body.id}/answers/${q.questionId}`, { seq: 1, value: q.type === 'true_false' ? true : q.type === 'fill_blank' ? 'x' : 'A' });
    expect(late.status).toBe(409);
    expect(late.body.fields[0].field).toMatch(/deadline|attempt/);
    const view = await as(student).get(`/attempts/${started.body.id}`);
    expect(view.body.state).toBe('submitted');
    expect(view.body.finishedAt).toBe(view.body.deadline);
  });

  it('a regrade dry run lists whose pass/fail would change and writes nothing; the real run does, audited', async () => {
    const session = await as(admin).post('/exam-sessions', { examId, venue: 'D4', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const started: AttemptView = (await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'theory' })).body;
    let choices = 0;
    for (const q of started.questions) {
      const value = q.type === 'true_false' ? true : q.type === 'single_choice' ? (choices++ < 2 ? 'A' : 'B') : '不对';
      await as(student).put(`/attempts/${started.id}/answers/${q.questionId}`, { seq: 1, value }).expect(200);
    }
    await as(student).post(`/attempts/${started.id}/submit`).expect(200);
    const before = await until(() => as(admin).get(`/exam-registrations/${reg.body.id}/result`), (r) => r.status === 200 && r.body.parts?.length > 0);
    expect(before.body).toMatchObject({ status: 'provisional', passed: false, parts: [{ scaled: 50 }] });

    const fillId = started.questions.find((q) => q.type === 'fill_blank')!.questionId;
    const body = { mode: 'score', score: 40, reason: '题干有歧义，全体给分', dryRun: true };
    const dry = await as(instructor).post(`/exams/${examId}/questions/${fillId}/regrade`, body);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, affectedAttempts: 3, lockedResults: 1, passFailChanges: [{ registrationId: reg.body.id, userId: student.user.id, passedBefore: false, passedAfter: true }] });
    expect((await as(admin).get(`/exam-registrations/${reg.body.id}/result`)).body.passed).toBe(false);

    const real = await as(instructor).post(`/exams/${examId}/questions/${fillId}/regrade`, { ...body, dryRun: false });
    expect(real.body.passFailChanges).toHaveLength(1);
    expect((await as(admin).get(`/exam-registrations/${reg.body.id}/result`)).body).toMatchObject({ passed: true, parts: [{ scaled: 90 }] });
    const audit = await t.app.get(DataSource).query(`SELECT action FROM audit_events WHERE action = 'exam_item.regraded'`);
    expect(audit).toHaveLength(1);
    // Published results are final.
    expect((await as(student).get(`/exam-registrations/${registrationId}/result`)).body.parts[0].scaled).toBe(100);
  });

  it('item analysis counts first attempts only, with per-option counts', async () => {
    const res = await as(instructor).get(`/exams/${examId}/item-analysis`);
    expect(res.status).toBe(200);
    // One candidate, who finished several attempts in later sessions: only the earliest finished one is analysed.
    expect(res.body.parts).toEqual([expect.objectContaining({ part: 'theory', registered: 1, candidates: 1, attempts: 1, inProgress: 0, notStarted: 0 })]);
    expect(res.body.parts[0].laterAttempts).toBeGreaterThanOrEqual(3);
    expect(res.body.items).toHaveLength(7);
    const choice = res.body.items.find((i: { type: string }) => i.type === 'single_choice');
    expect(choice).toMatchObject({ part: 'theory', responses: 1, facility: 100, discriminationIndex: null, randomGuessScore: 25, blanks: 0 });
    expect(choice.responseCounts).toContainEqual({ response: 'A', count: 1, correct: true });
    expect((await as(student).get(`/exams/${examId}/item-analysis`)).status).toBe(403);
  });
});
