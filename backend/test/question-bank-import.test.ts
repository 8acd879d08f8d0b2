import { readFileSync } from 'node:fs';
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
const importFile = (format: string, content: string) => t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).send({ format, content, tags });
const question = async (id: number): Promise<QuestionView> => (await t.http().get(`/api/v1/question-bank/questions/${id}`).set(bearer(instructor.accessToken))).body;

describe('GIFT import', () => {
  let report: ImportQuestionsResponse;
  beforeAll(async () => {
    const res = await importFile('gift', fixture('every-construct.gift'));
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('imports what the bank can hold, in file order, with types', () => {
    expect(report.imported.map((q) => [q.position, q.title, q.type])).toEqual([
      [1, '实体F1', 'single_choice'],
      [2, 'IoU', 'true_false'],
      [3, '数据清洗只删除重复样本。', 'true_false'],
      [4, 'kappa', 'fill_blank'],
      [5, '标注员在 _____ 阶段核对质量。', 'single_choice'],
      [6, '多选', 'multiple_choice'],
      [7, '转义: 符号', 'single_choice'],
      [8, 'html', 'single_choice'],
      [9, '简答', 'short_answer'],
      [14, '运维', 'true_false'],
    ]);
  });

  it('names every question it skips and why', () => {
    expect(report.skipped.map((s) => [s.position, s.title, s.reason])).toEqual([
      [10, '数值', 'numerical questions (ranges and tolerances) have no counterpart in this bank'],
      [11, '范围', 'numerical questions (ranges and tolerances) have no counterpart in this bank'],
      [12, '匹配', 'matching questions have no counterpart in this bank'],
      [13, '以下题目考查数据标注规范。', 'a description (no answer block) is not a question'],
    ]);
  });

  it('keeps feedback, weights, escapes, categories and format markers right', async () => {
    const id = (position: number) => report.imported.find((q) => q.position === position)!.questionId;
    const q1 = await question(id(1));
    expect(q1.content).toEqual({ stem: '实体级 F1 要求什么一致？', options: [{ key: 'A', text: '类型和两端边界' }, { key: 'B', text: '只有类型' }, { key: 'C', text: '只有起点' }], correctKeys: ['A'], feedback: '见 seqeval 的定义' });
    expect(q1.tags.knowledgePoint).toBe('数据标注'); // from $CATEGORY
    expect((await question(id(2))).content).toEqual({ stem: 'IoU 越大，两个框重合得越多。', answer: true });
    expect((await question(id(3))).content.answer).toBe(false);
    expect((await question(id(4))).content.acceptedAnswers).toEqual(['kappa', 'κ']); // the 50 % answer is dropped
    expect((await question(id(5))).content).toMatchObject({ options: [{ text: '训练' }, { text: '验收' }, { text: '部署' }], correctKeys: ['B'] });
    expect((await question(id(6))).content).toMatchObject({ correctKeys: ['A', 'B'], multipleScoring: 'partial' });
    expect((await question(id(7))).content).toEqual({ stem: '表达式 a = b {c} 中的 ~ 与 # 是什么？', options: [{ key: 'A', text: '原样的符号 ~ #' }, { key: 'B', text: '被转义的 = 号' }], correctKeys: ['A'] });
    expect((await question(id(8))).content.stem).toBe('以下哪项是图像标注？');
    expect((await question(id(14))).tags.knowledgePoint).toBe('智能系统运维');
  });
});

describe('Moodle XML import', () => {
  let report: ImportQuestionsResponse;
  beforeAll(async () => {
    const res = await importFile('moodle_xml', fixture('every-construct.xml'));
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('imports multichoice, truefalse, shortanswer and essay with categories, fractions and entities', async () => {
    expect(report.imported.map((q) => [q.title, q.type])).toEqual([
      ['实体F1', 'single_choice'],
      ['多选', 'multiple_choice'],
      ['IoU', 'true_false'],
      ['kappa', 'fill_blank'],
      ['简答', 'short_answer'],
      ['运维', 'true_false'],
    ]);
    const id = (title: string) => report.imported.find((q) => q.title === title)!.questionId;
    const single = await question(id('实体F1'));
    expect(single.content).toMatchObject({ stem: '实体级 F1 要求什么一致？', correctKeys: ['A'], feedback: '见 seqeval' });
    expect(single.content.options![2]!.text).toBe('只有起点 & 终点之一');
    expect(single.tags.knowledgePoint).toBe('数据标注');
    const multi = await question(id('多选'));
    expect(multi.content).toMatchObject({ correctKeys: ['A', 'B'], multipleScoring: 'partial' });
    expect(multi.content.options![2]!.text).toBe('字错率 <CER>');
    expect((await question(id('kappa'))).content.acceptedAnswers).toEqual(['kappa', 'κ']);
    expect((await question(id('简答'))).content.rubric).toBe('提到成对比较、一致性检查各得一半分。');
    const ops = await question(id('运维'));
    expect(ops.content.answer).toBe(false);
    expect(ops.tags.knowledgePoint).toBe('智能系统运维');
  });

  it('names every question it skips and why', () => {
    expect(report.skipped.map((s) => [s.title, s.reason])).toEqual([
      ['数值', 'numerical questions (ranges and tolerances) have no counterpart in this bank'],
      ['匹配', 'matching questions have no counterpart in this bank'],
      ['完形', 'embedded answers (cloze) have no counterpart in this bank'],
      ['说明', 'a description is not a question'],
    ]);
  });

  it('refuses a file that is not well-formed XML, saying so', async () => {
    const res = await importFile('moodle_xml', '<quiz><question type="truefalse"></quiz>');
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('content');
  });
});

describe('the bank CSV template', () => {
  it('imports rows with their own tags, names every row it skips, and export -> import gives the same questions', async () => {
    const res = await importFile('csv', fixture('bank-template.csv'));
    expect(res.status).toBe(200);
    const report: ImportQuestionsResponse = res.body;
    expect(report.imported.map((q) => q.type)).toEqual(['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer']);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [8, 'type must be one of true_false, single_choice, multiple_choice, fill_blank, short_answer, labelling, prompt_task'],
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

