import type { LoginResponse } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Label Studio exports as Label Studio writes them: each file below is written by hand in one of its shapes and
 * must come back out of the export byte for byte, with what the product reads of it checked through the API.
 */

let t: TestEnv;
let instructor: LoginResponse;
let student: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  [instructor, student] = await Promise.all([t.login('instructor'), t.login('student')]);
});
afterAll(async () => t?.close());

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

const as = (token: string) => ({
  get: (url: string) => t.http().get(`/api/v1/labelling${url}`).set(bearer(token)),
  post: (url: string, body?: object) => t.http().post(`/api/v1/labelling${url}`).set(bearer(token)).send(body),
  patch: (url: string, body: object) => t.http().patch(`/api/v1/labelling${url}`).set(bearer(token)).send(body),
  put: (url: string, body: object) => t.http().put(`/api/v1/labelling${url}`).set(bearer(token)).send(body),
});
const teacher = () => as(instructor.accessToken);

async function exercise(taskType: string, labels: object = {}): Promise<number> {
  const res = await teacher().post('/exercises', { title: `LS ${taskType}`, taskType, ...labels });
  expect(res.status).toBe(201);
  return res.body.id;
}

interface ImportOptions {
  name?: string;
  config?: string;
  media?: string[];
  partial?: boolean;
  goldRule?: string;
}
function importLs(id: number, content: string, o: ImportOptions = {}) {
  let req = t.http().post(`/api/v1/labelling/exercises/${id}/label-studio`).set(bearer(instructor.accessToken)).attach('file', Buffer.from(content), o.name ?? 'export.json');
  if (o.config) req = req.attach('config', Buffer.from(o.config), 'config.xml');
  for (const m of o.media ?? []) req = req.attach('media', PNG, { filename: m, contentType: 'image/png' });
  if (o.partial !== undefined) req = req.field('partial', String(o.partial));
  if (o.goldRule) req = req.field('goldRule', o.goldRule);
  return req;
}
const exportText = async (id: number) => {
  const res = await teacher().get(`/exercises/${id}/label-studio`).buffer(true).parse((r, cb) => {
    let s = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (s += c));
    r.on('end', () => cb(null, s));
  });
  expect(res.status).toBe(200);
  return res.body as string;
};
const items = async (id: number) => (await teacher().get(`/exercises/${id}/items`)).body;

const SENTIMENT_CONFIG = `<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="正面"/>
    <Choice value="负面"/>
  </Choices>
  <Rating name="confidence" toName="text"/>
</View>`;
const choice = (label: string, id = 'r1') => ({ id, from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: [label] }, origin: 'manual' });

describe('Label Studio JSON: annotators, cancelled annotations, predictions, unsupported controls', () => {
  const tasks = [
    {
      id: 101,
      data: { text: '服务很好', source: 'weibo' },
      annotations: [
        { id: 1, completed_by: 11, was_cancelled: false, ground_truth: false, result: [choice('正面', 'a1'), { id: 'a2', from_name: 'confidence', to_name: 'text', type: 'rating', value: { rating: 4 } }], created_at: '2025-03-01T10:00:00.000000Z', updated_at: '2025-03-01T10:00:00.000000Z', lead_time: 4.2 },
        { id: 2, completed_by: 12, was_cancelled: false, ground_truth: true, result: [choice('正面', 'b1')], created_at: '2025-03-01T11:00:00.000000Z', updated_at: '2025-03-01T11:00:00.000000Z', lead_time: 3.1 },
        { id: 3, completed_by: 13, was_cancelled: false, ground_truth: false, result: [choice('负面', 'c1')], created_at: '2025-03-01T12:00:00.000000Z', updated_at: '2025-03-01T12:00:00.000000Z', lead_time: 2 },
        { id: 4, completed_by: 14, was_cancelled: true, ground_truth: false, result: [], created_at: '2025-03-01T13:00:00.000000Z', updated_at: '2025-03-01T13:00:00.000000Z', lead_time: 0.5 },
      ],
      predictions: [{ id: 9, model_version: 'bert-v1', score: 0.81, result: [choice('负面', 'p1')] }],
      meta: {},
      inner_id: 1,
    },
    {
      id: 102,
      data: { text: '太慢了', source: 'dianping' },
      // A cancelled annotation, even marked ground truth, is never gold: the next one is.
      annotations: [
        { id: 5, completed_by: 11, was_cancelled: true, ground_truth: true, result: [] },
        { id: 6, completed_by: 12, was_cancelled: false, ground_truth: false, result: [choice('负面', 'd1')] },
      ],
      predictions: [{ id: 10, model_version: 'bert-v1', score: 0.7, result: [choice('负面', 'p2')] }],
    },
  ];
  const file = pretty(tasks);
  let id: number;

  it('keeps every annotation and prediction, takes ground_truth as gold, never a cancelled one, and reports what it did', async () => {
    id = await exercise('text_classification', { labels: ['正面', '负面'] });
    const res = await importLs(id, file, { config: SENTIMENT_CONFIG });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ imported: 2, withGold: 2, refused: 0 });
    const [r101, r102] = res.body.report;
    expect(r101).toMatchObject({ task: 'tasks[0]', id: '101', status: 'adapted', problems: [] });
    expect(r101.adapted).toEqual(
      expect.arrayContaining([
        { code: 'annotations_kept', params: { count: 3 } },
        { code: 'predictions_kept', params: { count: 1 } },
        { code: 'cancelled_not_gold', params: { count: 1, annotations: '4' } },
      ]),
    );
    expect(r101.dropped).toEqual([{ code: 'result_unsupported', params: { control: 'confidence', type: 'rating' } }]);
    expect(r102.adapted).toEqual(expect.arrayContaining([{ code: 'gold_by_rule', params: { rule: 'first', annotation: '6' } }, { code: 'cancelled_not_gold', params: { count: 1, annotations: '5' } }]));

    const [i1, i2] = await items(id);
    expect(i1).toMatchObject({ id: '101', gold: { label: '正面' }, data: { text: '服务很好' } });
    expect(i2.gold).toEqual({ label: '负面' });
    expect(i1.annotations).toEqual([
      { ref: '1', by: '11', gold: false, cancelled: false, value: { label: '正面' } },
      { ref: '2', by: '12', gold: true, cancelled: false, value: { label: '正面' } },
      { ref: '3', by: '13', gold: false, cancelled: false, value: { label: '负面' } },
      { ref: '4', by: '14', gold: false, cancelled: true, value: null },
    ]);
    expect(i1.predictions).toEqual([{ ref: '9', by: 'bert-v1', gold: false, cancelled: false, value: { label: '负面' } }]);
  });

  it('exports the identical file: control names, task ids, extra data keys, all annotations and predictions', async () => {
    expect(await exportText(id)).toBe(file);
  });

  it('gives agreement figures per item across annotators, cancelled ones left out', async () => {
    const res = await teacher().get(`/exercises/${id}/agreement`);
    expect(res.status).toBe(200);
    // 101: 正面, 正面, 负面 → pairs 1, 0, 0; 102: one usable annotation
    expect(res.body.items).toEqual([
      { id: '101', annotators: 3, pairs: 3, agreement: expect.closeTo(1 / 3, 12) },
      { id: '102', annotators: 1, pairs: 0, agreement: null },
    ]);
    expect(res.body.mean).toBeCloseTo(1 / 3, 12);
    expect((await as(student.accessToken).get(`/exercises/${id}/agreement`)).status).toBe(403);
  });

  it('a changed gold goes back into the ground-truth annotation under its control name; the rest is unchanged', async () => {
    expect((await teacher().put(`/exercises/${id}/items/101/gold`, { gold: { label: '负面' } })).status).toBe(200);
    const out = JSON.parse(await exportText(id));
    const expected = structuredClone(tasks) as typeof tasks;
    expected[0].annotations[1].result = [{ id: 'r1', from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['负面'] } }] as never;
    expect(out).toEqual(expected);
    expect((await teacher().put(`/exercises/${id}/items/101/gold`, { gold: { label: '正面' } })).status).toBe(200);
    expect(await exportText(id)).toBe(file);
  });

  it('shows students the model pre-annotation to correct when the exercise says so, never gold or annotators', async () => {
    expect((await teacher().patch(`/exercises/${id}`, { scoring: { showPredictions: true } })).status).toBe(200);
    expect((await teacher().post(`/exercises/${id}/publish`)).status).toBe(200);
    const seen = (await as(student.accessToken).get(`/exercises/${id}/items`)).body;
    expect(seen).toEqual([
      { id: '101', position: 0, data: { text: '服务很好' }, prediction: { label: '负面' } },
      { id: '102', position: 1, data: { text: '太慢了' }, prediction: { label: '负面' } },
    ]);
  });

  it('refuses a result whose control is not in the config, naming task and field; partial import keeps the valid tasks', async () => {
    const other = await exercise('text_classification', { labels: ['正面', '负面'] });
    const bad = [tasks[1], { id: 103, data: { text: '一般' }, annotations: [{ id: 7, result: [{ from_name: 'mood', to_name: 'text', type: 'choices', value: { choices: ['正面'] } }] }] }];
    const refused = await importLs(other, pretty(bad), { config: SENTIMENT_CONFIG });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([{ field: 'tasks[1]: annotations[0].result[0].from_name', problem: expect.stringContaining('"mood" is not a control'), code: 'LS_NOT_A_CONTROL', params: { name: 'mood' } }]);
    expect((await teacher().get(`/exercises/${other}`)).body.itemCount).toBe(0);
    const wrongTarget = structuredClone(bad);
    wrongTarget[1].annotations[0].result[0].from_name = 'sentiment';
    wrongTarget[1].annotations[0].result[0].to_name = 'title';
    expect((await importLs(other, pretty(wrongTarget), { config: SENTIMENT_CONFIG })).body.fields[0]).toMatchObject({ field: 'tasks[1]: annotations[0].result[0].to_name' });

    const partial = await importLs(other, pretty(bad), { config: SENTIMENT_CONFIG, partial: true });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ imported: 1, refused: 1 });
    expect(partial.body.report[1]).toMatchObject({ id: '103', status: 'refused', problems: [{ field: 'annotations[0].result[0].from_name' }] });
    expect((await items(other)).map((i: { id: string }) => i.id)).toEqual(['102']);
    expect((await importLs(other, pretty(bad), { partial: 'maybe' as never })).body.fields).toEqual([{ field: 'partial', problem: expect.any(String), code: 'NOT_A_BOOLEAN' }]);
    expect((await importLs(other, pretty(bad), { goldRule: 'vote' })).body.fields).toEqual([{ field: 'goldRule', problem: expect.stringContaining('first, latest, none'), code: 'MUST_BE_ONE_OF', params: { allowed: 'first, latest, none' } }]);
    expect((await importLs(other, pretty(bad), { config: '<Speak/>' })).body.fields[0]).toMatchObject({ field: 'config' });
  });
});

describe('Label Studio shapes', () => {
  it('multi-label: a cancelled annotation is not an empty gold', async () => {
    const id = await exercise('multi_label_classification', { labels: ['体育', '财经', '科技'] });
    const file = pretty([
      {
        id: 1,
        data: { text: '苹果发布财报' },
        annotations: [
          { id: 1, was_cancelled: true, result: [] },
          { id: 2, result: [{ id: 'x', from_name: 'topics', to_name: 'text', type: 'choices', value: { choices: ['财经', '科技'] } }] },
        ],
      },
    ]);
    expect((await importLs(id, file)).status).toBe(201);
    expect((await items(id))[0].gold).toEqual({ labels: ['财经', '科技'] });
    expect(await exportText(id)).toBe(file);
  });

  it('one task object without a data wrapper, as Label Studio accepts it', async () => {
    const id = await exercise('text_classification', { labels: ['正面', '负面'] });
    const file = pretty({ id: 7, text: '一般般', annotations: [{ id: 1, result: [choice('负面')] }] });
    const res = await importLs(id, file);
    expect(res.status).toBe(201);
    expect(res.body.report[0].adapted).toEqual([{ code: 'data_without_wrapper', params: {} }]);
    expect(await items(id)).toMatchObject([{ id: '7', data: { text: '一般般' }, gold: { label: '负面' } }]);
    expect(await exportText(id)).toBe(file);
  });

  it('NER: a multi-line span as Label Studio serialises it, and code-point offsets past an emoji', async () => {
    const id = await exercise('named_entity_spans', { entityTypes: ['PER', 'ORG'] });
    const text = '我在北京\n大学读书😀，张三也在。';
    const file = pretty([
      {
        id: 21,
        data: { text },
        annotations: [
          {
            id: 1,
            result: [
              { id: 's1', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 2, end: 7, text: '北京 大学', labels: ['ORG'] } },
              { id: 's2', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 11, end: 13, text: '张三', labels: ['PER'] } },
            ],
          },
        ],
      },
    ]);
    const res = await importLs(id, file);
    expect(res.status).toBe(201);
    expect(res.body.report[0].adapted).toEqual([{ code: 'span_text_differs', params: { start: 2, end: 7, annotation: '1' } }]);
    expect((await items(id))[0].gold).toEqual({ spans: [{ start: 2, end: 7, type: 'ORG' }, { start: 11, end: 13, type: 'PER' }] });
    expect(await exportText(id)).toBe(file);
    const wrong = file.replace('"张三"', '"李四"');
    expect((await importLs(id, wrong)).body.fields).toEqual([{ field: 'tasks[0]: annotations[0].result[1].value.text', problem: expect.stringContaining('not the text between'), code: 'LS_SPAN_TEXT', params: { text: expect.any(String) } }]);
  });

  const BOX_CONFIG = `<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="tag" toName="img">
    <Label value="car"/>
    <Label value="person"/>
  </RectangleLabels>
</View>`;
  const rect = (id: string, v: object) => ({ id, from_name: 'tag', to_name: 'img', type: 'rectanglelabels', original_width: 640, original_height: 480, image_rotation: 0, value: v, origin: 'manual' });

  it('boxes: rotated kept, floating-point overshoot clamped and said so, Label Studio upload names matched, second annotator kept', async () => {
    const id = await exercise('image_bounding_boxes', { labels: ['car', 'person'] });
    const tasks = [
      {
        id: 31,
        data: { image: '/data/upload/4/1a2b3c4d-street.png', camera: 'north' },
        annotations: [
          {
            id: 1,
            ground_truth: true,
            result: [
              rect('b1', { x: 60, y: 10, width: 40.43, height: 20, rotation: 0, rectanglelabels: ['car'] }),
              rect('b2', { x: 20, y: 30, width: 25, height: 15, rotation: 30, rectanglelabels: ['person'] }),
            ],
          },
          { id: 2, completed_by: 2, result: [rect('c1', { x: 59, y: 10, width: 41, height: 20, rotation: 0, rectanglelabels: ['car'] })] },
        ],
        predictions: [{ id: 5, model_version: 'yolo', result: [rect('p1', { x: 58, y: 11, width: 40, height: 19, rotation: 0, rectanglelabels: ['car'] })] }],
      },
    ];
    const file = pretty(tasks);
    const res = await importLs(id, file, { config: BOX_CONFIG, media: ['street.png'] });
    expect(res.status).toBe(201);
    expect(res.body.report[0].adapted).toEqual(
      expect.arrayContaining([
        { code: 'media_matched', params: { field: 'image', from: '/data/upload/4/1a2b3c4d-street.png', to: 'street.png' } },
        { code: 'box_clamped', params: { annotation: '1', result: 0, sides: 'right' } },
      ]),
    );
    const [item] = await items(id);
    expect(item.data).toEqual({ image: 'street.png', width: 640, height: 480 });
    expect(item.gold.boxes[0]).toEqual({ x: 60, y: 10, width: 40, height: 20, label: 'car' });
    expect(item.gold.boxes[1]).toEqual({ x: 20, y: 30, width: 25, height: 15, label: 'person', rotation: 30 });
    expect(item.annotations[1].value.boxes).toEqual([{ x: 59, y: 10, width: 41, height: 20, label: 'car' }]);
    expect(await exportText(id)).toBe(file);

    // Past floating-point noise a box off the image is refused, naming task and field.
    const off = structuredClone(tasks);
    off[0].annotations[0].result[0].value = { x: 60, y: 10, width: 43, height: 20, rotation: 0, rectanglelabels: ['car'] };
    const refused = await importLs(id, pretty(off), { config: BOX_CONFIG, media: ['street.png'] });
    expect(refused.body.fields).toEqual([{ field: 'tasks[0]: gold.boxes[0]', problem: expect.stringContaining('within the image'), code: 'BOX_WITHIN_IMAGE' }]);
  });

  it('audio from the data key the config names (the transcription template’s $url)', async () => {
    const id = await exercise('transcription');
    const config = '<View><Audio name="audio" value="$url"/><TextArea name="transcription" toName="audio" editable="true"/></View>';
    const file = pretty([{ id: 41, data: { url: 'https://cdn.example/a.mp3', speaker_id: 'f01' }, annotations: [{ id: 1, result: [{ id: 't', from_name: 'transcription', to_name: 'audio', type: 'textarea', value: { text: ['今天天气很好。'] } }] }] }]);
    expect((await importLs(id, file, { config })).status).toBe(201);
    expect(await items(id)).toMatchObject([{ data: { audio: 'https://cdn.example/a.mp3' }, gold: { text: '今天天气很好。' } }]);
    expect(await exportText(id)).toBe(file);
  });

  it('dialogue speakers are data (Human / Robot)', async () => {
    const id = await exercise('dialogue_intent_slots', { intents: ['weather', 'book'], slotNames: ['city'] });
    const config = `<View><Paragraphs name="dialogue" value="$dialogue" layout="dialogue"/><Choices name="intent" toName="dialogue"><Choice value="weather"/><Choice value="book"/></Choices><TextArea name="slot:city" toName="dialogue"/></View>`;
    const file = pretty([
      {
        id: 51,
        data: { dialogue: [{ author: 'Human', text: '明天北京天气' }, { author: 'Robot', text: '晴，25 度' }] },
        annotations: [
          {
            id: 1,
            result: [
              { id: 'i', from_name: 'intent', to_name: 'dialogue', type: 'choices', value: { choices: ['weather'] } },
              { id: 's', from_name: 'slot:city', to_name: 'dialogue', type: 'textarea', value: { text: ['北京'] } },
            ],
          },
        ],
      },
    ]);
    expect((await importLs(id, file, { config })).status).toBe(201);
    expect(await items(id)).toMatchObject([{ data: { turns: [{ speaker: 'Human', text: '明天北京天气' }, { speaker: 'Robot', text: '晴，25 度' }] }, gold: { intent: 'weather', slots: [{ name: 'city', value: '北京' }] } }]);
    expect(await exportText(id)).toBe(file);
  });

  const listItems = [{ id: 'a', title: 'A', body: '春眠不觉晓' }, { id: 'b', title: 'B', body: '床前明月光' }, { id: 'c', title: 'C', body: '白日依山尽' }];

  it('ranker: a flat list is a strict order', async () => {
    const id = await exercise('response_ranking');
    const config = '<View><Text name="prompt" value="$prompt"/><List name="answers" value="$items" title="回答"/><Ranker name="rank" toName="answers"/></View>';
    const file = pretty([{ id: 61, data: { prompt: '写一首诗', items: listItems }, annotations: [{ id: 1, result: [{ id: 'k', from_name: 'rank', to_name: 'answers', type: 'ranker', value: { ranker: { answers: ['b', 'a', 'c'] } } }] }] }]);
    expect((await importLs(id, file, { config })).status).toBe(201);
    expect(await items(id)).toMatchObject([{ data: { prompt: '写一首诗', responses: [{ id: 'a', text: '春眠不觉晓' }, { id: 'b', text: '床前明月光' }, { id: 'c', text: '白日依山尽' }] }, gold: { ranking: [['b'], ['a'], ['c']] } }]);
    expect(await exportText(id)).toBe(file);
  });

  it('ranker with buckets: tiers in the config’s bucket order, items left in the list ranked last and said so', async () => {
    const id = await exercise('response_ranking');
    const config = '<View><Text name="prompt" value="$prompt"/><List name="answers" value="$items"/><Ranker name="rank" toName="answers"><Bucket name="best" title="最好"/><Bucket name="good" title="可以"/></Ranker></View>';
    const file = pretty([
      { id: 62, data: { prompt: '写一首诗', items: listItems }, annotations: [{ id: 1, result: [{ id: 'k', from_name: 'rank', to_name: 'answers', type: 'ranker', value: { ranker: { good: ['a', 'c'], best: ['b'] } } }] }] },
      { id: 63, data: { prompt: '再写一首', items: listItems }, annotations: [{ id: 2, result: [{ id: 'k', from_name: 'rank', to_name: 'answers', type: 'ranker', value: { ranker: { _: ['c'], best: ['a'], good: ['b'] } } }] }] },
    ]);
    const res = await importLs(id, file, { config });
    expect(res.status).toBe(201);
    expect(res.body.report[1].adapted).toEqual([{ code: 'ranker_unplaced', params: { annotation: '2', responses: 'c' } }]);
    expect((await items(id)).map((i: { gold: unknown }) => i.gold)).toEqual([{ ranking: [['b'], ['a', 'c']] }, { ranking: [['a'], ['b'], ['c']] }]);
    expect(await exportText(id)).toBe(file);
  });

  it('pairwise is a two-item ranking', async () => {
    const id = await exercise('response_ranking');
    const config = '<View><Text name="prompt" value="$prompt"/><Text name="text1" value="$text1"/><Text name="text2" value="$text2"/><Pairwise name="pw" toName="text1,text2"/></View>';
    const file = pretty([{ id: 71, data: { prompt: '哪个更好', text1: '回答甲', text2: '回答乙' }, annotations: [{ id: 1, result: [{ id: 'w', from_name: 'pw', to_name: 'text1,text2', type: 'pairwise', value: { selected: 'right' } }] }] }]);
    expect((await importLs(id, file, { config })).status).toBe(201);
    expect(await items(id)).toMatchObject([{ data: { prompt: '哪个更好', responses: [{ id: 'left', text: '回答甲' }, { id: 'right', text: '回答乙' }] }, gold: { ranking: [['right'], ['left']] } }]);
    expect(await exportText(id)).toBe(file);
    // An instructor's change goes back as a pairwise result.
    expect((await teacher().put(`/exercises/${id}/items/71/gold`, { gold: { ranking: [['left'], ['right']] } })).status).toBe(200);
    expect(JSON.parse(await exportText(id))[0].annotations[0].result).toEqual([{ id: 'r1', from_name: 'pw', to_name: 'text1,text2', type: 'pairwise', value: { selected: 'left' } }]);
  });
});

describe('JSON-MIN and CSV exports', () => {
  const records = [
    { text: '服务很好', source: 'weibo', id: 201, sentiment: '正面', annotator: 'a@example.cn', annotation_id: 11, created_at: '2025-03-01T10:00:00.000000Z', updated_at: '2025-03-01T10:00:00.000000Z', lead_time: 3.2 },
    { text: '服务很好', source: 'weibo', id: 201, sentiment: '负面', annotator: 'b@example.cn', annotation_id: 12, created_at: '2025-03-02T10:00:00.000000Z', updated_at: '2025-03-02T10:00:00.000000Z', lead_time: 5 },
    { text: '太慢了, 不推荐 "差"', source: 'dianping', id: 202, sentiment: '负面', annotator: 'a@example.cn', annotation_id: 13, created_at: '2025-03-01T11:00:00.000000Z', updated_at: '2025-03-01T11:00:00.000000Z', lead_time: 1.5 },
  ];

  it('JSON-MIN: one record per annotation, grouped by task; needs the config; round-trips', async () => {
    const id = await exercise('text_classification', { labels: ['正面', '负面'] });
    const file = pretty(records);
    const noConfig = await importLs(id, file);
    expect(noConfig.body.fields).toEqual([{ field: 'config', problem: expect.stringContaining('JSON-MIN'), code: 'LS_CONFIG_REQUIRED_MIN' }]);
    const res = await importLs(id, file, { config: SENTIMENT_CONFIG, goldRule: 'latest' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ imported: 2, withGold: 2 });
    const [i1, i2] = await items(id);
    // the latest annotation is gold by the rule chosen
    expect(i1).toMatchObject({ id: '201', data: { text: '服务很好' }, gold: { label: '负面' } });
    expect(i1.annotations).toEqual([
      { ref: '11', by: 'a@example.cn', gold: false, cancelled: false, value: { label: '正面' } },
      { ref: '12', by: 'b@example.cn', gold: true, cancelled: false, value: { label: '负面' } },
    ]);
    expect(i2.gold).toEqual({ label: '负面' });
    expect(await exportText(id)).toBe(file);
    expect((await teacher().get(`/exercises/${id}/agreement`)).body.items[0]).toEqual({ id: '201', annotators: 2, pairs: 1, agreement: 0 });
  });

  it('CSV: the same as a table, quoted where needed; round-trips; a changed gold lands in its row', async () => {
    const id = await exercise('text_classification', { labels: ['正面', '负面'] });
    const columns = Object.keys(records[0]);
    const cell = (v: unknown) => {
      const s = String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const file = [columns.join(','), ...records.map((r) => columns.map((c) => cell(r[c as keyof typeof r])).join(','))].join('\n') + '\n';
    expect((await importLs(id, file, { name: 'export.csv' })).body.fields).toEqual([{ field: 'config', problem: expect.stringContaining('CSV'), code: 'LS_CONFIG_REQUIRED_CSV' }]);
    const res = await importLs(id, file, { name: 'export.csv', config: SENTIMENT_CONFIG });
    expect(res.status).toBe(201);
    expect(res.body.report.map((r: { task: string; id: string }) => [r.task, r.id])).toEqual([['line 2', '201'], ['line 4', '202']]);
    const [i1, i2] = await items(id);
    expect(i1).toMatchObject({ data: { text: '服务很好' }, gold: { label: '正面' } });
    expect(i2.data.text).toBe('太慢了, 不推荐 "差"');
    expect(await exportText(id)).toBe(file);
    expect((await teacher().put(`/exercises/${id}/items/202/gold`, { gold: { label: '正面' } })).status).toBe(200);
    expect(await exportText(id)).toBe(file.replace('"太慢了, 不推荐 ""差""",dianping,202,负面', '"太慢了, 不推荐 ""差""",dianping,202,正面'));
  });
});
