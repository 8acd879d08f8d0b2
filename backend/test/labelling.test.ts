import { DataSource } from 'typeorm';
import { DEMO_PASSWORD, type LoginResponse } from '@aitrainer/contracts';
import { GradingService } from '../src/grading/grading.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse;
let student: LoginResponse;
let school: LoginResponse;

// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

beforeAll(async () => {
  t = await startTestEnv({}, { runWorker: true });
  [instructor, student, school] = await Promise.all([t.login('instructor'), t.login('student'), t.login('school_admin')]);
});
afterAll(async () => t?.close());

const api = (token: string) => ({
  get: (url: string) => t.http().get(`/api/v1/labelling${url}`).set(bearer(token)),
  post: (url: string, body?: object) => t.http().post(`/api/v1/labelling${url}`).set(bearer(token)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1/labelling${url}`).set(bearer(token)).send(body),
  upload: (url: string, file: { name: string; content: string | Buffer }, media: { name: string; content: Buffer }[] = []) => {
    let req = t.http().post(`/api/v1/labelling${url}`).set(bearer(token)).attach('file', Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content), file.name);
    for (const m of media) req = req.attach('media', m.content, { filename: m.name, contentType: 'image/png' });
    return req;
  },
});

const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in time: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function newAccount(role: 'student' | 'instructor', username: string): Promise<LoginResponse> {
  const body: Record<string, unknown> = { username, password: DEMO_PASSWORD, realName: role === 'student' ? '张三' : '刘老师', role };
  if (role === 'student') Object.assign(body, { idDocumentType: 'passport', idNumber: `E${Math.floor(10_000_000 + Math.random() * 89_999_999)}` });
  const res = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(body);
  expect(res.status).toBe(201);
  const login = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: DEMO_PASSWORD });
  expect(login.status).toBe(200);
  return login.body;
}

const SPAN_DATASET = [
  { id: 'a', text: '马云在杭州创办了阿里巴巴。', gold: { spans: [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'LOC' }, { start: 8, end: 12, type: 'ORG' }] } },
  // 𠮷 is one code point but two UTF-16 units: offsets after it are code points.
  { id: 'b', text: '𠮷野家在东京。', gold: { spans: [{ start: 0, end: 3, type: 'ORG' }, { start: 4, end: 6, type: 'LOC' }] } },
  { id: 'c', text: 'Tim Cook visited Beijing.', gold: { spans: [{ start: 0, end: 8, type: 'PER' }, { start: 17, end: 24, type: 'LOC' }] } },
];
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('labelling exercises', () => {
  let spansId: number;

  it('refuses a bad exercise naming the fields, and only instructors create', async () => {
    const bad = await api(instructor.accessToken).post('/exercises', { title: '', taskType: 'named_entity_spans' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['title']));
    const noTypes = await api(instructor.accessToken).post('/exercises', { title: 'x', taskType: 'named_entity_spans' });
    expect(noTypes.status).toBe(400);
    expect(noTypes.body.fields).toEqual([{ field: 'entityTypes', problem: expect.stringContaining('at least one'), code: 'LIST_REQUIRED_FOR_TASK', params: { taskType: 'named_entity_spans' } }]);
    const badType = await api(instructor.accessToken).post('/exercises', { title: 'x', taskType: 'poetry' });
    expect(badType.body.fields[0]).toMatchObject({ field: 'taskType' });
    expect((await api(student.accessToken).post('/exercises', { title: 'x', taskType: 'text_classification', labels: ['a'] })).status).toBe(403);

    const created = await api(instructor.accessToken).post('/exercises', { title: '实体标注', taskType: 'named_entity_spans', entityTypes: ['PER', 'ORG', 'LOC'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', audience: 'organisation', itemCount: 0, goldCount: 0 });
    spansId = created.body.id;
  });

  it('refuses an invalid dataset with line and field named, and imports nothing', async () => {
    const rows = [SPAN_DATASET[0], { id: 'b', text: '𠮷野家在东京。', gold: { spans: [{ start: 4, end: 9, type: 'LOC' }] } }, { id: 'c', gold: { spans: [] } }, { ...SPAN_DATASET[2], id: 'a' }];
    const res = await api(instructor.accessToken).upload(`/exercises/${spansId}/dataset`, { name: 'spans.jsonl', content: jsonl(rows) });
    expect(res.status).toBe(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['line 2: gold.spans[0].end', 'line 3: text', 'line 4: id']));
    const broken = await api(instructor.accessToken).upload(`/exercises/${spansId}/dataset`, { name: 'spans.jsonl', content: jsonl([SPAN_DATASET[0]]) + '{"id": "x", "text": \n' });
    expect(broken.body.fields[0]).toMatchObject({ field: 'line 2', problem: expect.stringContaining('not valid JSON') });
    const wrongKind = await api(instructor.accessToken).upload(`/exercises/${spansId}/dataset`, { name: 'spans.txt', content: 'hello' });
    expect(wrongKind.body.fields).toEqual([{ field: 'file', problem: expect.stringContaining('.jsonl or .csv'), code: 'DATASET_FILE_TYPE' }]);
    expect((await api(instructor.accessToken).get(`/exercises/${spansId}`)).body.itemCount).toBe(0);
  });

  it('imports a JSONL dataset, and a CSV one with gold shorthand', async () => {
    const res = await api(instructor.accessToken).upload(`/exercises/${spansId}/dataset`, { name: 'spans.jsonl', content: jsonl(SPAN_DATASET) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ imported: 3, withGold: 3, mediaFiles: 0 });

    const cls = await api(instructor.accessToken).post('/exercises', { title: '情感', taskType: 'text_classification', labels: ['正面', '负面'] });
    const csv = 'id,text,gold\n1,"服务很好，下次还来",正面\n2,"太慢了, 不推荐",负面\n3,一般般,\n';
    const imported = await api(instructor.accessToken).upload(`/exercises/${cls.body.id}/dataset`, { name: 'c.csv', content: csv });
    expect(imported.body).toEqual({ imported: 3, withGold: 2, mediaFiles: 0 });
    const badCsv = await api(instructor.accessToken).upload(`/exercises/${cls.body.id}/dataset`, { name: 'c.csv', content: 'id,text,gold\n1,好,中性\n' });
    expect(badCsv.body.fields).toEqual([{ field: 'line 2: gold.label', problem: expect.stringContaining('not one of'), code: 'VALUE_NOT_ONE_OF', params: { value: '中性', allowed: '正面, 负面' } }]);
    // Publishing needs gold on every item; the owner can mark the missing one.
    const early = await api(instructor.accessToken).post(`/exercises/${cls.body.id}/publish`);
    expect(early.status).toBe(400);
    expect(early.body.fields[0]).toMatchObject({ field: 'items', problem: expect.stringContaining('1 item') });
    const badGold = await api(instructor.accessToken).put(`/exercises/${cls.body.id}/items/3/gold`, { gold: { label: '中性' } });
    expect(badGold.body.fields[0]).toMatchObject({ field: 'gold.label' });
    expect((await api(instructor.accessToken).put(`/exercises/${cls.body.id}/items/3/gold`, { gold: { label: '正面' } })).status).toBe(200);
    expect((await api(instructor.accessToken).post(`/exercises/${cls.body.id}/publish`)).body.status).toBe('published');
  });

  it('round-trips Label Studio JSON: import, export, import again gives the same tasks and annotations', async () => {
    const exported1 = await api(instructor.accessToken).get(`/exercises/${spansId}/label-studio`);
    expect(exported1.status).toBe(200);
    expect(exported1.body[1].annotations[0].result[0]).toMatchObject({ type: 'labels', from_name: 'label', to_name: 'text', value: { start: 0, end: 3, text: '𠮷野家', labels: ['ORG'] } });
    const again = await api(instructor.accessToken).upload(`/exercises/${spansId}/label-studio`, { name: 'ls.json', content: JSON.stringify(exported1.body) });
    expect(again.body).toMatchObject({ imported: 3, withGold: 3, mediaFiles: 0, refused: 0 });
    expect(again.body.report.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([['a', 'imported'], ['b', 'imported'], ['c', 'imported']]);
    const exported2 = await api(instructor.accessToken).get(`/exercises/${spansId}/label-studio`);
    expect(exported2.body).toEqual(exported1.body);

    // Older Label Studio exports counted UTF-16 units: recognised by their text and converted (and said so); the
    // export gives the file back as it came.
    const legacy = structuredClone(exported1.body);
    legacy[1].annotations[0].result[1].value = { start: 5, end: 7, text: '东京', labels: ['LOC'] };
    const legacyImport = await api(instructor.accessToken).upload(`/exercises/${spansId}/label-studio`, { name: 'ls.json', content: JSON.stringify(legacy) });
    expect(legacyImport.status).toBe(201);
    expect(legacyImport.body.report[1]).toMatchObject({ status: 'adapted', adapted: [{ code: 'span_utf16_offsets', params: { start: 5, end: 7 } }] });
    expect((await api(instructor.accessToken).get(`/exercises/${spansId}/items`)).body[1].gold).toEqual(SPAN_DATASET[1].gold);
    expect((await api(instructor.accessToken).get(`/exercises/${spansId}/label-studio`)).body).toEqual(legacy);
    const wrong = structuredClone(exported1.body);
    wrong[0].annotations[0].result[0].value.text = '马化腾';
    const refused = await api(instructor.accessToken).upload(`/exercises/${spansId}/label-studio`, { name: 'ls.json', content: JSON.stringify(wrong) });
    expect(refused.body.fields[0].field).toBe('tasks[0]: annotations[0].result[0].value.text');
  });

  it('round-trips boxes (percent), choices, text areas and rankings through Label Studio, with media files', async () => {
    const boxes = await api(instructor.accessToken).post('/exercises', { title: '车辆框选', taskType: 'image_bounding_boxes', labels: ['car', 'person'] });
    const tasks = [
      {
        id: 1,
        data: { image: '/data/upload/1/street.png' },
        annotations: [
          {
            result: [
              { from_name: 'label', to_name: 'image', type: 'rectanglelabels', original_width: 640, original_height: 480, value: { x: 10, y: 20.5, width: 30, height: 40, rotation: 0, rectanglelabels: ['car'] } },
              { from_name: 'label', to_name: 'image', type: 'rectanglelabels', value: { x: 50, y: 50, width: 10, height: 25.25, rotation: 0, rectanglelabels: ['person'] } },
            ],
          },
        ],
      },
      { id: 2, data: { image: 'empty.png' }, annotations: [{ result: [] }] },
    ];
    const media = [{ name: 'street.png', content: PNG }, { name: 'empty.png', content: PNG }];
    const missing = await api(instructor.accessToken).upload(`/exercises/${boxes.body.id}/label-studio`, { name: 'ls.json', content: JSON.stringify(tasks) }, media.slice(0, 1));
    expect(missing.body.fields).toEqual([{ field: 'tasks[1]: image', problem: expect.stringContaining('not among the uploaded files'), code: 'MEDIA_NOT_UPLOADED', params: { name: 'empty.png' } }]);
    const ok = await api(instructor.accessToken).upload(`/exercises/${boxes.body.id}/label-studio`, { name: 'ls.json', content: JSON.stringify(tasks) }, media);
    expect(ok.body).toMatchObject({ imported: 2, withGold: 2, mediaFiles: 2 });
    expect(ok.body.report[0].adapted).toEqual([{ code: 'media_matched', params: { field: 'image', from: '/data/upload/1/street.png', to: 'street.png' } }]);
    const items = (await api(instructor.accessToken).get(`/exercises/${boxes.body.id}/items`)).body;
    expect(items[0].data).toMatchObject({ image: 'street.png', width: 640, height: 480 });
    // The export is the file that came in: the Label Studio path, the task ids, no keys of ours.
    const e1 = (await api(instructor.accessToken).get(`/exercises/${boxes.body.id}/label-studio`)).body;
    expect(e1).toEqual(tasks);
    expect(e1[0].annotations[0].result.map((r: { value: unknown }) => r.value)).toEqual(tasks[0].annotations[0].result.map((r) => r.value));
    await api(instructor.accessToken).upload(`/exercises/${boxes.body.id}/label-studio`, { name: 'ls.json', content: JSON.stringify(e1) });
    expect((await api(instructor.accessToken).get(`/exercises/${boxes.body.id}/label-studio`)).body).toEqual(e1);
    const file = await api(instructor.accessToken).get(`/exercises/${boxes.body.id}/media/street.png`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('image/png');

    for (const [taskType, extra, rows] of [
      ['multi_label_classification', { labels: ['体育', '财经', '科技'] }, [{ id: 'm1', text: '苹果发布财报', gold: { labels: ['财经', '科技'] } }, { id: 'm2', text: '天气不错', gold: { labels: [] } }]],
      ['transcription', {}, [{ id: 't1', audio: 'https://cdn.example/a1.mp3', machineTranscript: '今天天汽很好', gold: { text: '今天天气很好。' } }]],
      ['dialogue_intent_slots', { intents: ['book_flight', 'weather'], slotNames: ['city', 'date'] }, [{ id: 'd1', turns: [{ speaker: 'user', text: '明天北京天气' }], gold: { intent: 'weather', slots: [{ name: 'city', value: '北京' }, { name: 'date', value: '明天' }] } }]],
      ['response_ranking', {}, [
        { id: 'r1', prompt: '写一首诗', responses: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }], gold: { ranking: [['b'], ['a', 'c']] } },
        { id: 'r2', prompt: '哪个更好', responses: [{ id: 'x', text: 'X' }, { id: 'y', text: 'Y' }], gold: { ranking: [['y'], ['x']] } },
      ]],
      ['data_cleaning', {}, [{ id: 'k1', text: '重复的句子', topic: '汽车', gold: { flags: ['duplicate', 'off_topic'] } }, { id: 'k2', text: '正常', gold: { flags: [] } }]],
    ] as const) {
      const ex = await api(instructor.accessToken).post('/exercises', { title: taskType, taskType, ...extra });
      expect(ex.status).toBe(201);
      const imp = await api(instructor.accessToken).upload(`/exercises/${ex.body.id}/dataset`, { name: 'd.jsonl', content: jsonl(rows as unknown as object[]) });
      expect(imp.status).toBe(201);
      const first = (await api(instructor.accessToken).get(`/exercises/${ex.body.id}/label-studio`)).body;
      const itemsBefore = (await api(instructor.accessToken).get(`/exercises/${ex.body.id}/items`)).body;
      await api(instructor.accessToken).upload(`/exercises/${ex.body.id}/label-studio`, { name: 'ls.json', content: JSON.stringify(first) }).expect(201);
      expect((await api(instructor.accessToken).get(`/exercises/${ex.body.id}/label-studio`)).body).toEqual(first);
      // the same items, now with the annotation they came from listed beside the gold
      const itemsAfter = (await api(instructor.accessToken).get(`/exercises/${ex.body.id}/items`)).body;
      expect(itemsAfter.map(({ annotations: _a, predictions: _p, ...rest }: Record<string, unknown>) => rest)).toEqual(itemsBefore);
      expect(itemsAfter.every((i: { annotations: { gold: boolean }[] }) => i.annotations.length === 1 && i.annotations[0].gold)).toBe(true);
      expect(itemsBefore.map((i: { gold: unknown }) => i.gold)).toEqual(rows.map((r) => r.gold));
    }
  });

  describe('practice', () => {
    let submissionId: number;

    it('shows students published exercises of their organisation, never the gold', async () => {
      expect((await api(student.accessToken).get(`/exercises/${spansId}`)).status).toBe(404); // still a draft
      await api(instructor.accessToken).post(`/exercises/${spansId}/publish`).expect(200);
      const list = await api(student.accessToken).get('/exercises');
      expect(list.body.map((e: { id: number }) => e.id)).toContain(spansId);
      for (const url of [`/exercises/${spansId}`, `/exercises/${spansId}/items`, '/exercises']) {
        const res = await api(student.accessToken).get(url);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('gold');
        expect(res.text).not.toContain('"spans"');
      }
      expect((await api(student.accessToken).get(`/exercises/${spansId}/label-studio`)).status).toBe(403);
      expect((await api(student.accessToken).get(`/exercises/${spansId}/submissions`)).status).toBe(403);
      const items = (await api(student.accessToken).get(`/exercises/${spansId}/items`)).body;
      expect(items[1]).toEqual({ id: 'b', position: 1, data: { text: '𠮷野家在东京。' } });
    });

    it('autosaves answers keeping the highest sequence number, and refuses bad answers by field', async () => {
      const started = await api(student.accessToken).post(`/exercises/${spansId}/submissions`);
      expect(started.status).toBe(201);
      submissionId = started.body.id;
      expect((await api(student.accessToken).post(`/exercises/${spansId}/submissions`)).body.id).toBe(submissionId); // the same draft
      expect(started.text).not.toContain('gold');

      const save = (itemId: string, seq: number, spans: object[]) => api(student.accessToken).put(`/submissions/${submissionId}/answers/${itemId}`, { seq, value: { spans } });
      expect((await save('a', 5, [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'LOC' }, { start: 8, end: 12, type: 'ORG' }])).body).toEqual({ itemId: 'a', seq: 5, saved: true });
      const stale = await save('a', 3, []);
      expect(stale.body).toEqual({ itemId: 'a', seq: 5, saved: false });
      await save('b', 1, [{ start: 0, end: 3, type: 'ORG' }]).expect(200);
      await save('c', 1, [{ start: 0, end: 3, type: 'PER' }]).expect(200);

      const bad = await save('b', 2, [{ start: 4, end: 9, type: 'LOC' }, { start: 0, end: 1, type: 'DATE' }]);
      expect(bad.status).toBe(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['value.spans[0].end', 'value.spans[1].type']);
      expect((await api(student.accessToken).put(`/submissions/${submissionId}/answers/zz`, { seq: 1, value: { spans: [] } })).body.fields[0].field).toBe('itemId');
      const noSeq = await api(student.accessToken).put(`/submissions/${submissionId}/answers/a`, { value: { spans: [] } });
      expect(noSeq.body.fields.map((f: { field: string }) => f.field)).toContain('seq');

      const mine = await api(student.accessToken).get(`/exercises/${spansId}/my-submission`);
      expect(mine.body.answers.find((a: { itemId: string }) => a.itemId === 'a').value.spans).toHaveLength(3);
      expect(mine.body.result).toBeNull();
    });

    it('keeps other students out of a submission', async () => {
      const other = await newAccount('student', `labeller.${Date.now()}`);
      expect((await api(other.accessToken).get(`/submissions/${submissionId}`)).status).toBe(404);
      expect((await api(other.accessToken).put(`/submissions/${submissionId}/answers/a`, { seq: 99, value: { spans: [] } })).status).toBe(404);
      expect((await api(other.accessToken).post(`/submissions/${submissionId}/submit`)).status).toBe(404);
      expect((await api(other.accessToken).get(`/exercises/${spansId}/my-submission`)).status).toBe(404);
      const otherInstructor = await newAccount('instructor', `teacher.${Date.now()}`);
      expect((await api(otherInstructor.accessToken).get(`/exercises/${spansId}`)).status).toBe(404);
      expect((await api(otherInstructor.accessToken).get(`/submissions/${submissionId}`)).status).toBe(404);
      expect((await api(otherInstructor.accessToken).get('/exercises')).body).toEqual([]);
    });

    it('scores a submission with a job on the grading queue and shows score and per-item feedback', async () => {
      const submitted = await api(student.accessToken).post(`/submissions/${submissionId}/submit`);
      expect(submitted.status).toBe(202);
      expect(['submitted', 'graded']).toContain(submitted.body.state);
      expect((await api(student.accessToken).post(`/submissions/${submissionId}/submit`)).status).toBe(202); // idempotent
      expect((await api(student.accessToken).put(`/submissions/${submissionId}/answers/a`, { seq: 100, value: { spans: [] } })).status).toBe(409);

      const graded = await until(
        async () => (await api(student.accessToken).get(`/submissions/${submissionId}`)).body,
        (b) => b.state === 'graded',
      );
      // gold 7 entities; answer: a 3/3 right, b 1 right, c 1 wrong boundary -> tp 4, fp 1, fn 3: F1 = 8/12
      expect(graded.result.score).toBeCloseTo(8 / 12, 10);
      expect(graded.explanation).toBeNull(); // no LLM configured: no explanation job, the exact feedback stands alone
      const byItem = Object.fromEntries(graded.result.items.map((i: { itemId: string }) => [i.itemId, i]));
      expect(byItem['a']).toMatchObject({ correct: true, score: 1 });
      expect(byItem['b'].missed).toEqual([{ start: 4, end: 6, type: 'LOC' }]);
      expect(byItem['c'].wrong[0]).toMatchObject({ reason: 'boundary', expected: { start: 0, end: 8, type: 'PER' } });

      const grade = await t.app.get(GradingService).effective('labelling_submission', String(submissionId), 1);
      expect(grade).toMatchObject({ source: 'auto', status: 'final' });
      expect(grade!.score).toBeCloseTo(8 / 12, 10);

      const summary = await api(instructor.accessToken).get(`/exercises/${spansId}/submissions`);
      expect(summary.body[0]).toMatchObject({ id: submissionId, state: 'graded', studentName: '李明' });
      // The owner can read the submission with its feedback; a new attempt starts a new draft.
      expect((await api(instructor.accessToken).get(`/submissions/${submissionId}`)).body.state).toBe('graded');
      const retry = await api(student.accessToken).post(`/exercises/${spansId}/submissions`);
      expect(retry.body.id).not.toBe(submissionId);
      expect(retry.body.state).toBe('draft');
    });

    it('opens one draft when two "start" requests race', async () => {
      const other = await newAccount('student', 'racing.student');
      const starts = await Promise.all([1, 2, 3].map(() => api(other.accessToken).post(`/exercises/${spansId}/submissions`)));
      expect(starts.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(new Set(starts.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.app.get(DataSource).query("SELECT COUNT(*) AS n FROM labelling_submissions WHERE student_id = ? AND state = 'draft'", [other.user.id]);
      expect(Number(rows[0].n)).toBe(1);
    });
  });
});
