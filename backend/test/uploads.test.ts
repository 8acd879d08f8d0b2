import type { LoginResponse } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';
import { lyingZipBombXlsx, manyRowsXlsx, zipBombXlsx } from './support/zip-bomb';

/**
 * Every upload route takes multipart/form-data only, with a size limit per kind refused as 413 naming the field and
 * the limit; xlsx files are inspected as zips and read within row limits before anything is stored.
 */
let t: TestEnv;
let instructor: LoginResponse;
let school: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  instructor = await t.login('instructor');
  school = await t.login('school_admin');
}, 60_000);
afterAll(async () => t?.close());

const MB = 1024 * 1024;
const tags = JSON.stringify({ occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '', difficulty: 'medium' });
const token = (who: 'instructor' | 'school') => (who === 'instructor' ? instructor : school).accessToken;

const ROUTES: { path: string; who: 'instructor' | 'school'; limitMb: number | null; fields?: Record<string, string> }[] = [
  { path: '/api/v1/question-bank/imports', who: 'instructor', limitMb: 20, fields: { format: 'gift', tags } },
  { path: '/api/v1/question-bank/imports/xlsx', who: 'instructor', limitMb: 5, fields: { tags } },
  { path: '/api/v1/cohort-imports', who: 'school', limitMb: 5 },
  { path: '/api/v1/courses/1/lessons/l1/attachments', who: 'instructor', limitMb: 20 },
  { path: '/api/v1/labelling/exercises/1/calibration', who: 'instructor', limitMb: 10 },
  { path: '/api/v1/labelling/exercises/1/dataset', who: 'instructor', limitMb: null },
  { path: '/api/v1/labelling/exercises/1/label-studio', who: 'instructor', limitMb: null },
];

describe.each(ROUTES)('$path', ({ path, who, limitMb, fields }) => {
  it('refuses a file sent inside JSON (base64 or text): multipart only', async () => {
    const res = await t.http().post(path).set(bearer(token(who))).send({ file: Buffer.from('x').toString('base64'), ...fields });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'file', problem: 'must be sent as multipart/form-data', code: 'NOT_MULTIPART', params: {} }]);
  });

  it('refuses a file under a field it does not take, naming it', async () => {
    const res = await t.http().post(path).set(bearer(token(who))).attach('attachment', Buffer.from('x'), 'x.txt');
    expect(res.status).toBe(400);
    expect(res.body.fields[0]).toMatchObject({ field: 'attachment', code: 'UNEXPECTED_FILE' });
  });

  if (limitMb !== null) {
    it(`refuses a file over ${limitMb} MB with 413 naming the field and the limit`, async () => {
      const req = t.http().post(path).set(bearer(token(who)));
      for (const [k, v] of Object.entries(fields ?? {})) void req.field(k, v);
      const res = await req.attach('file', Buffer.alloc(limitMb * MB + 512 * 1024, 0x41), 'big.bin');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', fields: [{ field: 'file', code: 'FILE_TOO_LARGE', params: { limitMb, limitBytes: limitMb * MB } }] });
    }, 60_000);
  }
});

describe('xlsx imports: zip bombs and huge sheets are refused before parsing, nothing stored', () => {
  const xlsxImport = (bytes: Buffer) => t.http().post('/api/v1/question-bank/imports/xlsx').set(bearer(instructor.accessToken)).field('tags', tags).attach('file', bytes, 'bank.xlsx');
  const rosterImport = (bytes: Buffer) => t.http().post('/api/v1/cohort-imports').set(bearer(school.accessToken)).attach('file', bytes, 'roster.xlsx');
  const counts = async () => ({
    questions: (await t.http().get('/api/v1/question-bank/questions').set(bearer(instructor.accessToken))).body.length,
    imports: (await t.http().get('/api/v1/cohort-imports').set(bearer(school.accessToken))).body.length,
  });

  it('a 300 MB cell in a few hundred KB: 413 ZIP_ENTRY_TOO_LARGE from both imports', async () => {
    const before = await counts();
    const bomb = await zipBombXlsx(300);
    for (const res of [await xlsxImport(bomb), await rosterImport(bomb)]) {
      expect(res.status).toBe(413);
      expect(res.body.fields).toEqual([{ field: 'file', problem: expect.stringContaining('50 MB'), code: 'ZIP_ENTRY_TOO_LARGE', params: { name: 'xl/worksheets/sheet1.xml', limitMb: 50 } }]);
    }
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('a bomb whose zip directory lies about its size: 400 ZIP_UNREADABLE', async () => {
    const bomb = await lyingZipBombXlsx(100);
    const res = await xlsxImport(bomb);
    expect(res.status).toBe(400);
    expect(res.body.fields[0]).toMatchObject({ field: 'file', code: 'ZIP_UNREADABLE' });
  }, 60_000);

  it('a roster over 5,001 rows is refused by the streaming reader, naming the limit', async () => {
    const res = await rosterImport(manyRowsXlsx(5002));
    expect(res.status).toBe(413);
    expect(res.body.fields[0]).toMatchObject({ field: 'file', code: 'SHEET_TOO_MANY_ROWS', params: { limit: 5001 } });
  }, 60_000);

  it('tags that are not JSON, or not valid tags, are a 400 naming the field', async () => {
    const notJson = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('format', 'gift').field('tags', '{oops').attach('file', Buffer.from('::Q:: 1 {T}'), 'q.gift');
    expect(notJson.status).toBe(400);
    expect(notJson.body.fields).toEqual([{ field: 'tags', problem: 'is not valid JSON', code: 'NOT_JSON' }]);
    const badLevel = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('format', 'gift').field('tags', JSON.stringify({ ...JSON.parse(tags), levels: [9] })).attach('file', Buffer.from('::Q:: 1 {T}'), 'q.gift');
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.fields[0].field).toBe('tags.levels');
    const noFormat = await t.http().post('/api/v1/question-bank/imports').set(bearer(instructor.accessToken)).field('tags', tags).attach('file', Buffer.from('::Q:: 1 {T}'), 'q.gift');
    expect(noFormat.status).toBe(400);
    expect(noFormat.body.fields[0].field).toBe('format');
  });
});
