import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { AnswerValue, ExamAnswerValue, SkillLevel } from '@aitrainer/contracts';
import { DEMO_USERNAMES, OCCUPATION_CODE } from '@aitrainer/contracts';
import type { RequestContext } from '../common/auth/principal';
import { User } from '../identity/entities/user.entity';
import { Cohort } from '../courses/entities/cohort.entity';
import { CourseLesson, CourseVersion, LessonProgress } from '../courses/entities/course.entity';
import { CoursesService } from '../courses/courses.service';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { ExercisesService } from '../labelling/exercises.service';
import { LabellingItem } from '../labelling/entities/labelling-item.entity';
import { LabellingExamItemGrader } from '../labelling/exam-item-grader';
import { PromptTasksService } from '../prompts/prompt-tasks.service';
import { ExamsService } from '../exams/exams.service';
import { SessionsService } from '../exams/sessions.service';
import { AttemptsService } from '../exams/attempts.service';
import { ResultsService } from '../exams/results.service';
import { ExamAttempt, ExamSession } from '../exams/entities/exam.entity';
import { IssuerSettingsService } from '../certificates/issuer-settings.service';
import { SigningKeyStore } from '../certificates/keys/signing-key-store';
import { CertificateIssuanceService } from '../certificates/certificate-issuance.service';
import { demoCourses } from './content/courses';
import { demoQuestions } from './content/questions';
import { datasetJsonl, demoExercises } from './content/exercises';
import { demoPromptTasks } from './content/prompt-tasks';
import { createDemoClassmates, DEMO_EXTRA_STUDENTS } from './demo-data';
import { abilities, ANALYSIS_CANDIDATES, ANALYSIS_DAYS_AGO, ANALYSIS_EXAM_TITLE, ANALYSIS_ITEMS, ANALYSIS_PLAN, ANALYSIS_VENUES, modelAnswers } from './content/analysis';
import { seededRandom } from '@aitrainer/domain';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { FieldCipher } from '../infra/crypto/field-cipher';

export const DEMO_EXAM_TITLES = { level5: '人工智能训练师（五级/初级工）认证考试', level4: '人工智能训练师（四级/中级工）认证考试', mock: '人工智能训练师（五级/初级工）模拟考试' } as const;
export const DEMO_VENUES = { open: '杭州数智职业技术学院 实训楼 A301 考场', past: '杭州数智职业技术学院 实训楼 A302 考场' } as const;
const DAY = 24 * 60 * 60 * 1000;

const ctxOf = (u: User): RequestContext => ({ principal: { userId: u.id, role: u.role, organisationId: u.organisationId, sessionId: 'demo-loader' }, ip: null });

/**
 * The demo's content, made through the services a person would use (so every rule holds): two published courses the
 * demo cohort is enrolled in, labelling exercises of every task type (practice) and exam-only ones, prompt tasks, the
 * question bank, a level-5 and a level-4 exam, a session open now with demo.student registered (eligible: the level-5
 * course completed), and a past session whose two candidates passed, were published and got their certificate pairs
 * (one pair revoked). Returns false when the content is there already (a demo course exists).
 */
export async function loadDemoContent(app: INestApplicationContext): Promise<boolean> {
  const db = app.get(DataSource);
  const users = db.getRepository(User);
  const byName = async (username: string) => users.findOneByOrFail({ username });
  const instructor = await byName(DEMO_USERNAMES.instructor);
  const orgAdmin = await byName(DEMO_USERNAMES.org_admin);
  const courses = app.get(CoursesService);
  const titles = demoCourses();
  const existing = (await db.getRepository(CourseVersion).find({ where: { title: titles.level5.title }, select: { courseId: true } })).map((v) => v.courseId);
  if (existing.length) return false;

  const teacher = ctxOf(instructor);
  const admin = ctxOf(orgAdmin);
  const cohort = await db.getRepository(Cohort).findOneByOrFail({ name: '2026级人工智能训练师1班' });
  await createDemoClassmates(db, app.get(PasswordHasher), app.get(FieldCipher), cohort.id, cohort.organisationId);

  // 1. Courses, published, the cohort enrolled.
  const level5 = await courses.create(teacher, titles.level5);
  await courses.publish(teacher, level5.id);
  await courses.enrol(teacher, level5.id, { cohortId: cohort.id });
  const level4 = await courses.create(teacher, titles.level4);
  await courses.publish(teacher, level4.id);
  await courses.enrol(teacher, level4.id, { cohortId: cohort.id });

  // 2. Labelling exercises with their datasets and media; practice ones for the school's students, exam ones kept apart.
  const exercises = app.get(ExercisesService);
  const examExercise: Record<string, number> = {};
  const { practice, exam } = demoExercises();
  for (const e of [...practice, ...exam]) {
    const created = await exercises.create(teacher, { audience: 'organisation', ...e.request } as never);
    await exercises.importDataset(teacher, created.id, { originalname: `${e.key}.jsonl`, mimetype: 'application/x-ndjson', size: 0, buffer: datasetJsonl(e) }, e.media.map((m) => ({ originalname: m.name, mimetype: m.mimetype, size: m.buffer.length, buffer: m.buffer })));
    await exercises.publish(teacher, created.id);
    if (e.request.audience === 'exam') examExercise[e.key] = created.id;
  }

  // 3. Prompt tasks: practice ones published for everyone, one kept for the level-4 exam.
  const prompts = app.get(PromptTasksService);
  const promptDefs = demoPromptTasks();
  for (const def of promptDefs.practice) await prompts.publish(teacher, (await prompts.create(teacher, def)).id);
  // Kept for the exam: students do not practise it (audience `exam`, as for the exam-only labelling exercises).
  const examTask = await prompts.create(teacher, promptDefs.exam[0], 'exam');
  await prompts.publish(teacher, examTask.id);

  // 4. The question bank: theory questions and the practical items pointing at the exam-only exercises and task.
  const bank = app.get(QuestionBankService);
  for (const q of demoQuestions()) await bank.create(teacher, q);
  const practical = (stem: string, levels: SkillLevel[], dutyArea: string, knowledgePoint: string, content: { labellingExerciseId?: number; promptTaskId?: number }, type: 'labelling' | 'prompt_task' = 'labelling') =>
    bank.create(teacher, { type, content: { stem, ...content }, tags: { occupation: OCCUPATION_CODE, levels, dutyArea, knowledgePoint, difficulty: 'medium' } });
  await practical('实操：按规范完成酒店评论情感分类', [5, 4], '数据标注', '文本分类', { labellingExerciseId: examExercise['exam-sentiment'] });
  await practical('实操：按规范标注新闻句子中的命名实体', [5, 4], '数据标注', '命名实体识别', { labellingExerciseId: examExercise['exam-ner'] });
  await practical('实操：按规范框选道路场景中的目标', [5, 4], '数据标注', '图像标注', { labellingExerciseId: examExercise['exam-road-boxes'] });
  await practical('实操：按规范标注出行助手对话的意图与槽位', [5, 4], '数据标注', '意图识别', { labellingExerciseId: examExercise['exam-dialogue'] });
  await practical('实操：编写物业投诉分级提示词', [4], '大模型应用（企业认证）', '提示词编写', { promptTaskId: examTask.id }, 'prompt_task');

  // 5. Exams, published with their blueprints as they are.
  const exams = app.get(ExamsService);
  const theory = [
    { part: 'theory' as const, type: 'true_false' as const, count: 20, points: 1 },
    { part: 'theory' as const, type: 'single_choice' as const, count: 30, points: 2 },
    { part: 'theory' as const, type: 'multiple_choice' as const, count: 5, points: 4 },
  ];
  const parts = [
    { part: 'theory' as const, durationMinutes: 90, passMark: 60 },
    { part: 'practical' as const, durationMinutes: 120, passMark: 60 },
  ];
  const exam5 = await exams.create(teacher, {
    title: DEMO_EXAM_TITLES.level5,
    level: 5,
    parts,
    blueprint: [...theory, { part: 'practical', type: 'labelling', count: 4, points: 25 }],
    eligibility: { requiredCourseIds: [level5.id] },
  });
  await exams.publish(teacher, exam5.id);
  const exam4 = await exams.create(teacher, {
    title: DEMO_EXAM_TITLES.level4,
    level: 4,
    parts,
    blueprint: [...theory, { part: 'practical', type: 'labelling', count: 3, points: 20 }, { part: 'practical', type: 'prompt_task', count: 1, points: 40 }],
    eligibility: { requiredCourseIds: [level4.id] },
  });
  await exams.publish(teacher, exam4.id);
  // A draft for the instructor to publish: a theory-only mock exam whose blueprint the bank fills as it is.
  await exams.create(teacher, {
    title: DEMO_EXAM_TITLES.mock,
    level: 5,
    parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'true_false', count: 10, points: 2 },
      { part: 'theory', type: 'single_choice', count: 20, points: 3 },
      { part: 'theory', type: 'fill_blank', count: 5, points: 4 },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });

  // 6. Study records: demo.student and the graduates finished the level-5 course; demo.student is part-way through
  //    the level-4 one; the other classmates are at different points.
  const lessons5 = await db.getRepository(CourseLesson).find({ where: { versionId: (await courses.detail(teacher, level5.id)).published!.id }, order: { id: 'ASC' } });
  const lessons4 = await db.getRepository(CourseLesson).find({ where: { versionId: (await courses.detail(teacher, level4.id)).published!.id }, order: { id: 'ASC' } });
  const student = await byName(DEMO_USERNAMES.student);
  const extra = await users.findBy({ username: In(DEMO_EXTRA_STUDENTS.map((s) => s.username)) });
  const extraBy = (username: string) => extra.find((u) => u.username === username)!;
  const studied = async (u: User, courseId: number, lessons: CourseLesson[], count: number, daysAgo: number) => {
    const rows = lessons.slice(0, count).map((l, i) => {
      const at = new Date(Date.now() - (daysAgo - i * 0.5) * DAY);
      return { userId: u.id, courseId, lessonKey: l.lessonKey, secondsSpent: l.durationMinutes * 60, reachedEnd: true, firstOpenedAt: at, lastBeatAt: at, completedAt: at };
    });
    if (rows.length) await db.getRepository(LessonProgress).insert(rows);
  };
  await studied(student, level5.id, lessons5, lessons5.length, 20);
  await studied(student, level4.id, lessons4, 3, 6);
  for (const s of DEMO_EXTRA_STUDENTS) await studied(extraBy(s.username), level5.id, lessons5, s.level5Lessons === 'all' ? lessons5.length : s.level5Lessons, 40);

  // 7. The issuer's certificate settings and signing key (the org admin's first steps).
  await app.get(IssuerSettingsService).set(admin, { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'ZXWL' });
  await app.get(SigningKeyStore).rotate(orgAdmin.organisationId!);

  // 8. A past session: two graduates sat the level-5 exam, passed, results published, certificates issued.
  const sessions = app.get(SessionsService);
  const now = Date.now();
  const past = await sessions.create(admin, { examId: exam5.id, venue: DEMO_VENUES.past, startsAt: new Date(now - DAY).toISOString(), endsAt: new Date(now + DAY).toISOString() });
  const graduates = DEMO_EXTRA_STUDENTS.filter((s) => s.graduate).map((s) => extraBy(s.username));
  for (const [i, g] of graduates.entries()) {
    const reg = await sessions.register(admin, past.id, { userId: g.id });
    await sitExam(app, ctxOf(g), teacher, reg.id, i === 0 ? 5 : 9);
  }
  const shift = 14 * DAY;
  await db.getRepository(ExamSession).update({ id: past.id }, { startsAtMs: now - shift - 2 * 60 * 60 * 1000, endsAtMs: now - shift + 3 * 60 * 60 * 1000 });
  await db.query('UPDATE exam_attempts SET started_at_ms = started_at_ms - ?, deadline_ms = deadline_ms - ?, finished_at_ms = finished_at_ms - ? WHERE registration_id IN (SELECT id FROM exam_registrations WHERE session_id = ?)', [shift, shift, shift, past.id]);
  await app.get(ResultsService).publishSession(admin, past.id);
  const issuance = app.get(CertificateIssuanceService);
  await issuance.issueSession(admin, past.id);
  const revokedHolder = graduates[1];
  const revoked = (await issuance.issuerCertificates(admin, { holderName: revokedHolder.realName })).filter((c) => c.kind === 'skill_level');
  for (const c of revoked) await issuance.setStatus(admin, c.id, 'revoked', '核查发现报名材料中的工作年限证明不实，依规撤销');

  // 9. The session open now (for weeks, so the demo stays usable), with demo.student registered.
  const open = await sessions.create(admin, { examId: exam5.id, venue: DEMO_VENUES.open, startsAt: new Date(now - 60 * 60 * 1000).toISOString(), endsAt: new Date(now + 60 * DAY).toISOString() });
  await sessions.register(admin, open.id, { userId: student.id });
  await sessions.create(admin, { examId: exam4.id, venue: DEMO_VENUES.open, startsAt: new Date(now + 30 * DAY).toISOString(), endsAt: new Date(now + 30 * DAY + 4 * 60 * 60 * 1000).toISOString() });

  // 10. A past stage test with a first sitting and a resit, for the instructor's item analysis (results not yet published).
  await loadAnalysisExam(app, teacher, admin);
  return true;
}

/**
 * The stage test of content/analysis.ts: its 12 questions in a duty area of their own (the blueprint names it, so
 * exactly these are drawn), published; a first sitting and a resit, the class registered, and every attempt started,
 * answered, submitted and scored through the attempt engine, then moved back in time (21 and 7 days ago).
 */
async function loadAnalysisExam(app: INestApplicationContext, teacher: RequestContext, admin: RequestContext): Promise<void> {
  const db = app.get(DataSource);
  const bank = app.get(QuestionBankService);
  const questionItem = new Map<number, number>();
  for (const [k, item] of ANALYSIS_ITEMS.entries()) questionItem.set((await bank.create(teacher, item.request)).id, k);
  const exams = app.get(ExamsService);
  const area = [ANALYSIS_ITEMS[0]!.request.tags.dutyArea];
  const exam = await exams.create(teacher, {
    title: ANALYSIS_EXAM_TITLE,
    level: 5,
    parts: [{ part: 'theory', durationMinutes: 45, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'true_false', count: 4, points: 5, dutyAreas: area },
      { part: 'theory', type: 'single_choice', count: 8, points: 10, dutyAreas: area },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await exams.publish(teacher, exam.id);

  const sessions = app.get(SessionsService);
  const attempts = app.get(AttemptsService);
  const now = Date.now();
  const window = { startsAt: new Date(now - 60 * 60 * 1000).toISOString(), endsAt: new Date(now + DAY).toISOString() };
  const first = await sessions.create(admin, { examId: exam.id, venue: ANALYSIS_VENUES.first, ...window });
  const resit = await sessions.create(admin, { examId: exam.id, venue: ANALYSIS_VENUES.resit, ...window });
  const people = await db.getRepository(User).findBy({ username: In(ANALYSIS_CANDIDATES.map((c) => c.username)) });
  const person = (i: number) => people.find((u) => u.username === ANALYSIS_CANDIDATES[i]!.username)!;
  const theta = abilities();
  let seq = 1;
  const sit = async (i: number, registrationId: number, ability: number, stream: string): Promise<number> => {
    const candidate = ctxOf(person(i));
    const attempt = await attempts.start(candidate, registrationId, 'theory');
    const answers = modelAnswers(ability, seededRandom(stream));
    for (const q of attempt.questions) {
      const value = answers[questionItem.get(q.questionId)!];
      if (value !== null && value !== undefined) await attempts.saveAnswer(candidate, attempt.id, q.questionId, seq++, value);
    }
    await attempts.submit(candidate, attempt.id);
    // No worker runs while the demo loads: score it here, as the worker's job would.
    await attempts.scoreSubmitted(attempt.id);
    return attempt.id;
  };
  const scores: { i: number; attemptId: number }[] = [];
  for (let i = 0; i < ANALYSIS_PLAN.firstSitting; i++) {
    const reg = await sessions.register(admin, first.id, { userId: person(i).id });
    if (!ANALYSIS_PLAN.missedFirst.includes(i)) scores.push({ i, attemptId: await sit(i, reg.id, theta[i]!, `demo-analysis-${i}`) });
  }
  const firstScores = await db.getRepository(ExamAttempt).findBy({ id: In(scores.map((s) => s.attemptId)) });
  const failed = scores.filter((s) => Number(firstScores.find((a) => a.id === s.attemptId)!.score) < 60).sort((a, b) => theta[a.i]! - theta[b.i]!);
  for (const i of ANALYSIS_PLAN.missedFirst) await sit(i, (await sessions.register(admin, resit.id, { userId: person(i).id })).id, theta[i]!, `demo-analysis-${i}`);
  // A resit: the candidate has studied since (a little more able), and answers afresh.
  for (const { i } of failed.slice(0, ANALYSIS_PLAN.resits)) await sit(i, (await sessions.register(admin, resit.id, { userId: person(i).id })).id, theta[i]! + 0.6, `demo-analysis-resit-${i}`);
  for (const i of ANALYSIS_PLAN.resitNoShows) await sessions.register(admin, resit.id, { userId: person(i).id });

  // Both sittings into the past, with their attempts.
  for (const [session, days] of [[first, ANALYSIS_DAYS_AGO.first], [resit, ANALYSIS_DAYS_AGO.resit]] as const) {
    const shift = days * DAY;
    await db.getRepository(ExamSession).update({ id: session.id }, { startsAtMs: now - shift - 60 * 60 * 1000, endsAtMs: now - shift + 2 * 60 * 60 * 1000 });
    await db.query('UPDATE exam_attempts SET started_at_ms = started_at_ms - ?, deadline_ms = deadline_ms - ?, finished_at_ms = finished_at_ms - ? WHERE registration_id IN (SELECT id FROM exam_registrations WHERE session_id = ?)', [shift, shift, shift, session.id]);
  }
}

/** Sits both parts for a candidate: the right answer to every question but `wrong` theory ones; practical from gold. */
async function sitExam(app: INestApplicationContext, candidate: RequestContext, grader: RequestContext, registrationId: number, wrong: number): Promise<void> {
  const attempts = app.get(AttemptsService);
  const bank = app.get(QuestionBankService);
  const items = app.get(DataSource).getRepository(LabellingItem);
  let seq = 1;
  for (const part of ['theory', 'practical'] as const) {
    const attempt = await attempts.start(candidate, registrationId, part);
    const row = await app.get(DataSource).getRepository(ExamAttempt).findOneByOrFail({ id: attempt.id });
    const versions = await bank.versionsById(row.paper.items.map((i) => i.versionId));
    let missed = 0;
    for (const item of row.paper.items) {
      const v = versions.get(item.versionId)!;
      const c = v.content;
      let value: ExamAnswerValue | null = null;
      const miss = part === 'theory' && missed < wrong && item.type !== 'multiple_choice';
      if (miss) missed++;
      if (item.type === 'true_false') value = miss ? !c.answer : (c.answer as boolean);
      else if (item.type === 'single_choice') value = miss ? (c.options ?? []).find((o) => !c.correctKeys?.includes(o.key))!.key : c.correctKeys![0];
      else if (item.type === 'multiple_choice') value = c.correctKeys ?? [];
      else if (item.type === 'labelling' && c.labellingExerciseId) {
        const gold = await items.find({ where: { exerciseId: c.labellingExerciseId }, order: { position: 'ASC' } });
        value = { items: Object.fromEntries(gold.map((g) => [g.externalId, g.gold as AnswerValue])) };
      }
      if (value !== null) await attempts.saveAnswer(candidate, attempt.id, item.questionId, seq++, value);
    }
    await attempts.submit(candidate, attempt.id);
    // A worker scores a submitted attempt; the demo's history is written before any worker runs, so score it here.
    await attempts.scoreSubmitted(attempt.id);
    if (part === 'practical') {
      // The practical items are graded against gold here and recorded by the demo instructor (a worker would do it).
      const labelling = app.get(LabellingExamItemGrader);
      for (const item of row.paper.items) {
        const c = versions.get(item.versionId)!.content;
        if (item.type !== 'labelling' || !c.labellingExerciseId) continue;
        const gold = await items.find({ where: { exerciseId: c.labellingExerciseId } });
        const g = await labelling.grade(c.labellingExerciseId, { items: Object.fromEntries(gold.map((x) => [x.externalId, x.gold])) });
        const points = Math.round(item.points * (g.fraction ?? 1) * 1000) / 1000;
        await app.get(ResultsService).gradeItem(grader, attempt.id, item.questionId, points, '按标准答案自动评分');
      }
    }
  }
}
