import { DataSource } from 'typeorm';
import type { AttemptView, CreateQuestionRequest, LoginResponse, PracticalLabellingView, PracticalPromptTaskView, PromptTaskDefinition } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';
import { LlmTestServer, reply, type RecordedRequest } from './support/llm-test-server';

/**
 * The candidate's paper shows practical items: a labelling item's exercise (labels, guidelines, items, media served
 * for the open attempt only) and a prompt task's brief, never gold answers, hidden cases or anchors. Answers in the
 * grader's shapes, saved through the answer route, are graded after the submit.
 */

const HIDDEN_A = '快递三天都没到，客服也不回消息';
const HIDDEN_B = '包装精美，第二天就到了，很满意';
const ANCHOR = '锚点示例提示词-不应给考生看';
const definition: PromptTaskDefinition = {
  title: '电商评论情感分类',
  scenario: '电商平台需要把用户评论自动分为“正面”或“负面”，输出只能是这两个词之一。',
  variables: ['review'],
  visibleExamples: [{ input: { review: '质量不错，物有所值' } }],
  hiddenCases: [
    { input: { review: HIDDEN_A }, checks: [{ kind: 'label_equals', label: '负面' }] },
    { input: { review: HIDDEN_B }, checks: [{ kind: 'label_equals', label: '正面' }, { kind: 'regex', pattern: '^\\S{2}$' }] },
  ],
  rubric: [
    { id: 'clarity', name: '指令清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '明确的任务与输出格式' }], anchors: [{ text: ANCHOR, score: 4 }] },
    { id: 'format', name: '输出约束', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '无约束' }, { score: 4, descriptor: '严格限定输出' }] },
  ],
  weights: { execution: 50, rubric: 50 },
  passMark: 60,
};
const GOOD_PROMPT = '你是电商客服质检员。判断下面评论的情感，只输出“正面”或“负面”两个字之一，不要输出其他内容。\n评论：{{review}}';
const isJudge = (r: RecordedRequest) => r.body?.messages[0]?.role === 'system' && /^You are an examiner/.test(r.body.messages[0].content ?? '');
const label = (r: RecordedRequest) => ((r.body?.messages[0].content ?? '').includes(HIDDEN_A) ? '负面' : '正面');
const judgement = (clarity: number, format: number) => ({
  criteria: [
    { id: 'clarity', score: clarity, evidence: '只输出“正面”或“负面”', rationale: '任务和输出都写清楚了' },
    { id: 'format', score: format, evidence: '不要输出其他内容', rationale: '限定了输出' },
  ],
});
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let llm: LlmTestServer;
let t: TestEnv;
let instructor: LoginResponse, student: LoginResponse, admin: LoginResponse, other: LoginResponse;
let textExerciseId: number, imageExerciseId: number;
let textQuestionId: number, imageQuestionId: number, promptQuestionId: number;
let registrationId: number;
let attempt: AttemptView;

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
const itemRow = async (attemptId: number, questionId: number) =>
  (await t.app.get(DataSource).query('SELECT score, source FROM exam_item_scores WHERE attempt_id = ? AND question_id = ?', [attemptId, questionId]))[0] as { score: number | string | null; source: string };
const question = (id: number) => attempt.questions.find((q) => q.questionId === id)!;
const tags = (dutyArea: string) => ({ occupation: '4-04-05-05', levels: [4, 5] as (4 | 5)[], dutyArea, knowledgePoint: '标注实操', difficulty: 'medium' as const });

beforeAll(async () => {
  llm = await LlmTestServer.start({ reportedModel: 'judge-model-2026-01' });
  t = await startTestEnv(
    { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'test-key', LLM_MODEL: 'candidate-model', LLM_JUDGE_MODEL: 'judge-model', LLM_TIMEOUT_MS: '400', LLM_MAX_RETRIES: '1', LLM_RPM: '100000', JOB_BACKOFF_MS: '50' },
    { runWorker: true },
  );
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);
  const school = await t.login('school_admin');
  await as(school).post('/users', { username: 'view.other', password: 'Other@2026x', realName: '无关考生', role: 'student', idDocumentType: 'passport', idNumber: 'E66666666' }).expect(201);
  other = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'view.other', password: 'Other@2026x' }).expect(200)).body;

  // Neither exercise is published for practice: the exam alone shows them.
  const text = await as(instructor).post('/labelling/exercises', { title: '评论情感（实操）', description: '按评论整体态度标注。', taskType: 'text_classification', labels: ['正面', '负面'], audience: 'exam' });
  expect(text.status).toBe(201);
  textExerciseId = text.body.id;
  const csv = 'id,text,gold\n1,"服务很好，下次还来",正面\n2,"太慢了, 不推荐",负面\n3,一般般，还行,正面\n4,再也不买了,负面\n';
  const imported = await t.http().post(`/api/v1/labelling/exercises/${textExerciseId}/dataset`).set(bearer(instructor.accessToken)).attach('file', Buffer.from(csv), 'c.csv');
  expect(imported.body).toEqual({ imported: 4, withGold: 4, mediaFiles: 0 });

  const image = await as(instructor).post('/labelling/exercises', { title: '车辆框选（实操）', taskType: 'image_bounding_boxes', labels: ['car', 'person'], audience: 'exam' });
  expect(image.status).toBe(201);
  imageExerciseId = image.body.id;
  const rows = JSON.stringify({ id: 'img1', image: 'street.png', width: 640, height: 480, gold: { boxes: [{ x: 11, y: 22, width: 33, height: 44, label: 'car' }] } });
  const withMedia = await t.http().post(`/api/v1/labelling/exercises/${imageExerciseId}/dataset`).set(bearer(instructor.accessToken))
    .attach('file', Buffer.from(rows + '\n'), 'd.jsonl').attach('media', PNG, { filename: 'street.png', contentType: 'image/png' });
  expect(withMedia.body).toEqual({ imported: 1, withGold: 1, mediaFiles: 1 });

  const task = await as(instructor).post('/prompt-tasks', { definition, audience: 'exam' });
  expect(task.status).toBe(201);
  expect((await as(instructor).post(`/prompt-tasks/${task.body.id}/publish`)).status).toBe(200);

  const questions: CreateQuestionRequest[] = [
    { type: 'labelling', content: { stem: '完成下面的情感标注。', labellingExerciseId: textExerciseId }, tags: tags('文本标注') },
    { type: 'labelling', content: { stem: '框出图中的车辆。', labellingExerciseId: imageExerciseId }, tags: tags('图像标注') },
    { type: 'prompt_task', content: { stem: '为评论情感分类写一个提示词。', promptTaskId: task.body.id }, tags: tags('提示词') },
  ];
  const created: number[] = [];
  for (const q of questions) {
    const res = await as(instructor).post('/question-bank/questions', q);
    expect(res.status).toBe(201);
    created.push(res.body.id as number);
  }
  [textQuestionId, imageQuestionId, promptQuestionId] = created as [number, number, number];

  const exam = await as(instructor).post('/exams', {
    title: '人工智能训练师（四级）实操',
    level: 4,
    parts: [{ part: 'practical', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'practical', type: 'labelling', count: 2, points: 20 },
      { part: 'practical', type: 'prompt_task', count: 1, points: 60 },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  expect(exam.status).toBe(201);
  expect((await as(instructor).post(`/exams/${exam.body.id}/publish`)).status).toBe(200);
  const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: '实操机房 C1', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  expect(session.status).toBe(201);
  const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
  expect(reg.status).toBe(201);
  registrationId = reg.body.id;
  const started = await as(student).post(`/exam-registrations/${registrationId}/attempts`, { part: 'practical' });
  expect(started.status).toBe(200);
  attempt = started.body as AttemptView;
}, 90_000);
afterAll(async () => {
  await t?.close();
  await llm?.close();
});
beforeEach(() => llm.reset());

describe("the candidate's view of practical items", () => {
  it('shows the labelling items with labels and guidelines, and the prompt brief', async () => {
    const res = await as(student).get(`/attempts/${attempt.id}`);
    expect(res.status).toBe(200);
    const view = res.body as AttemptView;
    const byId = new Map(view.questions.map((q) => [q.questionId, q]));
    expect([...byId.keys()].sort()).toEqual([textQuestionId, imageQuestionId, promptQuestionId].sort());

    const text = byId.get(textQuestionId)!.practical as PracticalLabellingView;
    expect(text).toEqual({
      kind: 'labelling',
      title: '评论情感（实操）',
      description: '按评论整体态度标注。',
      taskType: 'text_classification',
      labels: ['正面', '负面'],
      entityTypes: [],
      intents: [],
      slotNames: [],
      items: [
        { id: '1', data: { text: '服务很好，下次还来' } },
        { id: '2', data: { text: '太慢了, 不推荐' } },
        { id: '3', data: { text: '一般般，还行' } },
        { id: '4', data: { text: '再也不买了' } },
      ],
    });
    const image = byId.get(imageQuestionId)!.practical as PracticalLabellingView;
    expect(image).toMatchObject({ kind: 'labelling', taskType: 'image_bounding_boxes', labels: ['car', 'person'] });
    expect(image.items).toEqual([{ id: 'img1', data: { image: 'street.png', width: 640, height: 480 }, mediaUrl: `/api/v1/attempts/${attempt.id}/media/${imageQuestionId}/street.png` }]);

    const prompt = byId.get(promptQuestionId)!.practical as PracticalPromptTaskView;
    expect(prompt).toMatchObject({ kind: 'prompt_task', title: definition.title, scenario: definition.scenario, variables: ['review'], visibleExamples: definition.visibleExamples, weights: definition.weights, passMark: 60 });
    expect(prompt.rubric.map((c) => c.name)).toEqual(['指令清晰', '输出约束']);
  });

  it('carries no gold answers, hidden cases, checks or anchors', async () => {
    const json = (await as(student).get(`/attempts/${attempt.id}`)).text;
    for (const secret of ['gold', '"label":', '"boxes"', 'hiddenCases', HIDDEN_A, HIDDEN_B, 'label_equals', 'checks', 'anchors', ANCHOR, '"x":11']) {
      expect(json).not.toContain(secret);
    }
  });

  it("is not found for another student, and the exercises stay closed to practice", async () => {
    expect((await as(other).get(`/attempts/${attempt.id}`)).status).toBe(404);
    expect((await as(other).get(`/labelling/exercises/${textExerciseId}/items`)).status).toBe(404);
    expect((await as(student).get(`/labelling/exercises/${textExerciseId}/items`)).status).toBe(404);
  });

  it('serves the image of an exam item to the candidate, not to an unrelated student', async () => {
    const url = question(imageQuestionId).practical!.kind === 'labelling' ? (question(imageQuestionId).practical as PracticalLabellingView).items[0]!.mediaUrl! : '';
    const file = await t.http().get(url).set(bearer(student.accessToken)).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('image/png');
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);

    expect((await t.http().get(url).set(bearer(other.accessToken))).status).toBe(404);
    expect((await as(other).get(`/labelling/exercises/${imageExerciseId}/media/street.png`)).status).toBe(404);
    // Not through another question of the paper, not a name the exercise does not have, not to an instructor.
    expect((await as(student).get(`/attempts/${attempt.id}/media/${textQuestionId}/street.png`)).status).toBe(404);
    expect((await as(student).get(`/attempts/${attempt.id}/media/${imageQuestionId}/other.png`)).status).toBe(404);
    expect((await t.http().get(url).set(bearer(instructor.accessToken))).status).toBe(403);
  });
});

describe('practical answers saved through the answer route', () => {
  it('refuses a plain string for a labelling item', async () => {
    const res = await as(student).put(`/attempts/${attempt.id}/answers/${textQuestionId}`, { seq: 1, value: '正面' });
    expect(res.status).toBe(400);
  });

  it('grades a labelling answer and a prompt answer after the submit; the media closes with the attempt', async () => {
    llm.respondWith((r) => (isJudge(r) ? reply.json(judgement(4, 3)) : reply.text(label(r))));
    const labels = { items: { '1': { label: '正面' }, '2': { label: '负面' }, '3': { label: '正面' }, '4': { label: '正面' } } };
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${textQuestionId}`, { seq: 2, value: labels })).status).toBe(200);
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${promptQuestionId}`, { seq: 1, value: { prompt: GOOD_PROMPT } })).status).toBe(200);
    const boxes = { items: { img1: { boxes: [{ x: 11, y: 22, width: 33, height: 44, label: 'car' }] } } };
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${imageQuestionId}`, { seq: 1, value: boxes })).status).toBe(200);

    const reloaded = (await as(student).get(`/attempts/${attempt.id}`)).body as AttemptView;
    expect(reloaded.answers).toEqual(expect.arrayContaining([
      { questionId: textQuestionId, seq: 2, value: labels },
      { questionId: promptQuestionId, seq: 1, value: { prompt: GOOD_PROMPT } },
    ]));

    const submitted = await as(student).post(`/attempts/${attempt.id}/submit`);
    expect(submitted.body.state).toBe('submitted');
    expect((submitted.body as AttemptView).questions.every((q) => q.practical === undefined)).toBe(true);
    expect((await as(student).get(`/attempts/${attempt.id}/media/${imageQuestionId}/street.png`)).status).toBe(404);

    await until(() => itemRow(attempt.id, promptQuestionId), (row) => row?.source === 'llm');
    // labelling: accuracy 0.75 x 20 = 15; boxes exact: 20; prompt: 93.75/100 x 60 = 56.25.
    expect(await itemRow(attempt.id, textQuestionId)).toMatchObject({ source: 'auto' });
    expect(Number((await itemRow(attempt.id, textQuestionId)).score)).toBe(15);
    expect(Number((await itemRow(attempt.id, imageQuestionId)).score)).toBe(20);
    expect(Number((await itemRow(attempt.id, promptQuestionId)).score)).toBe(56.25);
    const result = await until(async () => (await as(instructor).get(`/exam-registrations/${registrationId}/result`)).body, (r) => r.status === 'provisional');
    expect(result.parts[0]).toMatchObject({ part: 'practical', score: 91.25, maxScore: 100, pendingItems: 0 });
  });
});
