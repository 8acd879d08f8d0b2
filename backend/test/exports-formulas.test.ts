import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import type { LoginResponse } from '@aitrainer/contracts';
import { parseCsv } from '@aitrainer/domain';
import { CertificateIssuanceService, type IssuedPair } from '../src/certificates/certificate-issuance.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Every CSV and xlsx export: text a user typed (names, stems, options, tags) that a spreadsheet would run as a formula
 * is written as text (a leading '), whatever column it is in; plain negative numbers stay numbers.
 */
const PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', '=1+1', '@SUM(1)', '+1+1', '-2+3', '\t=2', '\r=3'];
const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** The cells a spreadsheet would evaluate. */
const dangerous = (cells: string[]) => cells.filter((c) => TRIGGER.test(c) && !PLAIN_NUMBER.test(c));
const binary = (res: NodeJS.ReadableStream, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
async function xlsxCells(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && 'formula' in v ? `=${(v as { formula: string }).formula}` : String(v ?? ''))));
  });
  return rows;
}

let t: TestEnv;
let instructor: LoginResponse, admin: LoginResponse, bureau: LoginResponse, school: LoginResponse, student: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  [instructor, admin, bureau, school, student] = await Promise.all((['instructor', 'org_admin', 'bureau_verifier', 'school_admin', 'student'] as const).map((r) => t.login(r)));
}, 60_000);
afterAll(async () => t?.close());

const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '=DUTY()', knowledgePoint: '@KP', difficulty: 'medium' };

describe('question bank exports', () => {
  const stems: string[] = [];
  beforeAll(async () => {
    for (const [i, payload] of PAYLOADS.entries()) {
      const res = await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send({
        type: 'single_choice',
        content: { stem: `${payload}#${i}`, options: [{ key: 'A', text: payload }, { key: 'B', text: '-7' }], correctKeys: ['A'], rubric: payload, feedback: payload },
        tags,
      });
      expect(res.status).toBe(201);
      stems.push(`${payload}#${i}`);
    }
    const fill = await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send({ type: 'fill_blank', content: { stem: '=FILL() ____', acceptedAnswers: ['-5'] }, tags });
    expect(fill.status).toBe(201);
    stems.push('=FILL() ____');
  }, 60_000);

  it('the CSV has no cell a spreadsheet would evaluate, and reads back to the same questions', async () => {
    const res = await t.http().get('/api/v1/question-bank/export.csv').set(bearer(instructor.accessToken));
    expect(res.status).toBe(200);
    const rows = parseCsv(res.text);
    const cells = rows.slice(1).flat();
    expect(cells.some((c) => c.startsWith("'=cmd|"))).toBe(true);
    expect(dangerous(cells)).toEqual([]);
    expect(cells).toContain('-5'); // a negative number stays a number
    // Importing our own export gives the questions back as they were written.
    const imported = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('format', 'csv').field('tags', JSON.stringify(tags)).attach('file', Buffer.from(res.text, 'utf8'), 'bank.csv');
    expect(imported.status).toBe(200);
    const list = await t.http().get('/api/v1/question-bank/questions').set(bearer(instructor.accessToken));
    const items = (list.body.items ?? list.body) as { content: { stem: string; options?: { text: string }[]; rubric?: string } }[];
    for (const stem of stems) expect(items.filter((q) => q.content.stem === stem).length).toBeGreaterThanOrEqual(2);
    expect(items.find((q) => q.content.stem === `${PAYLOADS[0]}#0`)?.content.options?.[0]?.text).toBe(PAYLOADS[0]);
  });

  it('the xlsx has no formula cell and no text a spreadsheet would evaluate', async () => {
    const res = await t.http().get('/api/v1/question-bank/export.xlsx').set(bearer(instructor.accessToken)).buffer(true).parse(binary as never);
    expect(res.status).toBe(200);
    const cells = (await xlsxCells(res.body as Buffer)).slice(1).flat();
    expect(cells.some((c) => c.startsWith("'@SUM(1)"))).toBe(true);
    expect(dangerous(cells)).toEqual([]);
  });
});

describe('certificate roster and bulk verification', () => {
  let pair: IssuedPair;
  beforeAll(async () => {
    await t.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'S', evaluationBodyCode: '0002', provinceCode: '11', siteSerial: '000123', enterprisePrefix: 'AITR' }).expect(200);
    await t.http().post('/api/v1/certificates/signing-keys/rotate').set(bearer(admin.accessToken)).expect(200);
    pair = await t.app.get(CertificateIssuanceService).issuePair({
      resultId: 9101,
      holderUserId: student.user.id,
      level: 4,
      trade: '数据标注',
      parts: [{ part: 'theory', scaled: 90, passed: true }, { part: 'practical', scaled: 80, passed: true }],
      sessionId: null,
      issuerId: admin.user.organisation!.id,
    });
    // Names as a hostile holder or issuer could have typed them.
    await t.app.get(DataSource).query('UPDATE certificates SET holder_name = ?, issuer_name = ?, occupation_name = ? WHERE id IN (?, ?)', [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], pair.skill.id, pair.enterprise.id]);
  }, 60_000);

  it('the roster xlsx writes every text column as text', async () => {
    for (const token of [admin.accessToken, bureau.accessToken]) {
      const res = await t.http().get('/api/v1/certificate-roster.xlsx').set(bearer(token)).buffer(true).parse(binary as never);
      expect(res.status).toBe(200);
      const rows = await xlsxCells(res.body as Buffer);
      const mine = rows.find((r) => r.includes(pair.skill.number))!;
      expect(mine[0]).toBe(`'${PAYLOADS[0]}`);
      expect(mine[4]).toBe(`'${PAYLOADS[3]}`);
      expect(mine[7]).toBe(`'${PAYLOADS[1]}`);
      expect(dangerous(rows.flat())).toEqual([]);
    }
  });

  it('the bulk verification CSV echoes hostile numbers and issuer names as text', async () => {
    const created = await t.http().post('/api/v1/bureau/api-keys').set(bearer(bureau.accessToken)).send({ name: '导出测试', scopes: ['bulk_verify'], dailyQuota: 100 });
    expect(created.status).toBe(201);
    const lines = ['number,name', `${pair.skill.number},${student.user.realName}`, ...PAYLOADS.map((p) => `"${p.replace(/"/g, '""')}",某人`)];
    const res = await t.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', created.body.key).set('Content-Type', 'text/csv').send(lines.join('\n')).buffer(true).parse(binary as never);
    expect(res.status).toBe(200);
    const rows = parseCsv((res.body as Buffer).toString('utf8'));
    expect(dangerous(rows.flat())).toEqual([]);
    expect(rows.flat()).toContain(`'${PAYLOADS[1]}`);
  });
});

describe('cohort import report', () => {
  it('names and cohorts typed as formulas come back as text in report.csv', async () => {
    const csv = ['姓名,证件类型,证件号码,手机号,班级', `"${PAYLOADS[0]}",居民身份证,110101199003070000,13800000000,=COHORT()`, '@NAME,居民身份证,123,,-2+3'].join('\n');
    const res = await t.http().post('/api/v1/cohort-imports').set(bearer(school.accessToken)).attach('file', Buffer.from(csv, 'utf8'), 'roster.csv');
    expect(res.status).toBe(201);
    const report = await t.http().get(`/api/v1/cohort-imports/${res.body.id}/report.csv`).set(bearer(school.accessToken));
    expect(report.status).toBe(200);
    const cells = parseCsv(report.text).flat();
    expect(cells).toContain(`'${PAYLOADS[0]}`);
    expect(cells).toContain("'=COHORT()");
    expect(dangerous(cells)).toEqual([]);
  });
});
