import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import type { ImportQuestionsResponse, LoginResponse, QuestionView } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  instructor = await t.login('instructor');
}, 60_000);
afterAll(async () => t?.close());

const fixture = (name: string) => readFileSync(join(process.cwd(), 'backend', 'test', 'fixtures', 'exams', name), 'utf8');
const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '', difficulty: 'medium' };
/** A question import as the portal sends it: multipart, the file's bytes, its format and the tags as JSON. */
const importUpload = (format: string, bytes: Buffer, tagValues: object = tags, name = 'questions.txt') =>
  t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('format', format).field('tags', JSON.stringify(tagValues)).attach('file', bytes, name);
const importFile = (format: string, content: string) => importUpload(format, Buffer.from(content, 'utf8'));
const question = async (id: number): Promise<QuestionView> => (await t.http().get(`/api/v1/question-bank/questions/${id}`).set(bearer(instructor.accessToken))).body;

describe('GIFT import (by question/format/gift/format.php)', () => {
  let report: ImportQuestionsResponse;
  beforeAll(async () => {
    const res = await importFile('gift', fixture('every-construct.gift'));
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('imports every question the bank has a type for, in file order, with Moodle\'s types', () => {
    expect(report.imported.map((q) => [q.position, q.title, q.type])).toEqual([
      [1, '实体F1', 'single_choice'],
      [2, 'IoU', 'true_false'],
      [3, '数据清洗只删除重复样本。', 'true_false'],
      [4, 'kappa', 'fill_blank'],
      [5, '标注员在_____阶段核对质量。', 'single_choice'],
      [6, '多选', 'multiple_choice'],
      [7, '转义: 符号', 'single_choice'],
      [8, 'html', 'single_choice'],
      [9, '简答', 'short_answer'],
      [10, '数值', 'numerical'],
      [11, '范围', 'numerical'],
      [12, '匹配', 'matching'],
      [14, '运维', 'true_false'],
    ]);
    expect(report.imported.every((q) => q.changes.length === 0)).toBe(true);
  });

  it('names the description it skips, with a code the portal words', () => {
    expect(report.skipped.map((s) => [s.position, s.title, s.code])).toEqual([[13, '以下题目考查数据标注规范。', 'description']]);
  });

  it('keeps feedback, weights, partial credit, names, escapes, the category path and format markers', async () => {
    const id = (position: number) => report.imported.find((q) => q.position === position)!.questionId;
    const q1 = await question(id(1));
    expect(q1.content).toEqual({
      stem: '实体级 F1 要求什么一致？',
      options: [{ key: 'A', text: '类型和两端边界', feedback: '正确：CoNLL 评测要求完全一致' }, { key: 'B', text: '只有类型', feedback: '还要边界' }, { key: 'C', text: '只有起点' }],
      correctKeys: ['A'],
      feedback: '见 seqeval 的定义',
      name: '实体F1',
    });
    expect(q1.tags.knowledgePoint).toBe('人工智能训练师/数据标注'); // the full path, $course$ dropped
    expect((await question(id(2))).content).toEqual({ stem: 'IoU 越大，两个框重合得越多。', answer: true, trueFeedback: '对', falseFeedback: '再想想', name: 'IoU' });
    expect((await question(id(4))).content).toMatchObject({ acceptedAnswers: ['kappa', 'κ'], partialAnswers: [{ text: '卡帕', weight: 50 }] });
    expect((await question(id(6))).content).toMatchObject({ correctKeys: ['A', 'B'], multipleScoring: 'weighted', options: [{ weight: 50 }, { weight: 50 }, { weight: -100 }] });
    expect((await question(id(7))).content).toMatchObject({ stem: '表达式 a = b {c} 中的 ~ 与 # 是什么？', options: [{ key: 'A', text: '原样的符号 ~ #' }, { key: 'B', text: '被转义的 = 号' }], correctKeys: ['A'] });
    expect((await question(id(8))).content).toMatchObject({ format: 'html', stem: '<p>以下哪项是<b>图像</b>标注？</p>' });
    expect((await question(id(11))).content.numericAnswers).toEqual([{ value: 0.05, tolerance: 0.05, weight: 100 }]);
    expect((await question(id(12))).content.pairs).toHaveLength(3);
    expect((await question(id(14))).tags.knowledgePoint).toBe('人工智能训练师/智能系统运维');
  });

  it('refuses a question with a grade Moodle does not allow, naming it, and imports the rest', async () => {
    const res = await importFile('gift', '::好题:: Q {=a ~b}\n\n::三分之一:: Q {~%33%a ~%33%b ~%34%c}\n');
    expect(res.status).toBe(200);
    expect(res.body.imported.map((q: { title: string }) => q.title)).toEqual(['好题']);
    expect(res.body.skipped).toEqual([expect.objectContaining({ title: '三分之一', code: 'invalid_grade', params: { grades: '33%, 33%, 34%', name: '三分之一' } })]);
  });

  it('says a file of blank lines and comments holds no questions (400), instead of an empty report', async () => {
    const res = await importFile('gift', '\n\n// only a comment\n\n   \n');
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'file', problem: 'contains no questions', code: 'NO_QUESTIONS' }]);
  });
});

describe('Moodle XML import (by question/format/xml/format.php)', () => {
  let report: ImportQuestionsResponse;
  beforeAll(async () => {
    const res = await importFile('moodle_xml', fixture('every-construct.xml'));
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('imports every type the bank has, with categories, fractions, feedback and entities', async () => {
    expect(report.imported.map((q) => [q.title, q.type])).toEqual([
      ['实体F1', 'single_choice'],
      ['多选', 'multiple_choice'],
      ['IoU', 'true_false'],
      ['kappa', 'fill_blank'],
      ['简答', 'short_answer'],
      ['数值', 'numerical'],
      ['匹配', 'matching'],
      ['运维', 'true_false'],
    ]);
    const id = (title: string) => report.imported.find((q) => q.title === title)!.questionId;
    const single = await question(id('实体F1'));
    // format="html" with markup: kept as (sanitised) HTML, so the question looks as it did in Moodle.
    expect(single.content).toMatchObject({ format: 'html', stem: '<p>实体级 F1 要求什么一致？</p>', correctKeys: ['A'], feedback: '见 seqeval', name: '实体F1' });
    expect(single.content.options!.map((o) => [o.text, o.feedback])).toEqual([['类型和两端边界', '正确'], ['只有类型', '还要边界'], ['只有起点 &amp; 终点之一', undefined]]);
    expect(single.tags.knowledgePoint).toBe('人工智能训练师/数据标注');
    const multi = await question(id('多选'));
    expect(multi.content).toMatchObject({ correctKeys: ['A', 'B'], multipleScoring: 'weighted' });
    expect(multi.content.options![2]!.text).toBe('字错率 <CER>');
    expect((await question(id('kappa'))).content).toMatchObject({ acceptedAnswers: ['kappa', 'κ'], partialAnswers: [{ text: '卡帕', weight: 50 }] });
    expect((await question(id('简答'))).content.rubric).toBe('提到成对比较、一致性检查各得一半分。');
    const ops = await question(id('运维'));
    expect(ops.content.answer).toBe(false);
    expect(ops.tags.knowledgePoint).toBe('人工智能训练师/智能系统运维');
  });

  it('names every question it skips and why', () => {
    expect(report.skipped.map((s) => [s.title, s.code])).toEqual([
      ['完形', 'cloze'],
      ['说明', 'description'],
    ]);
  });

  it('refuses a file that is not well-formed XML, saying so', async () => {
    const res = await importFile('moodle_xml', '<quiz><question type="truefalse"></quiz>');
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('file');
  });
});

describe('the bank CSV template', () => {
  it('imports rows with their own tags, names every row it skips, and export -> import gives the same questions', async () => {
    const res = await importFile('csv', fixture('bank-template.csv'));
    expect(res.status).toBe(200);
    const report: ImportQuestionsResponse = res.body;
    expect(report.imported.map((q) => q.type)).toEqual(['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer']);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [8, 'type must be one of true_false, single_choice, multiple_choice, fill_blank, short_answer, labelling, prompt_task, numerical, matching'],
      [9, 'correct must be true or false'],
      [10, 'difficulty must be one of easy, medium, hard'],
    ]);
    const single = await question(report.imported[1]!.questionId);
    expect(single.content).toEqual({ stem: '实体级 F1 要求什么一致？（"类型"与边界）', options: [{ key: 'A', text: '类型和边界' }, { key: 'B', text: '只看类型' }, { key: 'C', text: '只看起点' }], correctKeys: ['A'], feedback: '见 seqeval' });
    expect(single.tags).toEqual({ occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '评测指标', difficulty: 'medium' });
    const essay = await question(report.imported[4]!.questionId);
    expect(essay.content.stem).toBe('说明成对偏好标注的流程，\n分两步回答。');
    expect(essay.tags).toMatchObject({ levels: [3], dutyArea: '智能训练', difficulty: 'hard' });

    const exported = await t.http().get('/api/v1/question-bank/export.csv?knowledgePoint=评测指标').set(bearer(instructor.accessToken));
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    const again = await importFile('csv', exported.text);
    expect(again.body.skipped).toEqual([]);
    const copies = await Promise.all(again.body.imported.map((q: { questionId: number }) => question(q.questionId)));
    const originals = await Promise.all(report.imported.slice(1, 3).map((q) => question(q.questionId)));
    expect(copies.map((q) => [q.type, q.content, q.tags])).toEqual(originals.map((q) => [q.type, q.content, q.tags]));
  });
});

describe('encodings of a text import (one shared decoder)', () => {
  const importBytes = (format: string, bytes: Buffer) => importUpload(format, bytes);
  const template = fixture('bank-template.csv').replace(/^\uFEFF/, '');

  it.each([
    ['GBK', iconv.encode(template, 'gbk')],
    ['GB18030', iconv.encode(template, 'gb18030')],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(template, 'utf16le')])],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(template, 'utf8')])],
  ])('reads the bank template saved as %s, with the Chinese intact', async (_name, bytes) => {
    const res = await importBytes('csv', bytes);
    expect(res.status).toBe(200);
    expect(res.body.imported).toHaveLength(5);
    const single = await question(res.body.imported[1].questionId);
    expect(single.content.stem).toBe('实体级 F1 要求什么一致？（"类型"与边界）');
    expect((await question(res.body.imported[3].questionId)).content.acceptedAnswers).toEqual(['kappa', 'κ']);
  });

  it('refuses a Windows-1252 GIFT file naming the encoding, and stores nothing', async () => {
    const before = (await t.http().get('/api/v1/question-bank/questions?q=caf').set(bearer(instructor.accessToken))).body.length;
    const res = await importBytes('gift', iconv.encode('::Café:: Le café est «bon». {T}\n', 'win1252'));
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('file');
    expect(res.body.fields[0].problem).toMatch(/Windows-1252/);
    expect((await t.http().get('/api/v1/question-bank/questions?q=caf').set(bearer(instructor.accessToken))).body.length).toBe(before);
  });

  it('refuses the file as text or base64 inside JSON: uploads are multipart only', async () => {
    const gift = '::Q:: 1+1=2 {T}\n';
    for (const body of [{ format: 'gift', content: gift, tags }, { format: 'gift', contentBase64: Buffer.from(gift).toString('base64'), tags }]) {
      const res = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.fields[0]).toMatchObject({ field: 'file', code: 'NOT_MULTIPART' });
    }
  });
});

describe('export to Moodle XML and GIFT, and import again: the same questions', () => {
  const create = async (kp: string, type: string, content: object) => {
    const res = await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send({ type, content, tags: { ...tags, knowledgePoint: kp } });
    expect(res.status).toBe(201);
    return res.body as QuestionView;
  };
  const bank = async (kp: string): Promise<QuestionView[]> => {
    const c = (type: string, content: object) => create(kp, type, content);
    return [
      await c('true_false', { stem: 'IoU 越大，重合越多。', answer: true, trueFeedback: '对', falseFeedback: '错' }),
      await c('single_choice', { stem: '实体级 F1 要求什么一致？{边界}', options: [{ key: 'A', text: '类型和边界' }, { key: 'B', text: '只看类型' }], correctKeys: ['A'], feedback: '见 seqeval' }),
      await c('multiple_choice', { stem: '哪些是分类指标？', options: [{ key: 'A', text: '准确率' }, { key: 'B', text: '宏平均 F1' }, { key: 'C', text: '字错率' }], correctKeys: ['A', 'B'], multipleScoring: 'partial' }),
      await c('multiple_choice', { stem: 'Moodle 权重', options: [{ key: 'A', text: 'a', weight: 50 }, { key: 'B', text: 'b', weight: 50 }, { key: 'C', text: 'c', weight: -100 }], correctKeys: ['A', 'B'], multipleScoring: 'weighted', name: '权重题' }),
      await c('fill_blank', { stem: 'Cohen 的 ____。', acceptedAnswers: ['kappa', 'κ'], partialAnswers: [{ text: '卡帕', weight: 50 }] }),
      await c('short_answer', { stem: '说明流程。', rubric: '两步各半分。' }),
      await c('numerical', { stem: 'Kappa 的最大值？', numericAnswers: [{ value: 1, tolerance: 0, weight: 100 }] }),
      await c('matching', { stem: '匹配任务与指标。', pairs: [{ key: '1', prompt: '分类', answer: '准确率' }, { key: '2', prompt: '转写', answer: '字错率' }], distractors: ['IoU'] }),
    ];
  };

  it.each([
    ['gift', 'export.gift'],
    ['moodle_xml', 'export.xml'],
  ])('bank -> %s -> bank is identical for every type', async (format, path) => {
    const kp = `往返-${format}-${Date.now()}`;
    const originals = await bank(kp);
    const exported = await t.http().get(`/api/v1/question-bank/${path}?knowledgePoint=${encodeURIComponent(kp)}`).set(bearer(instructor.accessToken)).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString('utf8')));
      res.on('end', () => cb(null, data));
    });
    expect(exported.status).toBe(200);
    const again = await importUpload(format, Buffer.from(exported.body as string, 'utf8'), { ...tags, knowledgePoint: '' });
    expect(again.status).toBe(200);
    expect(again.body.skipped).toEqual([]);
    expect(again.body.imported.every((q: { changes: unknown[] }) => q.changes.length === 0)).toBe(true);
    const copies = await Promise.all(again.body.imported.map((q: { questionId: number }) => question(q.questionId)));
    expect(copies.map((q) => [q.type, q.content, q.tags.knowledgePoint])).toEqual(originals.map((q) => [q.type, q.content, kp]));
  });
});

describe('imported media', () => {
  it('stores @@PLUGINFILE@@ files through the storage service and exports them again', async () => {
    const audio = Buffer.from('ID3 not really an mp3');
    const xml = `<?xml version="1.0" encoding="UTF-8"?><quiz><question type="shortanswer"><name><text>Bonjour</text></name>
      <questiontext format="html"><text><![CDATA[<p>Qu'entendez-vous ? <audio controls src="@@PLUGINFILE@@/bonjour.mp3"></audio></p>]]></text>
      <file name="bonjour.mp3" path="/" encoding="base64">${audio.toString('base64')}</file></questiontext>
      <answer fraction="100"><text>bonjour</text></answer></question></quiz>`;
    const res = await importFile('moodle_xml', xml);
    expect(res.status).toBe(200);
    const stored = await question(res.body.imported[0].questionId);
    expect(stored.content.media).toEqual([{ name: 'bonjour.mp3', key: expect.any(String), mime: 'audio/mpeg', size: audio.length }]);
    const exported = await t.http().get(`/api/v1/question-bank/export.xml?q=${encodeURIComponent("Qu'entendez")}`).set(bearer(instructor.accessToken));
    expect(exported.text).toContain(`<file name="bonjour.mp3" path="/" encoding="base64">${audio.toString('base64')}</file>`);
  });
});
