import { jest } from '@jest/globals';
import type { LoginResponse, PromptTaskDefinition } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

// Migrating a fresh MySQL database takes a while on a busy machine.
jest.setTimeout(120_000);

const definition = (title: string): PromptTaskDefinition => ({
  title,
  scenario: '把用户评论分为“正面”或“负面”，只输出这两个词之一。',
  variables: ['review'],
  visibleExamples: [{ input: { review: '质量不错' } }],
  hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
  rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '清晰' }] }],
  weights: { execution: 50, rubric: 50 },
  passMark: 60,
});
const tags = { occupation: '4-04-05-05', levels: [4] as 4[], dutyArea: '大模型应用', knowledgePoint: '提示词编写', difficulty: 'medium' as const };

/** A prompt task kept for exams never reaches practice; an exam cannot draw a task students practise (as labelling). */
describe('prompt tasks: practice kept apart from exams', () => {
  let t: TestEnv;
  let instructor: LoginResponse, student: LoginResponse;
  const as = (who: LoginResponse) => ({
    get: (url: string) => t.http().get(`/api/v1${url}`).set(bearer(who.accessToken)),
    post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
    put: (url: string, body: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  });
  const publishedTask = async (title: string, audience?: 'organisation' | 'platform' | 'exam') => {
    const task = await as(instructor).post('/prompt-tasks', audience ? { definition: definition(title), audience } : { definition: definition(title) });
    expect(task.status).toBe(201);
    expect((await as(instructor).post(`/prompt-tasks/${task.body.id}/publish`)).status).toBe(200);
    return task.body.id as number;
  };
  const practiceIds = async () => ((await as(student).get('/practice/prompt-tasks')).body as { id: number }[]).map((x) => x.id);

  beforeAll(async () => {
    t = await startTestEnv();
    [instructor, student] = await Promise.all([t.login('instructor'), t.login('student')]);
  });
  afterAll(async () => t?.close());

  it('a task kept for exams is neither listed nor opened nor answerable in practice', async () => {
    const practice = await publishedTask('练习任务');
    const exam = await publishedTask('考试任务', 'exam');
    expect((await as(instructor).get(`/prompt-tasks/${exam}`)).body.audience).toBe('exam');
    expect(await practiceIds()).toContain(practice);
    expect(await practiceIds()).not.toContain(exam);
    expect((await as(student).get(`/practice/prompt-tasks/${exam}`)).status).toBe(404);
    expect((await as(student).post(`/practice/prompt-tasks/${exam}/answers`, { prompt: '只输出正面或负面：{{review}}' })).status).toBe(404);
    expect((await as(student).post(`/practice/prompt-tasks/${exam}/playground`, { prompt: '{{review}}', exampleIndex: 0 })).status).toBe(404);
    expect((await as(student).get(`/practice/prompt-tasks/${practice}`)).status).toBe(200);
  });

  it('refuses an invalid audience with a 400 naming the field', async () => {
    const res = await as(instructor).post('/prompt-tasks', { definition: definition('坏的可见范围'), audience: 'everyone' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain('audience');
  });

  it('publishing an exam that could draw a practice task is refused with a coded reason; once the task is kept for exams it publishes and the task leaves practice', async () => {
    const taskId = await publishedTask('物业投诉分级');
    const q = await as(instructor).post('/question-bank/questions', { type: 'prompt_task', content: { stem: '为投诉分级写一个提示词。', promptTaskId: taskId }, tags });
    expect(q.status).toBe(201);
    const exam = await as(instructor).post('/exams', {
      title: '提示词实操',
      level: 4,
      parts: [{ part: 'practical', durationMinutes: 30, passMark: 60 }],
      blueprint: [{ part: 'practical', type: 'prompt_task', count: 1, points: 100 }],
      eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
    });
    expect(exam.status).toBe(201);
    const refused = await as(instructor).post(`/exams/${exam.body.id}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'blueprint', code: 'PROMPT_TASK_PRACTISED', params: { title: '物业投诉分级' } })]);
    expect((await as(instructor).get(`/exams/${exam.body.id}`)).body.status).toBe('draft');
    expect(await practiceIds()).toContain(taskId);

    const current = await as(instructor).get(`/prompt-tasks/${taskId}`);
    expect((await as(instructor).put(`/prompt-tasks/${taskId}`, { definition: current.body.definition, audience: 'exam' })).status).toBe(200);
    expect((await as(instructor).post(`/prompt-tasks/${taskId}/publish`)).status).toBe(200);
    const published = await as(instructor).post(`/exams/${exam.body.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect(await practiceIds()).not.toContain(taskId);
    expect((await as(student).get(`/practice/prompt-tasks/${taskId}`)).status).toBe(404);
  });
});
