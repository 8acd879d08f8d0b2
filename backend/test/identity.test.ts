import { DataSource } from 'typeorm';
import type { LoginResponse, UserView } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let admin: LoginResponse, school: LoginResponse, student: LoginResponse, instructor: LoginResponse, bureau: LoginResponse;
const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

beforeAll(async () => {
  t = await startTestEnv();
  [admin, school, student, instructor, bureau] = await Promise.all(
    (["platform_admin", "school_admin", "student", "instructor", "bureau_verifier"] as const).map((r) => t.login(r)),
  );
});
afterAll(async () => t?.close());

describe('roles and ownership', () => {
  it('refuses a route to the wrong role with 403', async () => {
    const res = await t.http().post('/api/v1/organisations').set(bearer(student.accessToken)).send({ kind: 'school', name: '某学校' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await t.http().get('/api/v1/users').set(bearer(student.accessToken))).status).toBe(403);
    expect((await t.http().get('/api/v1/audit-events').set(bearer(school.accessToken))).status).toBe(403);
  });

  it("does not let a student read another user's record", async () => {
    const res = await t.http().get(`/api/v1/users/${instructor.user.id}`).set(bearer(student.accessToken));
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(instructor.user.realName);
    expect((await t.http().get(`/api/v1/users/${student.user.id}`).set(bearer(student.accessToken))).status).toBe(200);
  });

  it('lets a school admin read its own students but not a bureau verifier', async () => {
    expect((await t.http().get(`/api/v1/users/${student.user.id}`).set(bearer(school.accessToken))).status).toBe(200);
    expect((await t.http().get(`/api/v1/users/${bureau.user.id}`).set(bearer(school.accessToken))).status).toBe(404);
  });

  it('scopes lists to the caller’s organisation', async () => {
    const list = await t.http().get('/api/v1/users').set(bearer(school.accessToken));
    expect(list.status).toBe(200);
    const orgIds = new Set((list.body.items as UserView[]).map((u) => u.organisation?.id));
    expect([...orgIds]).toEqual([school.user.organisation!.id]);
    const foreign = await t.http().get(`/api/v1/users?organisationId=${bureau.user.organisation!.id}`).set(bearer(school.accessToken));
    expect(foreign.status).toBe(403);
    const mine = await t.http().get('/api/v1/organisations').set(bearer(bureau.accessToken));
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0].kind).toBe('bureau');
    expect((await t.http().get(`/api/v1/organisations/${school.user.organisation!.id}`).set(bearer(bureau.accessToken))).status).toBe(404);
  });

  it('shows instructors only the students of their organisation', async () => {
    const list = await t.http().get('/api/v1/users').set(bearer(instructor.accessToken));
    expect(list.status).toBe(200);
    expect((list.body.items as UserView[]).every((u) => u.role === 'student')).toBe(true);
    expect(list.body.total).toBeGreaterThan(0);
  });
});

describe('organisations', () => {
  it('creates an issuer with a valid credit code', async () => {
    const res = await t.http().post('/api/v1/organisations').set(bearer(admin.accessToken)).send({ kind: 'issuer', name: '测试认证企业', creditCode: '91110108551385082q' });
    expect(res.status).toBe(201);
    expect(res.body.creditCode).toBe('91110108551385082Q');
    const dup = await t.http().post('/api/v1/organisations').set(bearer(admin.accessToken)).send({ kind: 'school', name: '另一个', creditCode: '91110108551385082Q' });
    expect(dup.status).toBe(409);
    expect(dup.body.fields[0].field).toBe('creditCode');
  });

  it('refuses an invalid credit code with 400 naming creditCode, and creates nothing', async () => {
    const before = await count('organisations');
    const res = await t.http().post('/api/v1/organisations').set(bearer(admin.accessToken)).send({ kind: 'issuer', name: '坏代码企业', creditCode: '91110000600037341A' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields).toEqual([{ field: 'creditCode', problem: expect.stringContaining('check character'), code: 'CREDIT_CODE_CHECK' }]);
    const missing = await t.http().post('/api/v1/organisations').set(bearer(admin.accessToken)).send({ kind: 'issuer', name: '没有代码' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0].field).toBe('creditCode');
    expect(await count('organisations')).toBe(before);
  });

  it('refuses unknown fields and wrong kinds', async () => {
    const res = await t.http().post('/api/v1/organisations').set(bearer(admin.accessToken)).send({ kind: 'bank', name: 'x', isAdmin: true });
    expect(res.status).toBe(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'name', 'isAdmin']));
  });
});

describe('students and ID numbers', () => {
  const newStudent = (over: Record<string, unknown> = {}) => ({
    username: `stu.${Math.random().toString(36).slice(2, 8)}`,
    password: 'Study2026',
    realName: '张堃',
    role: 'student',
    idDocumentType: 'resident_id',
    idNumber: '11010519491231002x',
    ...over,
  });

  it('stores the ID number encrypted and returns it masked', async () => {
    const res = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent());
    expect(res.status).toBe(201);
    expect(res.body.idNumberMasked).toBe('110105********002X');
    expect(JSON.stringify(res.body)).not.toContain('11010519491231002X');
    expect(res.body.organisation.id).toBe(school.user.organisation!.id);
    const [row] = await t.app.get(DataSource).query('SELECT id_number_enc FROM users WHERE id = ?', [res.body.id]);
    expect(row.id_number_enc).not.toContain('11010519491231002X');
  });

  it('refuses an invalid resident ID with 400 naming idNumber, and creates nothing', async () => {
    const before = await count('users');
    const res = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent({ idNumber: '110105194912310021' }));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'idNumber', problem: expect.stringContaining('check character'), code: 'ID_CHECK_CHARACTER' }]);
    const noId = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent({ idDocumentType: undefined, idNumber: undefined }));
    expect(noId.status).toBe(400);
    expect(noId.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['idDocumentType', 'idNumber']));
    expect(await count('users')).toBe(before);
  });

  it('refuses the same ID number twice and a taken username with 409', async () => {
    const first = newStudent({ idNumber: '360426199101010071' });
    expect((await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(first)).status).toBe(201);
    const sameId = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent({ idNumber: '360426199101010071' }));
    expect(sameId.status).toBe(409);
    expect(sameId.body.fields[0].field).toBe('idNumber');
    const sameName = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent({ username: first.username.toUpperCase(), idNumber: undefined, idDocumentType: 'passport' }));
    expect(sameName.status).toBe(400); // passport without number
    const taken = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send({ ...newStudent({ username: first.username.toUpperCase() }), idDocumentType: 'passport', idNumber: 'E99887766' });
    expect(taken.status).toBe(409);
    expect(taken.body.fields[0].field).toBe('username');
  });

  it('keeps a school admin inside its school and its allowed roles', async () => {
    const otherOrg = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send(newStudent({ idNumber: 'E11112222', idDocumentType: 'passport', organisationId: bureau.user.organisation!.id }));
    expect(otherOrg.status).toBe(403);
    const adminRole = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send({ username: 'sneaky.admin', password: 'Sneaky2026', realName: 'x', role: 'platform_admin' });
    expect(adminRole.status).toBe(403);
  });

  it('refuses a student placed in a bureau', async () => {
    const res = await t.http().post('/api/v1/users').set(bearer(admin.accessToken)).send(newStudent({ idNumber: 'E22223333', idDocumentType: 'passport', organisationId: bureau.user.organisation!.id }));
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('organisationId');
  });

  it('shows the full ID number only to allowed roles, and logs every look', async () => {
    const forbidden = await t.http().get(`/api/v1/users/${student.user.id}/id-number`).set(bearer(instructor.accessToken));
    expect(forbidden.status).toBe(403);
    const res = await t.http().get(`/api/v1/users/${student.user.id}/id-number`).set(bearer(school.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(res.body.idNumber.slice(0, 6) + '********' + res.body.idNumber.slice(-4)).toBe(student.user.idNumberMasked);
    const audit = await t.http().get(`/api/v1/audit-events?subjectType=user&subjectId=${student.user.id}`).set(bearer(admin.accessToken));
    const views = audit.body.items.filter((e: { action: string }) => e.action === 'id_number.viewed');
    expect(views).toHaveLength(1);
    expect(views[0].actorId).toBe(school.user.id);
  });
});

describe('cohorts', () => {
  it('lists the demo cohort with its student and creates a new one', async () => {
    const list = await t.http().get('/api/v1/cohorts').set(bearer(school.accessToken));
    expect(list.status).toBe(200);
    expect(list.body[0].studentCount).toBe(1);
    const created = await t.http().post('/api/v1/cohorts').set(bearer(school.accessToken)).send({ name: '2026级2班' });
    expect(created.status).toBe(201);
    const dup = await t.http().post('/api/v1/cohorts').set(bearer(school.accessToken)).send({ name: '2026级2班' });
    expect(dup.status).toBe(409);
    expect((await t.http().get('/api/v1/cohorts').set(bearer(bureau.accessToken))).status).toBe(403);
  });
});

describe('platform', () => {
  it('reports database and Redis health', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.database).toEqual({ status: 'up', driver: t.dbKind });
    expect(res.body.redis.status).toBe(process.env['TEST_REDIS_URL'] ? 'up' : 'not-configured');
  });

  it('serves the OpenAPI documentation', async () => {
    const html = await t.http().get('/api/docs/');
    expect(html.status).toBe(200);
    const json = await t.http().get('/api/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/health']));
  });

  it('answers an unknown API route with a 404 in the error shape', async () => {
    const res = await t.http().get('/api/v1/nothing-here').set(bearer(admin.accessToken));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('rolls the migrations back and forward again', async () => {
    const db = t.app.get(DataSource);
    await db.undoLastMigration();
    expect(await db.showMigrations()).toBe(true);
    await db.runMigrations();
    expect(await db.showMigrations()).toBe(false);
  });
});
