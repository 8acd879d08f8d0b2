import { DataSource } from 'typeorm';
import type { LoginResponse, OrganisationPartnersView, PromptTaskSummary } from '@aitrainer/contracts';
import { demoPromptTasks } from '../src/demo/content/prompt-tasks';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
let instructor: LoginResponse;
let demoStudent: LoginResponse;
let admin: LoginResponse;
let platform: LoginResponse;
let schoolAdmin: LoginResponse;
let issuerId: number;
let demoSchoolId: number;
let otherSchoolId: number;
let outsider: LoginResponse;
let outsider2: LoginResponse;

beforeAll(async () => {
  t = await startTestEnv();
  [instructor, demoStudent, admin, platform, schoolAdmin] = await Promise.all([t.login('instructor'), t.login('student'), t.login('org_admin'), t.login('platform_admin'), t.login('school_admin')]);
  issuerId = admin.user.organisation!.id;
  demoSchoolId = demoStudent.user.organisation!.id;
  const school = await as(platform).post('/organisations', { kind: 'school', name: '宁波另一所职业学院' });
  expect(school.status).toBe(201);
  otherSchoolId = school.body.id;
  const make = async (username: string, idNumber: string) => {
    await as(platform).post('/users', { username, password: 'Other@2026x', realName: `外校学员${idNumber.slice(-1)}`, role: 'student', organisationId: otherSchoolId, idDocumentType: 'passport', idNumber }).expect(201);
    const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: 'Other@2026x' });
    expect(res.status).toBe(200);
    return res.body as LoginResponse;
  };
  outsider = await make('partner.outsider', 'E55555551');
  outsider2 = await make('partner.outsider2', 'E55555552');
}, 60_000);
afterAll(async () => t?.close());

const as = (who: LoginResponse) => ({
  get: (url: string) => t.http().get(`/api/v1${url}`).set(bearer(who.accessToken)),
  post: (url: string, body?: object) => t.http().post(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  put: (url: string, body?: object) => t.http().put(`/api/v1${url}`).set(bearer(who.accessToken)).send(body),
  delete: (url: string) => t.http().delete(`/api/v1${url}`).set(bearer(who.accessToken)),
});

const auditOf = async (action: string) =>
  (await t.app.get(DataSource).query('SELECT actor_id, subject_id, detail FROM audit_events WHERE action = ? ORDER BY id', [action])) as { actor_id: number; subject_id: string; detail: string }[];

describe('partner schools of a certifying enterprise', () => {
  let sessionId: number;

  beforeAll(async () => {
    await as(instructor).post('/question-bank/questions', { type: 'true_false', content: { stem: '判断题：合作院校的学员才能报考。', answer: true }, tags: { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'easy' } }).expect(201);
    const exam = await as(instructor).post('/exams', { title: '合作院校考试', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'true_false', count: 1, points: 100 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } });
    expect(exam.status).toBe(201);
    await as(instructor).post(`/exams/${exam.body.id}/publish`).expect(200);
    const session = await as(admin).post('/exam-sessions', { examId: exam.body.id, venue: 'P101', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(session.status).toBe(201);
    sessionId = session.body.id;
  });

  it('the demo school is the demo enterprise\'s partner; the org admin sees the partners and the other schools', async () => {
    const res = await as(admin).get(`/organisations/${issuerId}/partners`);
    expect(res.status).toBe(200);
    const view = res.body as OrganisationPartnersView;
    expect(view.partners.map((p) => p.id)).toEqual([demoSchoolId]);
    expect(view.otherSchools.map((s) => s.id)).toContain(otherSchoolId);
    expect(view.otherSchools.map((s) => s.id)).not.toContain(demoSchoolId);
    // The demo school's student registers as before.
    expect((await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: demoStudent.user.id })).status).toBe(201);
  });

  it('a student of a non-partner school is refused, by the org admin, in bulk and on their own, with a code the portal words', async () => {
    const byAdmin = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { userId: outsider.user.id });
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.code).toBe('NOT_ELIGIBLE');
    expect(byAdmin.body.fields).toEqual([expect.objectContaining({ field: 'eligibility', code: 'SCHOOL_NOT_PARTNER', params: { schoolName: '宁波另一所职业学院' } })]);
    const self = await as(outsider).post(`/exam-sessions/${sessionId}/registrations`, {});
    expect(self.status).toBe(409);
    expect(self.body.fields[0].code).toBe('SCHOOL_NOT_PARTNER');
    const bulk = await as(admin).post(`/exam-sessions/${sessionId}/registrations/bulk`, { userIds: [outsider.user.id, outsider2.user.id] });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ registered: 0, refused: 2 });
    expect(bulk.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['not_partner', 'not_partner']);
    const registered = (await as(admin).get(`/exam-sessions/${sessionId}/registrations`)).body.map((r: { userId: number }) => r.userId);
    expect(registered).toEqual([demoStudent.user.id]);
    expect((await as(outsider).get('/exam-registrations/mine')).body).toEqual([]);
  });

  it('only the enterprise\'s org admin (or a platform admin) manages its partners; only a school can be one', async () => {
    expect((await as(schoolAdmin).get(`/organisations/${issuerId}/partners`)).status).toBe(403);
    expect((await as(schoolAdmin).put(`/organisations/${issuerId}/partners/${otherSchoolId}`)).status).toBe(403);
    expect((await as(admin).get(`/organisations/${demoSchoolId}/partners`)).status).toBe(404);
    const notSchool = await as(admin).put(`/organisations/${issuerId}/partners/${issuerId}`);
    expect(notSchool.status).toBe(400);
    expect(notSchool.body.fields[0].field).toBe('schoolId');
    expect((await as(platform).get(`/organisations/${issuerId}/partners`)).status).toBe(200);
    expect((await as(admin).get(`/organisations/${issuerId}/partners`)).body.partners).toHaveLength(1);
  });

  it('once the school is a partner its students register (on their own too); the change is audited', async () => {
    const added = await as(admin).put(`/organisations/${issuerId}/partners/${otherSchoolId}`);
    expect(added.status).toBe(200);
    expect((added.body as OrganisationPartnersView).partners.map((p) => p.id).sort()).toEqual([demoSchoolId, otherSchoolId].sort());
    expect((await as(admin).put(`/organisations/${issuerId}/partners/${otherSchoolId}`)).status).toBe(200);
    expect(await auditOf('organisation.partner_added')).toEqual([expect.objectContaining({ actor_id: admin.user.id, subject_id: String(issuerId) })]);
    const self = await as(outsider).post(`/exam-sessions/${sessionId}/registrations`, {});
    expect(self.status).toBe(201);
    expect(self.body.ticketNumber).toMatch(/^\d{15}$/);
    const candidates = await as(admin).get(`/exam-sessions/${sessionId}/candidates`);
    expect(candidates.status).toBe(200);
  });

  it('removing a partner stops new registrations from that school; registrations already made stay', async () => {
    const removed = await as(admin).delete(`/organisations/${issuerId}/partners/${otherSchoolId}`);
    expect(removed.status).toBe(200);
    expect((removed.body as OrganisationPartnersView).partners.map((p) => p.id)).toEqual([demoSchoolId]);
    expect(await auditOf('organisation.partner_removed')).toEqual([expect.objectContaining({ actor_id: admin.user.id, subject_id: String(issuerId) })]);
    const refused = await as(outsider2).post(`/exam-sessions/${sessionId}/registrations`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.fields[0].code).toBe('SCHOOL_NOT_PARTNER');
    const byAdmin = await as(admin).post(`/exam-sessions/${sessionId}/registrations`, { username: 'partner.outsider2' });
    expect(byAdmin.status).toBe(409);
    const registered = (await as(admin).get(`/exam-sessions/${sessionId}/registrations`)).body.map((r: { userId: number }) => r.userId);
    expect(registered).toEqual([demoStudent.user.id, outsider.user.id]);
  });
});

describe('prompt task audience', () => {
  const def = () => demoPromptTasks().practice[0]!;
  let taskId: number;
  const listed = async (who: LoginResponse) => ((await as(who).get('/practice/prompt-tasks')).body as PromptTaskSummary[]).map((x) => x.id);
  const opened = async (who: LoginResponse) => (await as(who).get(`/practice/prompt-tasks/${taskId}`)).status;

  it('a published task for the organisation is seen by its students only: others neither list nor open, run or answer it', async () => {
    const created = await as(instructor).post('/prompt-tasks', { definition: def() });
    expect(created.status).toBe(201);
    expect(created.body.audience).toBe('organisation');
    taskId = created.body.id;
    await as(instructor).post(`/prompt-tasks/${taskId}/publish`).expect(200);
    expect(await listed(demoStudent)).toContain(taskId);
    expect(await opened(demoStudent)).toBe(200);
    expect(await listed(outsider)).not.toContain(taskId);
    expect(await opened(outsider)).toBe(404);
    expect((await as(outsider).post(`/practice/prompt-tasks/${taskId}/answers`, { prompt: 'x' })).status).toBe(404);
    expect((await as(outsider).post(`/practice/prompt-tasks/${taskId}/playground`, { prompt: 'x', exampleIndex: 0 })).status).toBe(404);
    expect((await as(outsider).get(`/practice/prompt-tasks/${taskId}/answers`)).status).toBe(404);
  });

  it('the editor widens it to the platform, or keeps it for exams (no one practises it)', async () => {
    const wide = await as(instructor).put(`/prompt-tasks/${taskId}`, { definition: def(), audience: 'platform' });
    expect(wide.status).toBe(200);
    expect(wide.body.audience).toBe('platform');
    await as(instructor).post(`/prompt-tasks/${taskId}/publish`).expect(200);
    expect(await listed(outsider)).toContain(taskId);
    expect(await opened(outsider)).toBe(200);

    const exam = await as(instructor).put(`/prompt-tasks/${taskId}`, { definition: def(), audience: 'exam' });
    expect(exam.status).toBe(200);
    expect((await as(instructor).get(`/prompt-tasks/${taskId}`)).body.audience).toBe('exam');
    expect(await listed(outsider)).not.toContain(taskId);
    expect(await listed(demoStudent)).not.toContain(taskId);
    expect(await opened(demoStudent)).toBe(404);
  });

  it('refuses an unknown audience, naming the field, and changes nothing', async () => {
    const bad = await as(instructor).put(`/prompt-tasks/${taskId}`, { definition: def(), audience: 'everyone' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toContain('audience');
    expect((await as(instructor).get(`/prompt-tasks/${taskId}`)).body.audience).toBe('exam');
  });
});
