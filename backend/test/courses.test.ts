import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import type { CourseDetailView, CourseDraftRequest, LoginResponse, StudentImportResult } from '@aitrainer/contracts';
import { residentIdCheckCharacter } from '@aitrainer/domain';
import { CourseClock } from '../src/courses/course-clock';
import { LearningService } from '../src/courses/learning.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let school: LoginResponse, instructor: LoginResponse, student: LoginResponse, admin: LoginResponse;
const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

/** A valid resident ID number for person i (distinct birth dates, valid check character). */
function residentId(i: number): string {
  const d = new Date(Date.UTC(1990, 0, 1) + i * 86_400_000);
  const first17 = `330106${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(100 + (i % 800)).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}
const withWrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

function csv(rows: string[][]): Buffer {
  return Buffer.from(['姓名,证件类型,证件号码,手机号,班级', ...rows.map((r) => r.join(','))].join('\n'), 'utf8');
}
const importFile = (token: string, content: Buffer, name = 'roster.csv') =>
  t.http().post('/api/v1/cohort-imports').set(bearer(token)).attach('file', content, name);

async function loginAs(username: string, password: string): Promise<LoginResponse> {
  const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password });
  expect(res.status).toBe(200);
  return res.body as LoginResponse;
}

const asDraft = (l: { key: string; title: string; contentMarkdown: string; videoUrl: string | null; durationMinutes: number }) => ({
  key: l.key,
  title: l.title,
  contentMarkdown: l.contentMarkdown,
  videoUrl: l.videoUrl,
  durationMinutes: l.durationMinutes,
});

const draft = (overrides: Partial<CourseDraftRequest> = {}): CourseDraftRequest => ({
  title: '数据标注基础',
  description: '五级数据标注员的入门课程',
  targetLevel: 5,
  dutyAreas: ['data_collection', 'data_labelling'],
  minTimePercent: 50,
  modules: [
    {
      title: '第一章 数据采集',
      lessons: [
        { title: '1.1 数据来源', contentMarkdown: '# 数据来源\n\n业务数据的采集。', durationMinutes: 10 },
        { title: '1.2 数据清洗', contentMarkdown: '清洗规则', durationMinutes: 20, videoUrl: 'https://video.example.org/1-2.mp4' },
      ],
    },
    { title: '第二章 数据标注', lessons: [{ title: '2.1 分类标注', contentMarkdown: '分类', durationMinutes: 30 }] },
  ],
  ...overrides,
});

async function createCourse(token: string, body: CourseDraftRequest = draft()): Promise<CourseDetailView> {
  const res = await t.http().post('/api/v1/courses').set(bearer(token)).send(body);
  expect(res.status).toBe(201);
  return res.body as CourseDetailView;
}
const publish = (token: string, id: number) => t.http().post(`/api/v1/courses/${id}/publish`).set(bearer(token));
const enrolCohort = (token: string, id: number, cohortId: number) => t.http().post(`/api/v1/courses/${id}/enrolments`).set(bearer(token)).send({ cohortId });

let clockOffsetSeconds = 0;
const advance = (seconds: number) => (clockOffsetSeconds += seconds);

let cohortA: number; // the demo cohort (demo.student is in it)
let cohortB: number;

beforeAll(async () => {
  t = await startTestEnv();
  [school, instructor, student, admin] = await Promise.all((['school_admin', 'instructor', 'student', 'platform_admin'] as const).map((r) => t.login(r)));
  const clock = t.app.get(CourseClock);
  clock.now = () => new Date(Date.now() + clockOffsetSeconds * 1000);
  const cohorts = await t.http().get('/api/v1/cohorts').set(bearer(school.accessToken));
  cohortA = cohorts.body[0].id;
  const created = await t.http().post('/api/v1/cohorts').set(bearer(school.accessToken)).send({ name: '2026级B班' });
  cohortB = created.body.id;
});
afterAll(async () => t?.close());

describe('roster import', () => {
  const good = Array.from({ length: 500 }, (_, i) => [`学员${i}`, '居民身份证', residentId(i), `1380000${String(i).padStart(4, '0')}`, '2026级B班']);

  it('refuses a file with one bad ID among 500 good rows: nothing created, the bad row named, a report to download', async () => {
    const usersBefore = await count('users');
    const rows = [...good.slice(0, 250), ['坏号码', '居民身份证', withWrongCheck(residentId(9999)), '', '2026级B班'], ...good.slice(250)];
    const res = await importFile(school.accessToken, csv(rows));
    expect(res.status).toBe(201);
    const body = res.body as StudentImportResult;
    expect(body).toMatchObject({ status: 'rejected', totalRows: 501, created: 0, alreadyPresent: 0, errorRows: 1, credentials: [] });
    const bad = body.rows.filter((r) => r.outcome === 'error');
    expect(bad).toEqual([expect.objectContaining({ line: 252, name: '坏号码', problems: [expect.objectContaining({ column: 'idNumber', code: 'ROSTER_INVALID_ID_NUMBER', problem: expect.stringContaining('check character'), params: expect.objectContaining({ reasonCode: 'ID_CHECK_CHARACTER' }) })] })]);
    expect(body.rows.filter((r) => r.outcome === 'not_imported')).toHaveLength(500);
    expect(JSON.stringify(body)).not.toContain(residentId(0)); // only masked numbers in the report
    expect(await count('users')).toBe(usersBefore);
    expect(await count('cohort_students')).toBe(1);

    const report = await t.http().get(`/api/v1/cohort-imports/${body.id}/report.csv`).set(bearer(school.accessToken));
    expect(report.status).toBe(200);
    expect(report.headers['content-disposition']).toContain('attachment');
    // In the requester's language (Chinese by default, the validator's reason worded from its code too), and a
    // machine-readable variant with stable codes.
    expect(report.text).toMatch(/^\uFEFF行号,姓名,班级,证件号码,结果,问题\r\n/);
    expect(report.text).toMatch(/252,坏号码,2026级B班,.*,有问题,证件号码：格式不正确：校验位不正确（GB 11643），请核对号码/);
    expect(report.text).not.toMatch(/check character/);
    const en = await t.http().get(`/api/v1/cohort-imports/${body.id}/report.csv?lang=en`).set(bearer(school.accessToken));
    expect(en.text).toMatch(/^\uFEFFLine,Name,Cohort,ID number,Outcome,Problems\r\n/);
    expect(en.text).toMatch(/252,坏号码,2026级B班,.*,Has problems,ID number: is not a valid ID number: .*check character/);
    const codes = await t.http().get(`/api/v1/cohort-imports/${body.id}/report.csv?lang=codes`).set(bearer(school.accessToken));
    expect(codes.text).toMatch(/^\uFEFFline,name,cohort,id_number,outcome,problems\r\n/);
    expect(codes.text).toMatch(/252,坏号码,2026级B班,.*,error,idNumber:ROSTER_INVALID_ID_NUMBER/);
    expect(codes.text).toMatch(/\r\n2,.*,not_imported,/);
  });

  it('imports the good file once, and a repeat import creates nothing twice', async () => {
    const usersBefore = await count('users');
    const first = await importFile(school.accessToken, csv(good));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'completed', created: 500, alreadyPresent: 0, errorRows: 0 });
    expect(first.body.credentials).toHaveLength(500);
    expect(await count('users')).toBe(usersBefore + 500);

    const again = await importFile(school.accessToken, csv(good));
    expect(again.body).toMatchObject({ status: 'completed', created: 0, alreadyPresent: 500, credentials: [] });
    expect(await count('users')).toBe(usersBefore + 500);
    const cohort = await t.http().get(`/api/v1/cohorts/${cohortB}`).set(bearer(school.accessToken));
    expect(cohort.body.students).toHaveLength(500);
    expect(cohort.body.students[0].idNumberMasked).toMatch(/^330106\*+\d{3}[\dX]$/);

    // An imported student can sign in with the credentials handed back once.
    const c = first.body.credentials[0];
    const session = await loginAs(c.username, c.initialPassword);
    expect(session.user).toMatchObject({ role: 'student', realName: '学员0' });
  }, 60_000); // 500 accounts with hashed passwords, twice: above the default 5 s on a busy machine

  it('names duplicates inside the file, unknown cohorts, bad types and IDs that belong to another account', async () => {
    const before = await count('users');
    const res = await importFile(
      school.accessToken,
      csv([
        ['甲', '身份证', residentId(2000), '', '2026级B班'],
        ['乙', '身份证', residentId(2000), '', '2026级B班'],
        ['丙', '身份证', residentId(2001), '', '不存在的班'],
        ['丁', '驾驶证', residentId(2002), '', '2026级B班'],
        ['冒名', '身份证', residentId(0), '', '2026级B班'], // 学员0's number under another name
        ['', '护照', 'E12345678', 'abc', '2026级B班'],
      ]),
    );
    expect(res.body.status).toBe('rejected');
    const problems = Object.fromEntries(res.body.rows.map((r: { line: number; problems: { column: string; problem: string }[] }) => [r.line, r.problems]));
    expect(problems[2]).toEqual([]);
    expect(problems[3]).toEqual([{ column: 'idNumber', problem: 'repeats the ID number of line 2', code: 'ROSTER_DUPLICATE_ID_NUMBER', params: { line: 2 } }]);
    expect(problems[4]).toEqual([{ column: 'cohort', problem: expect.stringContaining('不存在的班'), code: 'ROSTER_UNKNOWN_COHORT', params: { cohort: '不存在的班' } }]);
    expect(problems[5]).toEqual([{ column: 'idDocumentType', problem: expect.stringContaining('驾驶证'), code: 'ROSTER_UNKNOWN_ID_TYPE', params: { value: '驾驶证' } }]);
    expect(problems[6]).toEqual([{ column: 'idNumber', problem: expect.stringContaining('already belongs to another account'), code: 'ROSTER_ID_NUMBER_TAKEN', params: {} }]);
    expect(problems[7].map((p: { column: string }) => p.column).sort()).toEqual(['name', 'phone']);
    expect(await count('users')).toBe(before);
  });

  it('reads Excel (.xlsx) and refuses unreadable files with a 400 naming the file', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名单');
    sheet.addRow(['姓名', '证件类型', '证件号码', '手机号', '班级']);
    sheet.addRow(['表格学员', '居民身份证', residentId(3000), '13900000000', '2026级B班']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const res = await importFile(school.accessToken, xlsx, '名单.xlsx');
    expect(res.body).toMatchObject({ status: 'completed', created: 1, fileName: '名单.xlsx' });

    const noFile = await t.http().post('/api/v1/cohort-imports').set(bearer(school.accessToken));
    expect(noFile.status).toBe(400);
    expect(noFile.body.fields).toEqual([{ field: 'file', problem: expect.stringContaining('multipart'), code: 'NOT_MULTIPART', params: {} }]);
    const emptyForm = await t.http().post('/api/v1/cohort-imports').set(bearer(school.accessToken)).field('note', 'no file');
    expect(emptyForm.status).toBe(400);
    expect(emptyForm.body.fields).toEqual([{ field: 'file', problem: expect.stringContaining('required'), code: 'FILE_REQUIRED_OF', params: { accepted: 'CSV / Excel (.xlsx)' } }]);
    const noColumns = await importFile(school.accessToken, Buffer.from('name,phone\n张三,1380000\n'));
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.fields[0]).toEqual({ field: 'file', problem: expect.stringContaining('证件号码'), code: 'ROSTER_MISSING_COLUMNS', params: { columns: expect.stringContaining('证件号码') } });
    const wrongType = await importFile(school.accessToken, Buffer.from('hello'), 'roster.pdf');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.fields[0].field).toBe('file');
  });

  it('reads the cohort template saved as GBK, GB18030, UTF-16 (BOM) and UTF-8 with BOM; refuses Windows-1252 by name', async () => {
    const served = await t.http().get('/api/v1/cohort-imports/template.csv').set(bearer(school.accessToken));
    const header = served.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    const encodings: [string, (text: string) => Buffer][] = [
      ['GBK', (text) => iconv.encode(text, 'gbk')],
      ['GB18030', (text) => iconv.encode(text, 'gb18030')],
      ['UTF-16LE', (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])],
      ['UTF-16BE', (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])],
      ['UTF-8 with BOM', (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ];
    for (const [i, [name, encode]] of encodings.entries()) {
      const realName = `编码学员喆${i}`;
      const text = `${header}\r\n${realName},居民身份证,${residentId(7100 + i)},13900001111,2026级B班\r\n`;
      const res = await importFile(school.accessToken, encode(text), `名单-${name}.csv`);
      expect([name, res.status, res.body.status, res.body.created]).toEqual([name, 201, 'completed', 1]);
      expect(res.body.rows[0].name).toBe(realName);
    }
    const before = await count('users');
    const latin = await importFile(school.accessToken, iconv.encode(`name,iddocumenttype,idnumber,phone,cohort\r\nRené Müller,passport,E12345678,,2026级B班\r\n`.replace('2026级B班', 'Klasse'), 'win1252'));
    expect(latin.status).toBe(400);
    expect(latin.body.fields).toEqual([{ field: 'file', problem: expect.stringContaining('Windows-1252'), code: 'TEXT_ENCODING_GUESS', params: { encoding: expect.stringContaining('Windows-1252') } }]);
    expect(await count('users')).toBe(before);
  });

  it('is for school admins only, and each school sees only its own imports', async () => {
    expect((await importFile(instructor.accessToken, csv(good.slice(0, 1)))).status).toBe(403);
    expect((await t.http().get('/api/v1/cohort-imports').set(bearer(student.accessToken))).status).toBe(403);
    const list = await t.http().get('/api/v1/cohort-imports').set(bearer(school.accessToken));
    expect(list.body.length).toBeGreaterThanOrEqual(4);
  });
});

describe('cohort instructors', () => {
  it('assigns an instructor of the school, who then sees the cohort', async () => {
    const bad = await t.http().post(`/api/v1/cohorts/${cohortA}/instructors`).set(bearer(school.accessToken)).send({ userId: student.user.id });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('userId');
    expect((await t.http().get(`/api/v1/cohorts/${cohortA}`).set(bearer(instructor.accessToken))).status).toBe(404);
    const ok = await t.http().post(`/api/v1/cohorts/${cohortA}/instructors`).set(bearer(school.accessToken)).send({ userId: instructor.user.id });
    expect(ok.status).toBe(201);
    expect(ok.body.instructors.map((i: { id: number }) => i.id)).toEqual([instructor.user.id]);
    const mine = await t.http().get('/api/v1/cohorts').set(bearer(instructor.accessToken));
    expect(mine.body.map((c: { id: number }) => c.id)).toEqual([cohortA]);
  });
});

describe('courses', () => {
  let course: CourseDetailView;
  let studentB: LoginResponse;

  beforeAll(async () => {
    course = await createCourse(instructor.accessToken);
    const imported = await importFile(school.accessToken, csv([['乙班学员', '居民身份证', residentId(4000), '', '2026级B班']]));
    const c = imported.body.credentials[0];
    studentB = await loginAs(c.username, c.initialPassword);
  });

  it('creates a course aligned to the occupation, as a draft with the level’s reference hours', () => {
    expect(course).toMatchObject({ occupationCode: '4-04-05-05', relation: 'author', publishedVersion: null, hasDraft: true, lessonCount: 3 });
    expect(course.draft).toMatchObject({ number: 1, status: 'draft', targetLevel: 5, requiredHours: 60, requiredHoursIsDefault: true });
    expect(course.draft!.modules.map((m) => m.lessons.length)).toEqual([2, 1]);
  });

  it('refuses a bad draft with 400 naming the field, and changes nothing', async () => {
    const bad = draft();
    bad.modules[1].lessons[0].durationMinutes = 0;
    bad.modules[0].lessons[1].videoUrl = 'javascript:alert(1)';
    const res = await t.http().put(`/api/v1/courses/${course.id}/draft`).set(bearer(instructor.accessToken)).send({ ...bad, targetLevel: 7 });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['modules.0.lessons.1.videoUrl', 'modules.1.lessons.0.durationMinutes', 'targetLevel']);
    const after = await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(instructor.accessToken));
    expect(after.body.draft.modules).toEqual(course.draft!.modules);
  });

  it('lets only the author edit; another role or a stranger cannot see a draft', async () => {
    expect((await t.http().put(`/api/v1/courses/${course.id}/draft`).set(bearer(school.accessToken)).send(draft())).status).toBe(403);
    expect((await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(school.accessToken))).status).toBe(404); // unpublished
    expect((await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(student.accessToken))).status).toBe(403);
    expect((await enrolCohort(school.accessToken, course.id, cohortA)).status).toBe(404);
    const empty = await createCourse(instructor.accessToken, draft({ modules: [] }));
    const refused = await publish(instructor.accessToken, empty.id);
    expect(refused.status).toBe(400);
    expect(refused.body.fields[0].field).toBe('modules');
  });

  it('publishes, enrols a cohort, and the student sees the course but not another cohort’s', async () => {
    const published = await publish(instructor.accessToken, course.id);
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ publishedVersion: 1, hasDraft: false, draft: null });
    const enrol = await enrolCohort(school.accessToken, course.id, cohortA);
    expect(enrol.body).toEqual({ enrolled: 1, alreadyEnrolled: 0 });
    expect((await enrolCohort(school.accessToken, course.id, cohortA)).body).toEqual({ enrolled: 0, alreadyEnrolled: 1 });

    const mine = await t.http().get('/api/v1/my/courses').set(bearer(student.accessToken));
    expect(mine.body).toEqual([expect.objectContaining({ courseId: course.id, title: '数据标注基础', completedLessons: 0, totalLessons: 3 })]);
    const other = await t.http().get('/api/v1/my/courses').set(bearer(studentB.accessToken));
    expect(other.body).toEqual([]);
    expect((await t.http().get(`/api/v1/my/courses/${course.id}`).set(bearer(studentB.accessToken))).status).toBe(404);
    const key = course.draft!.modules[0].lessons[0].key;
    expect((await t.http().get(`/api/v1/my/courses/${course.id}/lessons/${key}`).set(bearer(studentB.accessToken))).status).toBe(404);
    expect((await t.http().post(`/api/v1/my/courses/${course.id}/lessons/${key}/heartbeat`).set(bearer(studentB.accessToken)).send({})).status).toBe(404);
  });

  it('never shows a student an unpublished draft, not even of a course they study', async () => {
    const detail = (await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(instructor.accessToken))).body as CourseDetailView;
    const edited = draft({ title: '数据标注基础（修订中）' });
    edited.modules = detail.published!.modules.map((m) => ({ key: m.key, title: m.title, lessons: m.lessons.map(asDraft) }));
    edited.modules[0].lessons.push({ title: '1.3 草稿课', contentMarkdown: '尚未发布', durationMinutes: 5 });
    const saved = await t.http().put(`/api/v1/courses/${course.id}/draft`).set(bearer(instructor.accessToken)).send(edited);
    expect(saved.status).toBe(200);
    expect(saved.body.draft.number).toBe(2);
    const draftOnlyKey = saved.body.draft.modules[0].lessons[2].key;
    const view = await t.http().get(`/api/v1/my/courses/${course.id}`).set(bearer(student.accessToken));
    expect(view.body.title).toBe('数据标注基础');
    expect(view.body.totalLessons).toBe(3);
    expect((await t.http().get(`/api/v1/my/courses/${course.id}/lessons/${draftOnlyKey}`).set(bearer(student.accessToken))).status).toBe(404);
    // A course that was never published cannot be reached at all.
    const unpublished = await createCourse(instructor.accessToken);
    expect((await t.http().get(`/api/v1/my/courses/${unpublished.id}`).set(bearer(student.accessToken))).status).toBe(404);
  });

  it('renders malicious Markdown inert', async () => {
    const evil = await createCourse(
      instructor.accessToken,
      draft({
        modules: [
          {
            title: '恶意',
            lessons: [
              {
                title: 'XSS',
                contentMarkdown: '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[点我](javascript:alert(3)) [也点我](JAVASCRIPT:alert(4))\n\n[正常](https://example.org)',
                durationMinutes: 5,
              },
            ],
          },
        ],
      }),
    );
    await publish(instructor.accessToken, evil.id);
    await enrolCohort(school.accessToken, evil.id, cohortA);
    const key = evil.draft!.modules[0].lessons[0].key;
    const lesson = await t.http().get(`/api/v1/my/courses/${evil.id}/lessons/${key}`).set(bearer(student.accessToken));
    expect(lesson.status).toBe(200);
    const html: string = lesson.body.html;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/\son\w+="/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="https://example.org"');
    const preview = await t.http().post('/api/v1/courses/markdown-preview').set(bearer(instructor.accessToken)).send({ markdown: '<script>x</script>[a](javascript:b)' });
    expect(preview.body.html).not.toMatch(/<script|href="javascript/i);
  });

  it('records completion from the student’s time and reaching the end, not from a client flag alone', async () => {
    const first = course.draft!.modules[0].lessons[0]; // 10 minutes at 50 %: 300 s
    const url = `/api/v1/my/courses/${course.id}/lessons/${first.key}/heartbeat`;
    const open = await t.http().post(url).set(bearer(student.accessToken)).send({ event: 'open' });
    expect(open.body).toMatchObject({ status: 'in_progress', secondsSpent: 0, minimumSeconds: 300 });
    advance(20);
    const claimed = await t.http().post(url).set(bearer(student.accessToken)).send({ reachedEnd: true });
    expect(claimed.body).toMatchObject({ status: 'in_progress', secondsSpent: 20, reachedEnd: true });
    // A long silence (tab hidden, laptop closed) earns at most 30 s.
    advance(3600);
    expect((await t.http().post(url).set(bearer(student.accessToken)).send({})).body.secondsSpent).toBe(50);
    // Rapid beats cannot add time the server did not see pass.
    for (let i = 0; i < 5; i++) await t.http().post(url).set(bearer(student.accessToken)).send({});
    expect((await t.http().post(url).set(bearer(student.accessToken)).send({})).body.secondsSpent).toBeLessThanOrEqual(51);
    for (let i = 0; i < 9; i++) {
      advance(30);
      await t.http().post(url).set(bearer(student.accessToken)).send({});
    }
    const done = await t.http().post(url).set(bearer(student.accessToken)).send({});
    expect(done.body.status).toBe('completed');
    const view = await t.http().get(`/api/v1/my/courses/${course.id}`).set(bearer(student.accessToken));
    expect(view.body).toMatchObject({ completedLessons: 1, hours: { doneMinutes: 10, requiredMinutes: 3600, percent: 0 } });
    expect(view.body.modules[0]).toMatchObject({ completedLessons: 1, totalLessons: 2 });
    expect(view.body.continueLessonKey).toBe(course.draft!.modules[0].lessons[1].key);
    const bad = await t.http().post(url).set(bearer(student.accessToken)).send({ reachedEnd: 'yes', completed: true });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['completed', 'reachedEnd']);
  });

  it('keeps progress across a republish where the lesson still exists', async () => {
    const detail = (await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(instructor.accessToken))).body as CourseDetailView;
    const kept = detail.published!.modules[0].lessons[0];
    // New version: the completed lesson stays (moved into the second module), lesson 1.2 is removed.
    const next = draft({ title: '数据标注基础（第二版）', requiredHours: 2 });
    next.modules = [
      { key: detail.published!.modules[1].key, title: '第二章 数据标注', lessons: [asDraft(detail.published!.modules[1].lessons[0]), { ...asDraft(kept), title: '1.1 数据来源（修订）' }] },
    ];
    expect((await t.http().put(`/api/v1/courses/${course.id}/draft`).set(bearer(instructor.accessToken)).send(next)).status).toBe(200);
    // Until publication the student keeps version 1.
    expect((await t.http().get(`/api/v1/my/courses/${course.id}`).set(bearer(student.accessToken))).body.versionNumber).toBe(1);
    expect((await publish(instructor.accessToken, course.id)).body.publishedVersion).toBe(2);
    const view = await t.http().get(`/api/v1/my/courses/${course.id}`).set(bearer(student.accessToken));
    expect(view.body).toMatchObject({ versionNumber: 2, title: '数据标注基础（第二版）', completedLessons: 1, totalLessons: 2, hours: { doneMinutes: 10, requiredMinutes: 120, percent: 8 } });
    expect(view.body.modules[0].lessons[1]).toMatchObject({ key: kept.key, title: '1.1 数据来源（修订）', progress: { status: 'completed' } });
  });

  it('shows the roster to the author and the teaching instructor, scoped to what they may see', async () => {
    const roster = await t.http().get(`/api/v1/courses/${course.id}/roster`).set(bearer(instructor.accessToken));
    expect(roster.status).toBe(200);
    expect(roster.body).toEqual([expect.objectContaining({ userId: student.user.id, completedLessons: 1, trainingMinutes: 10 })]);
    expect((await t.http().get(`/api/v1/courses/${course.id}/roster`).set(bearer(student.accessToken))).status).toBe(403);
  });

  it('stores attachments and serves them only to those who may see the lesson', async () => {
    const detail = (await t.http().get(`/api/v1/courses/${course.id}`).set(bearer(instructor.accessToken))).body as CourseDetailView;
    const key = detail.published!.modules[0].lessons[0].key;
    const up = await t.http().post(`/api/v1/courses/${course.id}/lessons/${key}/attachments`).set(bearer(instructor.accessToken)).attach('file', Buffer.from('<html><script>alert(1)</script></html>'), '讲义.html');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: '讲义.html', lessonKey: key });
    const lesson = await t.http().get(`/api/v1/my/courses/${course.id}/lessons/${key}`).set(bearer(student.accessToken));
    expect(lesson.body.attachments).toEqual([expect.objectContaining({ id: up.body.id })]);
    const file = await t.http().get(`/api/v1/courses/${course.id}/attachments/${up.body.id}`).set(bearer(student.accessToken)).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect((await t.http().get(`/api/v1/courses/${course.id}/attachments/${up.body.id}`).set(bearer(studentB.accessToken))).status).toBe(404);
    const noLesson = await t.http().post(`/api/v1/courses/${course.id}/lessons/nope/attachments`).set(bearer(instructor.accessToken)).attach('file', Buffer.from('x'), 'a.txt');
    expect(noLesson.status).toBe(400);
    expect(noLesson.body.fields[0].field).toBe('lessonKey');
  });

  it('answers eligibility with the reasons a student is not eligible', async () => {
    const learning = t.app.get(LearningService);
    const result = await learning.eligibilityFor(student.user.id, { level: 5, requiredCourseIds: [course.id], minTrainingHours: 2 });
    expect(result.eligible).toBe(false);
    expect(result.reasons).toEqual([
      { code: 'COURSE_NOT_COMPLETED', courseId: course.id, completedLessons: 1, totalLessons: 2 },
      { code: 'TRAINING_HOURS_SHORT', requiredMinutes: 120, doneMinutes: 10 },
    ]);
    expect((await learning.eligibilityFor(studentB.user.id, { level: 5, requiredCourseIds: [course.id] })).reasons[0]).toEqual({ code: 'COURSE_NOT_ENROLLED', courseId: course.id });
  });

  it('lists courses by relation: the author’s own, the school’s published catalogue', async () => {
    const mine = await t.http().get('/api/v1/courses').set(bearer(instructor.accessToken));
    expect(mine.body.every((c: { relation: string }) => c.relation === 'author')).toBe(true);
    const catalogue = await t.http().get('/api/v1/courses').set(bearer(school.accessToken));
    expect(catalogue.body.every((c: { publishedVersion: number | null }) => c.publishedVersion !== null)).toBe(true);
    expect((await t.http().get('/api/v1/courses').set(bearer(admin.accessToken))).body.length).toBe(mine.body.length);
  });
});
