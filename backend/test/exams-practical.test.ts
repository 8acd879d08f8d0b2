import { DataSource } from 'typeorm';
import type { AttemptView, CreateQuestionRequest, ExamResultView, LoginResponse, PromptTaskDefinition } from '@aitrainer/contracts';
import { JOB_QUEUE, type JobQueue } from '../src/infra/queue/job-queue';
import { JOBS } from '../src/infra/queue/queue.constants';
import { examItemJobId } from '../src/exams/jobs/grade-exam-item.job';
import { PracticalItemGrader } from '../src/exams/practical-item-grader';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';
import { LlmTestServer, reply, type RecordedRequest } from './support/llm-test-server';

const HIDDEN_A = '快递三天都没到，客服也不回消息';
const HIDDEN_B = '包装精美，第二天就到了，很满意';
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
    { id: 'clarity', name: '指令清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '明确的任务与输出格式' }] },
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

let llm: LlmTestServer;
let t: TestEnv;
let instructor: LoginResponse, student: LoginResponse, admin: LoginResponse;
let examId: number;
let labellingQuestionId: number;
let promptQuestionId: number;

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
const MY_REGISTRATIONS = '/exam-registrations/mine';
const db = () => t.app.get(DataSource);
const gradeRows = (attemptId: number, questionId: number) => db().query("SELECT * FROM grades WHERE subject_type = 'exam_item' AND subject_id = ?", [`${attemptId}:${questionId}`]);
const itemRow = async (attemptId: number, questionId: number) => (await db().query('SELECT score, source FROM exam_item_scores WHERE attempt_id = ? AND question_id = ?', [attemptId, questionId]))[0];
const attemptRow = async (attemptId: number) => {
  const [row] = await db().query('SELECT score, pending_items FROM exam_attempts WHERE id = ?', [attemptId]);
  return { score: Number(row.score), pendingItems: Number(row.pending_items) };
};
const result = async (registrationId: number) => (await as(instructor).get(`/exam-registrations/${registrationId}/result`)).body as ExamResultView;

const tags = { occupation: '4-04-05-05', levels: [4, 5] as (4 | 5)[], dutyArea: '数据标注', knowledgePoint: '标注实操', difficulty: 'medium' as const };

/** A new session with the student registered, the practical part started, both answers saved and submitted. */
async function sitExam(prompt: string): Promise<{ registrationId: number; attempt: AttemptView }> {
  const session = await as(admin).post('/exam-sessions', { examId, venue: '实操机房 B2', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  expect(session.status).toBe(201);
  const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
  expect(reg.status).toBe(201);
  const started = await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'practical' });
  expect(started.status).toBe(200);
  const attempt = started.body as AttemptView;
  // Three of four items right: accuracy 0.75.
  const labels = { items: { '1': { label: '正面' }, '2': { label: '负面' }, '3': { label: '正面' }, '4': { label: '正面' } } };
  expect((await as(student).put(`/attempts/${attempt.id}/answers/${labellingQuestionId}`, { seq: 1, value: labels })).status).toBe(200);
  expect((await as(student).put(`/attempts/${attempt.id}/answers/${promptQuestionId}`, { seq: 1, value: { prompt } })).status).toBe(200);
  const submitted = await as(student).post(`/attempts/${attempt.id}/submit`);
  expect(submitted.body.state).toBe('submitted');
  return { registrationId: reg.body.id, attempt };
}

beforeAll(async () => {
  llm = await LlmTestServer.start({ reportedModel: 'judge-model-2026-01' });
  t = await startTestEnv(
    { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'test-key', LLM_MODEL: 'candidate-model', LLM_JUDGE_MODEL: 'judge-model', LLM_TIMEOUT_MS: '400', LLM_MAX_RETRIES: '1', LLM_RPM: '100000', JOB_BACKOFF_MS: '50' },
    { runWorker: true },
  );
  [instructor, student, admin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin')]);

  const exercise = await as(instructor).post('/labelling/exercises', { title: '评论情感（实操）', taskType: 'text_classification', labels: ['正面', '负面'], audience: 'exam' });
  expect(exercise.status).toBe(201);
  const csv = 'id,text,gold\n1,"服务很好，下次还来",正面\n2,"太慢了, 不推荐",负面\n3,一般般，还行,正面\n4,再也不买了,负面\n';
  const imported = await t.http().post(`/api/v1/labelling/exercises/${exercise.body.id}/dataset`).set(bearer(instructor.accessToken)).attach('file', Buffer.from(csv), 'c.csv');
  expect(imported.body).toEqual({ imported: 4, withGold: 4, mediaFiles: 0 });

  const task = await as(instructor).post('/prompt-tasks', { definition, audience: 'exam' });
  expect(task.status).toBe(201);
  expect((await as(instructor).post(`/prompt-tasks/${task.body.id}/publish`)).status).toBe(200);

  const questions: CreateQuestionRequest[] = [
    { type: 'labelling', content: { stem: '完成下面的情感标注。', labellingExerciseId: exercise.body.id }, tags },
    { type: 'prompt_task', content: { stem: '为评论情感分类写一个提示词。', promptTaskId: task.body.id }, tags },
  ];
  const created = [];
  for (const q of questions) {
    const res = await as(instructor).post('/question-bank/questions', q);
    expect(res.status).toBe(201);
    created.push(res.body.id as number);
  }
  [labellingQuestionId, promptQuestionId] = created as [number, number];

  const exam = await as(instructor).post('/exams', {
    title: '人工智能训练师（四级）实操',
    level: 4,
    parts: [{ part: 'practical', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'practical', type: 'labelling', count: 1, points: 40 },
      { part: 'practical', type: 'prompt_task', count: 1, points: 60 },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  expect(exam.status).toBe(201);
  examId = exam.body.id;
  expect((await as(instructor).post(`/exams/${examId}/publish`)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await llm?.close();
});
beforeEach(() => llm.reset());

describe('practical exam items through the grading queue', () => {
  it('grades a labelling item exactly and a prompt item by the judge; the result becomes complete (provisional)', async () => {
    llm.respondWith((r) => (isJudge(r) ? reply.json(judgement(4, 3)) : reply.text(label(r))));
    const { registrationId, attempt } = await sitExam(GOOD_PROMPT);
    const done = await until(() => result(registrationId), (r) => r.status === 'provisional');
    // labelling: accuracy 0.75 x 40 = 30; prompt: 93.75/100 x 60 = 56.25.
    expect(done.parts).toEqual([expect.objectContaining({ part: 'practical', submitted: true, score: 86.25, maxScore: 100, pendingItems: 0, passed: true })]);
    expect(done.passed).toBe(true);
    expect(await itemRow(attempt.id, labellingQuestionId)).toMatchObject({ source: 'auto' });
    expect(Number((await itemRow(attempt.id, labellingQuestionId)).score)).toBe(30);
    expect(await itemRow(attempt.id, promptQuestionId)).toMatchObject({ source: 'llm' });
    expect(Number((await itemRow(attempt.id, promptQuestionId)).score)).toBe(56.25);
    expect(await attemptRow(attempt.id)).toEqual({ score: 86.25, pendingItems: 0 });
    const [labelGrade] = await gradeRows(attempt.id, labellingQuestionId);
    expect(labelGrade).toMatchObject({ source: 'auto', status: 'final' });
    const [promptGrade] = await gradeRows(attempt.id, promptQuestionId);
    expect(promptGrade).toMatchObject({ source: 'llm', status: 'final', model: 'judge-model-2026-01' });
    expect(Number(promptGrade.subject_version)).toBe(1);
    // The candidate sees no published result yet, but their exam list shows the provisional one.
    expect((await as(student).get(`/exam-registrations/${registrationId}/result`)).status).toBe(404);
    const mine = (await as(student).get(MY_REGISTRATIONS)).body as { id: number; state: string; provisionalResult: unknown }[];
    expect(mine.find((r) => r.id === registrationId)).toMatchObject({ state: 'submitted', provisionalResult: { passed: true, parts: [{ part: 'practical', scaled: 86.25, passed: true }] } });
  });

  it('a prompt item the judge refuses stays pending with its reason; the manual grade completes it', async () => {
    llm.respondWith((r) => (isJudge(r) ? reply.refusal() : reply.text(label(r))));
    const { registrationId, attempt } = await sitExam(GOOD_PROMPT);
    await until(() => gradeRows(attempt.id, promptQuestionId), (rows) => rows.length === 1);
    await until(() => itemRow(attempt.id, labellingQuestionId), (row) => row.source === 'auto');
    const [grade] = await gradeRows(attempt.id, promptQuestionId);
    expect(grade).toMatchObject({ source: 'llm', status: 'needs_review', review_reason: 'judge_refused' });
    expect(grade.score).toBeNull();
    expect(await itemRow(attempt.id, promptQuestionId)).toEqual({ score: null, source: 'pending' });
    const waiting = await until(() => result(registrationId), (r) => r.parts[0]?.score === 30);
    expect(waiting.status).toBe('incomplete');
    expect(waiting.parts[0]).toMatchObject({ pendingItems: 1, passed: false });
    expect(await attemptRow(attempt.id)).toEqual({ score: 30, pendingItems: 1 });

    const graded = await as(instructor).put(`/attempts/${attempt.id}/items/${promptQuestionId}/grade`, { score: 45, reason: '判分模型拒答，人工评分' });
    expect(graded.status).toBe(200);
    expect(graded.body).toMatchObject({ status: 'provisional', passed: true });
    expect(graded.body.parts[0]).toMatchObject({ score: 75, pendingItems: 0 });
    expect(await attemptRow(attempt.id)).toEqual({ score: 75, pendingItems: 0 });

    // A late machine run (a retried job) cannot overwrite the human grade.
    await t.app.get(PracticalItemGrader).grade(attempt.id, promptQuestionId);
    expect(await itemRow(attempt.id, promptQuestionId)).toEqual({ score: 45, source: 'human' });
    expect(await gradeRows(attempt.id, promptQuestionId)).toHaveLength(1);
  });

  it('grades a short answer by the judge against the question rubric', async () => {
    const q = await as(instructor).post('/question-bank/questions', { type: 'short_answer', content: { stem: '简述标注一致性检验的作用。', rubric: '说明一致性系数（如 κ）衡量标注员之间的一致程度，并用于发现规范不清之处。' }, tags: { ...tags, knowledgePoint: '一致性' } });
    expect(q.status).toBe(201);
    const exam = await as(instructor).post('/exams', {
      title: '简答题实操',
      level: 4,
      parts: [{ part: 'practical', durationMinutes: 30, passMark: 60 }],
      blueprint: [{ part: 'practical', type: 'short_answer', count: 1, points: 20 }],
      eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
    });
    await as(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
    const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: '实操机房 B3', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const reg = await as(admin).post(`/exam-sessions/${session.body.id}/registrations`, { userId: student.user.id });
    const attempt = (await as(student).post(`/exam-registrations/${reg.body.id}/attempts`, { part: 'practical' })).body as AttemptView;
    llm.respondWith((r) => (isJudge(r) ? reply.json({ criteria: [{ id: 'rubric', score: 8, evidence: 'κ', rationale: '要点基本齐全' }] }) : reply.text('?')));
    expect((await as(student).put(`/attempts/${attempt.id}/answers/${q.body.id}`, { seq: 1, value: '用 κ 衡量标注员之间的一致程度，找出规范模糊的地方。' })).status).toBe(200);
    await as(student).post(`/attempts/${attempt.id}/submit`).expect(200);
    const done = await until(() => result(reg.body.id), (r) => r.status === 'provisional');
    expect(done.parts[0]).toMatchObject({ score: 16, maxScore: 20, pendingItems: 0, passed: true }); // 8/10 x 20
    const judgeCalls = llm.completions.filter(isJudge);
    expect(judgeCalls).toHaveLength(2);
    expect(judgeCalls[0]!.body!.messages[0]!.content).not.toContain('找出规范模糊'); // the answer only in the data block
    expect(judgeCalls[0]!.body!.messages[1]!.content).toContain('<<<CANDIDATE_DATA CANDIDATE ANSWER');
    expect(await gradeRows(attempt.id, q.body.id)).toEqual([expect.objectContaining({ source: 'llm', status: 'final' })]);
  });

  it('the same job enqueued twice, or run twice at once, stores one grade and decrements pendingItems once', async () => {
    llm.respondWith((r) => (isJudge(r) ? reply.json(judgement(4, 3)) : reply.text(label(r))));
    const { registrationId, attempt } = await sitExam(GOOD_PROMPT);
    await until(() => result(registrationId), (r) => r.status === 'provisional');
    const judgeCalls = llm.completions.filter(isJudge).length;

    // A duplicate enqueue after completion runs again and changes nothing.
    const queue = t.app.get<JobQueue>(JOB_QUEUE);
    await queue.add(JOBS.gradeExamItem, { attemptId: attempt.id, questionId: promptQuestionId }, { jobId: examItemJobId(attempt.id, promptQuestionId) });
    await queue.add(JOBS.gradeExamItem, { attemptId: attempt.id, questionId: labellingQuestionId }, { jobId: examItemJobId(attempt.id, labellingQuestionId) });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await gradeRows(attempt.id, promptQuestionId)).toHaveLength(1);
    expect(await gradeRows(attempt.id, labellingQuestionId)).toHaveLength(1);
    expect(await attemptRow(attempt.id)).toEqual({ score: 86.25, pendingItems: 0 });
    expect(llm.completions.filter(isJudge)).toHaveLength(judgeCalls); // the stored grade is reused, no new judging

    // A run that stored its grade but died before writing the item: two runs at once finish it exactly once.
    await db().query("UPDATE exam_item_scores SET score = NULL, source = 'pending' WHERE attempt_id = ? AND question_id = ?", [attempt.id, promptQuestionId]);
    await db().query('UPDATE exam_attempts SET pending_items = 1, score = 30 WHERE id = ?', [attempt.id]);
    const grader = t.app.get(PracticalItemGrader);
    await Promise.all([grader.grade(attempt.id, promptQuestionId), grader.grade(attempt.id, promptQuestionId)]);
    expect(await gradeRows(attempt.id, promptQuestionId)).toHaveLength(1);
    expect(await attemptRow(attempt.id)).toEqual({ score: 86.25, pendingItems: 0 });
    expect(Number((await itemRow(attempt.id, promptQuestionId)).score)).toBe(56.25);
    expect((await result(registrationId)).parts[0]).toMatchObject({ score: 86.25, pendingItems: 0 });
  });
});
