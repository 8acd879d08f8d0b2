import { DEMO_PASSWORD, type BulkRegistrationView, type MyRegistrationView, type SessionCandidatesView, type CourseSummaryView, type ExamSessionView, type ExamView, type QuestionView, type RegistrationView } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';
import { DEMO_EXAM_TITLES, DEMO_VENUES } from '../src/demo/demo-content';
import { ANALYSIS_EXAM_TITLE, ANALYSIS_ITEMS, ANALYSIS_VENUES } from '../src/demo/content/analysis';
import type { ItemAnalysisReport } from '@aitrainer/contracts';

/**
 * The demo content as a newcomer meets it after `npm start` (DEMO_CONTENT on): every role finds its main job ready,
 * and loading again (a restart, or `npm run demo` on MySQL) adds nothing.
 */
describe('demo content', () => {
  let env: TestEnv;
  const token = async (username: string) => {
    const res = await env.http().post('/api/v1/auth/login').set('X-Forwarded-For', env.ip()).send({ username, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    return bearer(res.body.accessToken as string);
  };

  beforeAll(async () => {
    env = await startTestEnv({ DEMO_CONTENT: 'true' });
  }, 180_000);
  afterAll(async () => env?.close());

  it('the student has both courses, an exam open now that they can start, and sees no exam-only exercise in practice', async () => {
    const auth = await token('demo.student');
    const courses = (await env.http().get('/api/v1/my/courses').set(auth)).body as { title: string; targetLevel: number; hours: { doneMinutes: number; requiredMinutes: number } }[];
    expect(courses.map((c) => c.targetLevel).sort()).toEqual([4, 5]);
    const l5 = courses.find((c) => c.targetLevel === 5)!;
    expect(l5.hours).toEqual({ doneMinutes: 3600, requiredMinutes: 3600, percent: 100 });
    expect(courses.find((c) => c.targetLevel === 4)!.hours.requiredMinutes).toBe(3000);

    const regs = (await env.http().get('/api/v1/exam-registrations/mine').set(auth)).body as RegistrationView[];
    expect(regs).toHaveLength(1);
    const theory = await env.http().post(`/api/v1/exam-registrations/${regs[0].id}/attempts`).set(auth).send({ part: 'theory' });
    expect(theory.status).toBe(200);
    expect(theory.body.questions).toHaveLength(55);
    const practical = await env.http().post(`/api/v1/exam-registrations/${regs[0].id}/attempts`).set(auth).send({ part: 'practical' });
    expect(practical.status).toBe(200);
    expect(practical.body.questions).toHaveLength(4);
    expect(JSON.stringify(practical.body)).not.toContain('gold');

    const practice = (await env.http().get('/api/v1/labelling/exercises').set(auth)).body as { title: string; taskType: string }[];
    expect(new Set(practice.map((e) => e.taskType)).size).toBe(12);
    expect(practice.some((e) => e.title.startsWith('考试用'))).toBe(false);
  });

  it("the student's exam list names the exam, level, window, venue, each part's state and the overall state", async () => {
    const auth = await token('demo.student');
    const [reg] = (await env.http().get('/api/v1/exam-registrations/mine').set(auth)).body as MyRegistrationView[];
    expect(reg).toMatchObject({ examTitle: DEMO_EXAM_TITLES.level5, level: 5, venue: DEMO_VENUES.open, state: 'in_progress' });
    expect(reg.parts.map((p) => [p.part, p.state])).toEqual([['theory', 'in_progress'], ['practical', 'in_progress']]);
    expect(Date.parse(reg.startsAt)).toBeLessThan(Date.now());
    expect(Date.parse(reg.endsAt)).toBeGreaterThan(Date.now());
  });

  it('an org admin sees each cohort student\'s eligibility, registers a selection in one step with a row per student, and a refusal names what is missing', async () => {
    const org = await token('demo.org');
    const sessions = (await env.http().get('/api/v1/exam-sessions').set(org)).body as ExamSessionView[];
    const open = sessions.find((s) => s.venue === DEMO_VENUES.open && s.level === 5)!;
    expect(open).toMatchObject({ examTitle: DEMO_EXAM_TITLES.level5, counts: { registered: 1, started: 1, submitted: 0, graded: 0 } });
    const past = sessions.find((s) => s.venue === DEMO_VENUES.past)!;
    expect(past.counts).toEqual({ registered: 2, started: 2, submitted: 2, graded: 2 });

    const view = (await env.http().get(`/api/v1/exam-sessions/${open.id}/candidates`).set(org)).body as SessionCandidatesView;
    expect(view.cohorts).toHaveLength(1);
    const students = view.cohorts[0].students;
    const by = (name: string) => students.find((s) => s.realName === name)!;
    expect(by('李明')).toMatchObject({ registered: true, eligible: true });
    expect(by('孙磊')).toMatchObject({ registered: false, eligible: true, reasons: [] });
    expect(by('赵雪').eligible).toBe(false);
    expect(by('赵雪').reasons).toEqual(
      expect.arrayContaining([
        { code: 'COURSE_NOT_COMPLETED', courseTitle: '人工智能训练师（五级/初级工）培训课程', completedLessons: 4, totalLessons: 12 },
        { code: 'TRAINING_HOURS_SHORT', doneHours: 19, requiredHours: 60 },
      ]),
    );

    const refused = await env.http().post(`/api/v1/exam-sessions/${open.id}/registrations`).set(org).send({ username: 'demo.zhaoxue' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    expect(refused.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'eligibility', code: 'TRAINING_HOURS_SHORT', params: { doneHours: 19, requiredHours: 60 } })]));

    const bulk = await env.http().post(`/api/v1/exam-sessions/${open.id}/registrations/bulk`).set(org).send({ userIds: [by('孙磊').userId, by('赵雪').userId, by('李明').userId] });
    expect(bulk.status).toBe(200);
    const report = bulk.body as BulkRegistrationView;
    expect([report.registered, report.alreadyRegistered, report.refused]).toEqual([1, 1, 1]);
    expect(report.rows.map((r) => [r.realName, r.outcome])).toEqual([['孙磊', 'registered'], ['赵雪', 'not_eligible'], ['李明', 'already_registered']]);
    expect(report.rows[0].ticketNumber).toMatch(/^\d{15}$/);
    expect(report.rows[1].reasons.length).toBe(2);
    expect((await env.http().post(`/api/v1/exam-sessions/${open.id}/registrations/bulk`).set(org).send({ userIds: [] })).status).toBe(400);
    const student = await token('demo.student');
    expect((await env.http().get(`/api/v1/exam-sessions/${open.id}/candidates`).set(student)).status).toBe(403);
  });

  it('the instructor has a bank of at least 150 questions of every type, tagged, and three published exams', async () => {
    const auth = await token('demo.instructor');
    const questions = (await env.http().get('/api/v1/question-bank/questions').set(auth)).body as QuestionView[];
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(questions.map((q) => q.type))).toEqual(new Set(['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer', 'labelling', 'prompt_task']));
    expect(questions.every((q) => q.tags.dutyArea && q.tags.knowledgePoint)).toBe(true);
    const exams = (await env.http().get('/api/v1/exams').set(auth)).body as ExamView[];
    expect(exams.filter((e) => e.status === 'published').map((e) => e.title).sort()).toEqual([DEMO_EXAM_TITLES.level4, DEMO_EXAM_TITLES.level5, ANALYSIS_EXAM_TITLE].sort());
    const mock = exams.find((e) => e.title === DEMO_EXAM_TITLES.mock)!;
    expect(mock.status).toBe('draft');
    expect((await env.http().get(`/api/v1/exams/${mock.id}/blueprint-check`).set(auth)).body).toEqual({ ok: true, problems: [] });
    const courses = (await env.http().get('/api/v1/courses').set(auth)).body as CourseSummaryView[];
    expect(courses).toHaveLength(2);
  });

  it("the instructor's item analysis of the past stage test covers the class's first finished attempts and flags the items", async () => {
    const auth = await token('demo.instructor');
    const exam = ((await env.http().get('/api/v1/exams').set(auth)).body as ExamView[]).find((e) => e.title === ANALYSIS_EXAM_TITLE)!;
    const report = (await env.http().get(`/api/v1/exams/${exam.id}/item-analysis`).set(auth)).body as ItemAnalysisReport;
    // 38 registered; 33 sat the first sitting, 3 who missed it sat the resit (their first finished attempt), 4 resat
    // (later attempts, left out), 2 registered for the resit and never came.
    expect(report.parts).toEqual([{ part: 'theory', registered: 38, candidates: 36, attempts: 36, laterAttempts: 4, inProgress: 0, notStarted: 2, maxScore: 100 }]);
    expect(report.items).toHaveLength(ANALYSIS_ITEMS.length);
    expect(report.items.every((i) => i.responses === 36 && i.pending === 0)).toBe(true);
    const flagsOf = (stem: string) => report.items.find((i) => i.stem === stem)!.flags;
    const stems = ANALYSIS_ITEMS.map((i) => i.request.content.stem);
    expect(flagsOf(stems[0]!)).toContain('very_easy');
    expect(flagsOf(stems[1]!)).toEqual(['weak_discrimination']);
    expect(flagsOf(stems[4]!)).toEqual(['very_hard']);
    expect(flagsOf(stems[5]!)).toEqual(['negative_discrimination']);
    // The others discriminate as a test developer wants: no flag.
    for (const k of [2, 3, 6, 7, 8, 9, 10, 11]) expect([stems[k], flagsOf(stems[k]!)]).toEqual([stems[k], []]);
    // Scored by the attempt engine: results are there, provisional, for the org admin to publish.
    const org = await token('demo.org');
    const sessions = (await env.http().get('/api/v1/exam-sessions').set(org)).body as ExamSessionView[];
    expect(sessions.find((s) => s.venue === ANALYSIS_VENUES.first)!.counts).toEqual({ registered: 36, started: 33, submitted: 33, graded: 33 });
    expect(sessions.find((s) => s.venue === ANALYSIS_VENUES.resit)!.counts).toEqual({ registered: 9, started: 7, submitted: 7, graded: 7 });
    expect(sessions.filter((s) => s.venue === ANALYSIS_VENUES.first || s.venue === ANALYSIS_VENUES.resit).every((s) => Date.parse(s.endsAt) < Date.now())).toBe(true);
  });

  it('the bureau verifies a valid certificate and sees the revoked one', async () => {
    const org = await token('demo.org');
    const list = (await env.http().get('/api/v1/certificates').set(org)).body as { number: string; holderName: string; status: string; kind: string }[];
    expect(list).toHaveLength(4);
    expect(list.filter((c) => c.status === 'revoked')).toHaveLength(1);
    const verify = async (c: { number: string; holderName: string }) => (await env.http().post('/api/v1/verify').set('X-Forwarded-For', env.ip()).send({ number: c.number, name: c.holderName })).body as { status: string; level?: unknown };
    const statuses = await Promise.all(list.map(async (c) => (await verify(c)).status));
    expect(statuses.sort()).toEqual(['revoked', 'valid', 'valid', 'valid']);
    expect((await verify({ number: list[0].number, holderName: '王小二' })).status).toBe('not_found');
    const sessions = (await env.http().get('/api/v1/exam-sessions').set(org)).body as ExamSessionView[];
    expect(sessions.some((s) => Date.parse(s.startsAt) <= Date.now() && Date.parse(s.endsAt) > Date.now())).toBe(true);
  });

  it('a signed-in bureau verifier verifies in bulk without an API key; other roles cannot', async () => {
    const org = await token('demo.org');
    const list = (await env.http().get('/api/v1/certificates').set(org)).body as { number: string; holderName: string; status: string }[];
    const csv = `number,name\n${list.map((c) => `${c.number},${c.holderName}`).join('\n')}\nY000000000000000000000,无此人\n`;
    const bureau = await token('demo.bureau');
    const res = await env.http().post('/api/v1/bureau/verify/bulk/mine').set(bureau).set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    const statuses = res.text.trim().split('\n').slice(1).map((line) => line.split(',')[2]);
    expect(statuses.sort()).toEqual(['not_found', 'revoked', 'valid', 'valid', 'valid']);
    const zh = await env.http().post('/api/v1/bureau/verify/bulk/mine?lang=zh').set(bureau).set('Content-Type', 'text/csv').send(csv);
    expect(zh.text.split('\n')[0]).toBe('行号,证书编号,核验结果,状态变更时间（发证机构所在时区）,证书类别,等级,发证日期,发证机构,配对证书编号');
    expect(zh.text).toContain('已撤销');
    expect(zh.text).toContain('职业技能等级证书');
    expect(zh.text).not.toMatch(/valid|not_found|skill_level/);
    expect((await env.http().post('/api/v1/bureau/verify/bulk/mine').set(org).set('Content-Type', 'text/csv').send(csv)).status).toBe(403);
    expect((await env.http().post('/api/v1/bureau/verify/bulk/mine').set('Content-Type', 'text/csv').send(csv)).status).toBe(401);
  });

  it('the sign-in page lists the demo accounts (one per role) while they exist, and nothing without demo data', async () => {
    const res = await env.http().get('/api/v1/auth/demo-accounts');
    expect(res.status).toBe(200);
    expect(res.body.password).toBe(DEMO_PASSWORD);
    expect((res.body.accounts as { username: string }[]).map((a) => a.username)).toEqual(['demo.student', 'demo.instructor', 'demo.school', 'demo.org', 'demo.bureau', 'demo.admin']);
    const bare = await startTestEnv({ DEMO_DATA: 'false' });
    try {
      const none = await bare.http().get('/api/v1/auth/demo-accounts');
      expect(none.body).toEqual({ password: '', accounts: [] });
    } finally {
      await bare.close();
    }
  }, 180_000);

  it('audit entries name the person who acted', async () => {
    const admin = await token('demo.admin');
    const page = (await env.http().get('/api/v1/audit-events').query({ page: 1 }).set(admin)).body as { items: { action: string; actorName: string | null; actorUsername: string | null }[] };
    const login = page.items.find((e) => e.action === 'auth.login')!;
    expect(login.actorName).toBeTruthy();
    expect(login.actorUsername).toMatch(/^demo\./);
  });

  it('an exam draft can be edited and deleted while unused; the builder learns how many questions match each row', async () => {
    const auth = await token('demo.instructor');
    const call = (method: 'post' | 'put' | 'delete' | 'get', url: string, body?: object) => env.http()[method](`/api/v1${url}`).set(auth).send(body);
    const preview = await call('post', '/exams/blueprint-preview', { level: 5, blueprint: [{ part: 'theory', type: 'true_false', count: 50, points: 1 }, { part: 'theory', type: 'single_choice', count: 10, points: 1, dutyAreas: ['数据标注'] }] });
    expect(preview.status).toBe(200);
    const [tf, sc] = (preview.body as { rows: { matching: number }[] }).rows.map((r) => r.matching);
    const listed = (await call('get', '/question-bank/questions?type=true_false&level=5')).body as QuestionView[];
    expect(listed.length).toBeGreaterThan(20);
    expect(tf).toBe(listed.length);
    expect(sc).toBeGreaterThan(10);
    expect((await call('post', '/exams/blueprint-preview', { level: 5, blueprint: [] })).status).toBe(400);

    const body = { title: '草稿', level: 5, parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }], blueprint: [{ part: 'theory', type: 'true_false', count: 50, points: 2 }], eligibility: { requiredCourseIds: [], minTrainingHours: 0 } };
    const draft = (await call('post', '/exams', body)).body as ExamView;
    expect((await call('post', `/exams/${draft.id}/publish`)).status).toBe(409);
    const edited = await call('put', `/exams/${draft.id}`, { ...body, title: '草稿（已修改）', blueprint: [{ part: 'theory', type: 'true_false', count: 40, points: 2.5 }] });
    expect(edited.status).toBe(200);
    expect(edited.body.title).toBe('草稿（已修改）');
    expect((await call('delete', `/exams/${draft.id}`)).status).toBe(204);
    expect((await call('get', `/exams/${draft.id}`)).status).toBe(404);
    const published = ((await call('get', '/exams')).body as ExamView[]).find((e) => e.title === DEMO_EXAM_TITLES.level5)!;
    expect((await call('delete', `/exams/${published.id}`)).status).toBe(409);
  });

  it('a platform admin resets a password and disables an account (audited); an org admin manages only their own staff', async () => {
    const admin = await token('demo.admin');
    const school = await token('demo.school');
    const users = (await env.http().get('/api/v1/users').query({ pageSize: 200 }).set(admin)).body as { items: { id: number; username: string }[] };
    const id = (name: string) => users.items.find((u) => u.username === name)!.id;
    const org = await token('demo.org');
    expect((await env.http().post(`/api/v1/users/${id('demo.school')}/disable`).set(org)).status).toBe(404);
    expect((await env.http().post(`/api/v1/users/${id('demo.admin')}/disable`).set(admin)).status).toBe(403);

    const off = await env.http().post(`/api/v1/users/${id('demo.school')}/disable`).set(admin);
    expect(off.status).toBe(200);
    expect(off.body.disabled).toBe(true);
    expect((await env.http().get('/api/v1/me').set(school)).status).toBe(401);
    const refused = await env.http().post('/api/v1/auth/login').set('X-Forwarded-For', env.ip()).send({ username: 'demo.school', password: DEMO_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    expect((await env.http().post(`/api/v1/users/${id('demo.school')}/enable`).set(admin)).body.disabled).toBe(false);

    expect((await env.http().post(`/api/v1/users/${id('demo.school')}/password`).set(admin).send({ password: 'short' })).status).toBe(400);
    expect((await env.http().post(`/api/v1/users/${id('demo.school')}/password`).set(admin).send({ password: 'Reset@2026abc' })).status).toBe(200);
    expect((await env.http().post('/api/v1/auth/login').set('X-Forwarded-For', env.ip()).send({ username: 'demo.school', password: 'Reset@2026abc' })).status).toBe(200);
    const audit = (await env.http().get('/api/v1/audit-events').set(admin)).body as { items: { action: string; actorUsername: string | null }[] };
    expect(audit.items.filter((e) => ['user.disabled', 'user.enabled', 'user.password_reset'].includes(e.action)).map((e) => e.actorUsername)).toEqual(['demo.admin', 'demo.admin', 'demo.admin']);
  });

  it('loading again adds nothing', async () => {
    const second = await env.newApp();
    expect(second).toBeTruthy();
    const auth = await token('demo.instructor');
    const courses = (await env.http().get('/api/v1/courses').set(auth)).body as CourseSummaryView[];
    expect(courses).toHaveLength(2);
    const exams = (await env.http().get('/api/v1/exams').set(auth)).body as ExamView[];
    expect(exams.filter((e) => e.title === ANALYSIS_EXAM_TITLE)).toHaveLength(1);
  }, 120_000);

  it('an exam whose practical rows could draw an exercise open for practice is refused at publish, naming the exercise', async () => {
    const auth = await token('demo.instructor');
    const as = (method: 'post' | 'get', url: string, body?: object) => env.http()[method](`/api/v1${url}`).set(auth).send(body);
    const practised = (await as('get', '/labelling/exercises')).body as { id: number; title: string; audience: string; taskType: string }[];
    const open = practised.find((e) => e.audience === 'organisation' && e.taskType === 'text_classification')!;
    const tags = { occupation: '4-04-05-05', levels: [3], dutyArea: '数据标注', knowledgePoint: '文本分类', difficulty: 'medium' };
    expect((await as('post', '/question-bank/questions', { type: 'labelling', content: { stem: '实操：情感分类', labellingExerciseId: open.id }, tags })).status).toBe(201);
    expect((await as('post', '/question-bank/questions', { type: 'true_false', content: { stem: '标注前应先阅读规范。', answer: true }, tags })).status).toBe(201);
    const exam = await as('post', '/exams', {
      title: '三级练习题复用检查',
      level: 3,
      parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }, { part: 'practical', durationMinutes: 30, passMark: 60 }],
      blueprint: [{ part: 'theory', type: 'true_false', count: 1, points: 100 }, { part: 'practical', type: 'labelling', count: 1, points: 100 }],
      eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
    });
    const refused = await as('post', `/exams/${exam.body.id}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.fields).toEqual([expect.objectContaining({ code: 'EXERCISE_PRACTISED', params: { title: open.title } })]);
    expect(((await as('get', `/exams/${exam.body.id}`)).body as ExamView).status).toBe('draft');
  });
});
