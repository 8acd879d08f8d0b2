import type { AttemptView, CreateQuestionRequest, LoginResponse } from '@aitrainer/contracts';
import { TokenService } from '../src/identity/token.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * The start and submit of a session's storm are served before Express and Nest (src/exams/attempt-storm.fast-path.ts)
 * by the same AttemptsService calls. Only the usual case may be served there: whatever the guard, the pipes or the
 * service would refuse must look exactly as the full route makes it, and change nothing.
 */
let t: TestEnv;
let instructor: LoginResponse;
let admin: LoginResponse;
let school: LoginResponse;
let sessionId: number;
let futureSessionId: number;
/** Requests that went through the guard (the full route); the fast path checks the session without it. */
let guarded = 0;

const start = (who: LoginResponse, registrationId: number, body: object = { part: 'theory' }) => t.http().post(`/api/v1/exam-registrations/${registrationId}/attempts`).set(bearer(who.accessToken)).send(body);
const submit = (who: LoginResponse, attemptId: number) => t.http().post(`/api/v1/attempts/${attemptId}/submit`).set(bearer(who.accessToken));

let n = 0;
/** A new student registered for a session, signed in. */
async function candidate(session = sessionId): Promise<{ login: LoginResponse; registrationId: number }> {
  const username = `storm.${++n}`;
  const user = await t.http().post('/api/v1/users').set(bearer(school.accessToken)).send({ username, password: 'Storm@2026x', realName: '考生', role: 'student', idDocumentType: 'passport', idNumber: `E8${String(n).padStart(7, '0')}` }).expect(201);
  const login = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: 'Storm@2026x' }).expect(200)).body as LoginResponse;
  const reg = await t.http().post(`/api/v1/exam-sessions/${session}/registrations`).set(bearer(admin.accessToken)).send({ userId: user.body.id }).expect(201);
  return { login, registrationId: reg.body.id };
}

beforeAll(async () => {
  t = await startTestEnv();
  [instructor, admin, school] = await Promise.all([t.login('instructor'), t.login('org_admin'), t.login('school_admin')]);
  const tokens = t.app.get(TokenService);
  const authenticate = tokens.authenticate.bind(tokens);
  tokens.authenticate = async (token) => {
    guarded++;
    return authenticate(token);
  };
  const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
  for (let i = 0; i < 3; i++) {
    const q = { type: 'single_choice', content: { stem: `单选题 ${i}`, options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` })), correctKeys: ['A'] }, tags } as CreateQuestionRequest;
    await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor.accessToken)).send(q).expect(201);
  }
  const exam = await t.http().post('/api/v1/exams').set(bearer(instructor.accessToken)).send({ title: '开考风暴', level: 4, parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }], blueprint: [{ part: 'theory', type: 'single_choice', count: 3, points: 100 / 3 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } }).expect(201);
  await t.http().post(`/api/v1/exams/${exam.body.id}/publish`).set(bearer(instructor.accessToken)).expect(200);
  const open = await t.http().post('/api/v1/exam-sessions').set(bearer(admin.accessToken)).send({ examId: exam.body.id, venue: 'B201', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201);
  sessionId = open.body.id;
  const later = await t.http().post('/api/v1/exam-sessions').set(bearer(admin.accessToken)).send({ examId: exam.body.id, venue: 'B202', startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString() }).expect(201);
  futureSessionId = later.body.id;
}, 90_000);
afterAll(async () => t?.close());

it('a start and a submit are served without the guard, with the request id, the instance and the security headers', async () => {
  const { login, registrationId } = await candidate();
  guarded = 0;
  const started = await start(login, registrationId).set('X-Request-Id', 'storm-start-1');
  expect(started.status).toBe(200);
  expect(started.headers['x-request-id']).toBe('storm-start-1');
  expect(started.headers['x-instance']).toBeTruthy();
  expect(started.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  const view = started.body as AttemptView;
  expect(view).toMatchObject({ registrationId, part: 'theory', state: 'in_progress', answers: [] });
  expect(view.questions).toHaveLength(3);
  expect(JSON.stringify(view)).not.toContain('correctKeys');
  const submitted = await submit(login, view.id).set('X-Request-Id', 'storm-submit-1');
  expect(submitted.status).toBe(200);
  expect(submitted.headers['x-request-id']).toBe('storm-submit-1');
  expect(submitted.body).toMatchObject({ id: view.id, state: 'submitted' });
  expect(guarded).toBe(0);
  // Starting again resumes (the same attempt, submitted); submitting again changes nothing.
  expect((await start(login, registrationId).expect(200)).body).toMatchObject({ id: view.id, state: 'submitted' });
  const again = await submit(login, view.id).expect(200);
  expect(again.body.finishedAt).toBe(submitted.body.finishedAt);
  const metrics = await t.http().get('/metrics');
  expect(metrics.text).toMatch(/aitrainer_http_request_duration_seconds_count\{[^}]*method="POST"[^}]*route="\/api\/v1\/exam-registrations\/:id\/attempts"[^}]*status="200"\} [1-9]/);
  expect(metrics.text).toMatch(/aitrainer_http_request_duration_seconds_count\{[^}]*method="POST"[^}]*route="\/api\/v1\/attempts\/:id\/submit"[^}]*status="200"\} [1-9]/);
});

it('starts arriving together each get their own attempt and paper; a start twice gives the same attempt', async () => {
  // On MySQL the registrations of starts that arrive together are read in one statement (and their sessions checked in
  // one): no candidate may get another's paper.
  const people = await Promise.all(Array.from({ length: 8 }, () => candidate()));
  const views = await Promise.all(people.flatMap((p) => [start(p.login, p.registrationId), start(p.login, p.registrationId)]));
  const ids = new Set<number>();
  people.forEach((p, i) => {
    const [first, second] = [views[2 * i]!, views[2 * i + 1]!];
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body).toMatchObject({ registrationId: p.registrationId, state: 'in_progress' });
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.questions).toEqual(first.body.questions);
    ids.add(first.body.id);
  });
  expect(ids.size).toBe(people.length);
  // Another candidate's registration is still not found, even among others' starts.
  const stranger = await candidate();
  const mixed = await Promise.all([start(stranger.login, people[0]!.registrationId), start(stranger.login, stranger.registrationId)]);
  expect(mixed.map((r) => r.status)).toEqual([404, 200]);
});

it("refusals are the full route's: another student's registration or attempt, a staff token, a bad part, extra fields, bad JSON", async () => {
  const mine = await candidate();
  const theirs = await candidate();
  expect((await start(theirs.login, mine.registrationId)).status).toBe(404);
  expect((await start(instructor, mine.registrationId)).status).toBe(403);
  const badPart = await start(mine.login, mine.registrationId, { part: 'oral' });
  expect(badPart.status).toBe(400);
  expect(badPart.body.fields[0].field).toBe('part');
  expect((await start(mine.login, mine.registrationId, { part: 'theory', extra: 1 })).status).toBe(400);
  const malformed = await t.http().post(`/api/v1/exam-registrations/${mine.registrationId}/attempts`).set(bearer(mine.login.accessToken)).set('Content-Type', 'application/json').send('{"part": ');
  expect(malformed.status).toBe(400);
  expect(malformed.body.code).toBe('MALFORMED_JSON');
  expect((await t.http().post(`/api/v1/exam-registrations/${mine.registrationId}/attempts`).send({ part: 'theory' })).status).toBe(401);
  // None of that started anything: the owner's start is the first.
  const view = (await start(mine.login, mine.registrationId).expect(200)).body as AttemptView;
  expect(view.state).toBe('in_progress');
  expect((await submit(theirs.login, view.id)).status).toBe(404);
  expect((await submit(instructor, view.id)).status).toBe(403);
  expect((await t.http().get(`/api/v1/attempts/${view.id}`).set(bearer(mine.login.accessToken))).body.state).toBe('in_progress');
});

it('a start before the window is refused with its code and the opening time', async () => {
  const { login, registrationId } = await candidate(futureSessionId);
  const res = await start(login, registrationId);
  expect(res.status).toBe(409);
  expect(res.body.fields[0]).toMatchObject({ field: 'session', code: 'SESSION_NOT_STARTED' });
});

it('after logout the still-unexpired access token can neither start nor submit', async () => {
  const a = await candidate();
  const b = await candidate();
  const view = (await start(b.login, b.registrationId).expect(200)).body as AttemptView;
  await t.http().post('/api/v1/auth/logout').set(bearer(a.login.accessToken)).expect(204);
  await t.http().post('/api/v1/auth/logout').set(bearer(b.login.accessToken)).expect(204);
  const refusedStart = await start(a.login, a.registrationId);
  expect(refusedStart.status).toBe(401);
  expect(refusedStart.body.code).toBe('SESSION_REVOKED');
  const refusedSubmit = await submit(b.login, view.id);
  expect(refusedSubmit.status).toBe(401);
  expect(refusedSubmit.body.code).toBe('SESSION_REVOKED');
  const again = (await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: `storm.${n}`, password: 'Storm@2026x' }).expect(200)).body as LoginResponse;
  expect((await t.http().get(`/api/v1/attempts/${view.id}`).set(bearer(again.accessToken))).body.state).toBe('in_progress');
});
