import ExcelJS from 'exceljs';
import type { CreateQuestionRequest, LoginResponse, QuestionView } from '@aitrainer/contracts';
import { BANK_CSV_COLUMNS } from '@aitrainer/domain';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  instructor = await t.login('instructor');
}, 60_000);
afterAll(async () => t?.close());

const KP = 'Excel模板';
const tags = { occupation: '4-04-05-05', levels: [4, 5] as (4 | 5)[], dutyArea: '数据标注', knowledgePoint: KP, difficulty: 'hard' as const };
const questions: CreateQuestionRequest[] = [
  { type: 'true_false', content: { stem: '判断：IoU 越大重合越多。', answer: true, feedback: '定义如此' }, tags },
  { type: 'single_choice', content: { stem: '单选："实体级" F1, 要求是？', options: [{ key: 'A', text: '类型和边界都一致' }, { key: 'B', text: '只看类型' }], correctKeys: ['A'] }, tags },
  { type: 'multiple_choice', content: { stem: '多选：哪些是标注质量指标？', options: [{ key: 'A', text: 'κ' }, { key: 'B', text: 'F1' }, { key: 'C', text: '行数' }], correctKeys: ['A', 'B'], multipleScoring: 'partial' }, tags },
  { type: 'fill_blank', content: { stem: 'Cohen 系数记作 ____。', acceptedAnswers: ['kappa', 'κ'] }, tags },
  { type: 'short_answer', content: { stem: '简述标注规范的作用。\n（两行题干）', rubric: '覆盖一致性、边界情况' }, tags },
];
const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};
const importXlsx = (content: Buffer) =>
  t.http().post('/api/v1/question-bank/imports/xlsx').set(bearer(instructor.accessToken)).field('tags', JSON.stringify({ ...tags, knowledgePoint: '' })).attach('file', content, 'bank.xlsx');
const question = async (id: number): Promise<QuestionView> => (await t.http().get(`/api/v1/question-bank/questions/${id}`).set(bearer(instructor.accessToken))).body;
const strip = (q: QuestionView) => ({ type: q.type, content: q.content, tags: q.tags });

describe('the bank Excel (.xlsx) template', () => {
  it('exports the CSV template columns and imports them back to the same questions', async () => {
    for (const q of questions) expect((await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send(q)).status).toBe(201);
    const exported = await t.http().get(`/api/v1/question-bank/export.xlsx?knowledgePoint=${encodeURIComponent(KP)}`).set(bearer(instructor.accessToken)).buffer(true).parse(binary);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...BANK_CSV_COLUMNS]);
    expect(sheet.rowCount).toBe(1 + questions.length);

    const again = await importXlsx(exported.body as Buffer);
    expect(again.status).toBe(200);
    expect(again.body.skipped).toEqual([]);
    expect(again.body.imported).toHaveLength(questions.length);
    const copies = await Promise.all(again.body.imported.map((q: { questionId: number }) => question(q.questionId)));
    const byStem = (a: { content: { stem: string } }, b: { content: { stem: string } }) => a.content.stem.localeCompare(b.content.stem);
    expect(copies.map(strip).sort(byStem)).toEqual(questions.map((q) => ({ ...q, tags: { ...q.tags, occupation: expect.any(String) } })).sort(byStem));
  });

  it('names each row it cannot import by its Excel row number, and refuses a file that is not a workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('questions');
    sheet.addRow([...BANK_CSV_COLUMNS]);
    sheet.addRow(['true_false', '第一行\n第二行', '', 'true']); // row 2: a stem with a line break
    sheet.addRow(['essay', '未知题型']); // row 3
    sheet.addRow(['true_false', '判断缺答案', '', 'maybe']); // row 4
    sheet.addRow(['single_choice', '单选缺选项', '', 'A']); // row 5: fails the content check
    const res = await importXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.status).toBe(200);
    expect(res.body.imported).toHaveLength(1);
    expect(res.body.skipped.map((s: { line: number }) => s.line)).toEqual([3, 4, 5]);
    expect(res.body.skipped[0].reason).toMatch(/type must be one of/);
    expect(res.body.skipped[1].reason).toMatch(/correct must be true or false/);
    expect((await question(res.body.imported[0].questionId)).content.stem).toBe('第一行\n第二行');

    const bad = await importXlsx(Buffer.from('id,text\n1,x\n'));
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0]).toMatchObject({ field: 'file', code: 'ZIP_UNREADABLE', problem: expect.stringContaining('Excel') });
  });
});
