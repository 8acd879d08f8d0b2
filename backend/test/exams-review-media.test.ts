import type { AttemptView, ExamReviewView, LoginResponse, QuestionView } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Questions imported from Moodle XML on an exam paper: their @@PLUGINFILE@@ files reach the candidate through the
 * attempt-scoped media route only (the owner's open attempt; after it, only the review of a published result), and
 * the per-option and general feedback reach the candidate in the review, only once the result is published, and only
 * for what they chose (Moodle's specific feedback), never the key.
 */

// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const xml = `<?xml version="1.0" encoding="UTF-8"?><quiz>
  <question type="multichoice"><name><text>框选图</text></name>
    <questiontext format="html"><text><![CDATA[<p>图中框住的是什么？<img src="@@PLUGINFILE@@/box%20one.png" alt="框"></p>]]></text>
      <file name="box one.png" path="/" encoding="base64">${PNG.toString('base64')}</file></questiontext>
    <generalfeedback format="html"><text>框的标签要与类别表一致。</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>汽车</text><feedback><text>对：这是一辆汽车。</text></feedback></answer>
    <answer fraction="0"><text>行人</text><feedback><text>不对：行人更高更窄。</text></feedback></answer>
    <answer fraction="0"><text>路牌</text></answer>
  </question>
  <question type="multichoice"><name><text>指标</text></name>
    <questiontext format="html"><text>哪些是分类任务的指标？</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>准确率</text><feedback><text>准确率是分类指标。</text></feedback></answer>
    <answer fraction="50"><text>宏平均 F1</text><feedback><text>宏平均 F1 是分类指标。</text></feedback></answer>
    <answer fraction="-100"><text>字错率</text><feedback><text>字错率用于语音转写。</text></feedback></answer>
  </question>
  <question type="shortanswer"><name><text>一致性</text></name>
    <questiontext format="html"><text>衡量一致性的系数叫 Cohen 的 ____。</text></questiontext>
    <answer fraction="100"><text>kappa</text><feedback><text>kappa 校正了偶然一致。</text></feedback></answer>
    <answer fraction="50"><text>卡帕</text><feedback><text>请写英文名。</text></feedback></answer>
  </question>
</quiz>`;

let t: TestEnv;
let instructor: LoginResponse, student: LoginResponse, admin: LoginResponse, other: LoginResponse;
let sessionId: number, registrationId: number;
let attempt: AttemptView;
let image: QuestionView, multi: QuestionView, blank: QuestionView;

const as = (who: LoginResponse) => ({
  get: (url: string) => t.http().get(`/api/v1${url}`).set(bearer(who.accessToken)),
  post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
});
const binary = (url: string, who: LoginResponse) =>
  t.http().get(url).set(bearer(who.accessToken)).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
const mediaUrl = () => `/api/v1/attempts/${attempt.id}/media/${image.id}/${encodeURIComponent('box one.png')}`;
const keyOf = (q: QuestionView, text: string) => q.content.options!.find((o) => o.text === text)!.key;

beforeAll(async () => {
  t = await startTestEnv({ JOB_BACKOFF_MS: '50' }, { runWorker: true });
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);
  const school = await t.login('school_admin');
  await as(school).post('/users', { username: 'review.other', password: 'Other@2026x', realName: '无关考生', role: 'student', idDocumentType: 'passport', idNumber: 'E77777777' }).expect(201);
  other = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'review.other', password: 'Other@2026x' }).expect(200)).body;

  const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '', difficulty: 'medium' };
  const imported = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('format', 'moodle_xml').field('tags', JSON.stringify(tags)).attach('file', Buffer.from(xml), 'questions.xml');
  expect(imported.status).toBe(200);
  expect(imported.body.skipped).toEqual([]);
  [image, multi, blank] = await Promise.all(imported.body.imported.map(async (q: { questionId: number }) => (await as(instructor).get(`/question-bank/questions/${q.questionId}`)).body as QuestionView));
  expect([image.type, multi.type, blank.type]).toEqual(['single_choice', 'multiple_choice', 'fill_blank']);
  expect(image.content.media).toEqual([{ name: 'box one.png', key: expect.any(String), mime: 'image/png', size: PNG.length }]);

  const exam = await as(instructor).post('/exams', {
    title: '导入题的复核',
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'single_choice', count: 1, points: 40 },
      { part: 'theory', type: 'multiple_choice', count: 1, points: 30 },
      { part: 'theory', type: 'fill_blank', count: 1, points: 30 },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  expect(exam.status).toBe(201);
  expect((await as(instructor).post(`/exams/${exam.body.id}/publish`)).status).toBe(200);
  const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: '理论机房 A1', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  expect(session.status).toBe(201);
  sessionId = session.body.id;
  const reg = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: student.user.id });
  expect(reg.status).toBe(201);
  registrationId = reg.body.id;
  const started = await as(student).post(`/exam-registrations/${registrationId}/attempts`, { part: 'theory' });
  expect(started.status).toBe(200);
  attempt = started.body;
}, 90_000);
afterAll(async () => t?.close());

describe('the attempt-scoped media route for an imported question', () => {
  it('shows the file in the stem through the attempt and serves its bytes and type to the candidate', async () => {
    const stem = attempt.questions.find((q) => q.questionId === image.id)!.stem;
    expect(stem).toContain(`src="${mediaUrl()}"`);
    expect(stem).not.toContain('@@PLUGINFILE@@');
    const res = await binary(mediaUrl(), student);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
  });

  it('is 404 for another student, another question, an unknown name, and without a sign-in 401', async () => {
    expect((await binary(mediaUrl(), other)).status).toBe(404);
    expect((await binary(`/api/v1/attempts/${attempt.id}/media/${multi.id}/${encodeURIComponent('box one.png')}`, student)).status).toBe(404);
    expect((await binary(`/api/v1/attempts/${attempt.id}/media/${image.id}/other.png`, student)).status).toBe(404);
    expect((await t.http().get(mediaUrl())).status).toBe(401);
    // The instructor reads files through the bank, not through a candidate's attempt.
    expect((await binary(mediaUrl(), instructor)).status).toBe(403);
  });
});

describe('the review of a published result', () => {
  let review: ExamReviewView;

  it('is not there before the submit, and the media closes with the attempt until the result is published', async () => {
    expect((await as(student).get(`/exam-registrations/${registrationId}/review`)).status).toBe(404);
    const save = (questionId: number, seq: number, value: unknown) => as(student).put(`/attempts/${attempt.id}/answers/${questionId}`, { seq, value });
    expect((await save(image.id, 1, keyOf(image, '行人'))).status).toBe(200);
    expect((await save(multi.id, 1, [keyOf(multi, '准确率'), keyOf(multi, '字错率')])).status).toBe(200);
    expect((await save(blank.id, 1, ' ＫＡＰＰＡ')).status).toBe(200);
    expect((await as(student).post(`/attempts/${attempt.id}/submit`)).status).toBe(200);
    expect((await binary(mediaUrl(), student)).status).toBe(404);
    // Scored by the worker, so the result is provisional: still no review for the candidate.
    const end = Date.now() + 20_000;
    while ((await as(instructor).get(`/exam-registrations/${registrationId}/result`)).body.status !== 'provisional' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const early = await as(student).get(`/exam-registrations/${registrationId}/review`);
    expect(early.status).toBe(404);
    expect(JSON.stringify(early.body)).not.toContain('不对');
    expect((await as(admin).post(`/exam-sessions/${sessionId}/results/publish`)).body).toEqual({ published: 1, stillIncomplete: 0 });
  });

  it('then shows each answer with the feedback of what was chosen and the general feedback, never the key', async () => {
    const res = await as(student).get(`/exam-registrations/${registrationId}/review`);
    expect(res.status).toBe(200);
    review = res.body;
    expect(review.parts.map((p) => [p.part, p.attemptId])).toEqual([['theory', attempt.id]]);
    const q = (id: number) => review.parts[0]!.questions.find((x) => x.questionId === id)!;
    expect(q(image.id)).toMatchObject({ type: 'single_choice', answer: keyOf(image, '行人'), answerFeedback: [{ key: keyOf(image, '行人'), text: '不对：行人更高更窄。' }], generalFeedback: '框的标签要与类别表一致。' });
    expect(q(image.id).options!.map((o) => o.text).sort()).toEqual(['汽车', '行人', '路牌'].sort());
    expect(q(image.id).stem).toContain(`src="${mediaUrl()}"`);
    expect(q(multi.id).answerFeedback).toEqual([
      { key: keyOf(multi, '准确率'), text: '准确率是分类指标。' },
      { key: keyOf(multi, '字错率'), text: '字错率用于语音转写。' },
    ]);
    expect(q(multi.id).generalFeedback).toBeNull();
    expect(q(blank.id)).toMatchObject({ answer: ' ＫＡＰＰＡ', answerFeedback: [{ key: 'answer', text: 'kappa 校正了偶然一致。' }] });
    // What was not chosen, and the key itself, stay out.
    const text = JSON.stringify(review);
    for (const hidden of ['对：这是一辆汽车。', '宏平均 F1 是分类指标。', '请写英文名。', 'correctKeys', 'weight', 'acceptedAnswers', 'partialAnswers', '卡帕', '"key":"uploads', image.content.media![0]!.key]) expect(text).not.toContain(hidden);
  });

  it('is the candidate\'s own: another student and staff get 404 or 403', async () => {
    expect((await as(other).get(`/exam-registrations/${registrationId}/review`)).status).toBe(404);
    expect((await as(instructor).get(`/exam-registrations/${registrationId}/review`)).status).toBe(403);
  });

  it('serves the question file again in the review of the published result, to its candidate only', async () => {
    const res = await binary(mediaUrl(), student);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    expect((await binary(mediaUrl(), other)).status).toBe(404);
  });
});
