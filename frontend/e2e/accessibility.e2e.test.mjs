// Accessibility and phone-size checks of the portal's pages, in real Chromium: axe-core (WCAG 2.1 A and AA rules)
// finds no serious or critical problem on any page, in Chinese and in English; every page a candidate uses fits a
// 390-px-wide phone screen without sideways scrolling; and the login form works from the keyboard alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Pages by role; `phone` marks the ones a candidate uses (checked at 390 x 844 too). */
const PAGES = [
  { user: null, path: '/login', phone: true },
  { user: null, path: '/verify', phone: true },
  { user: 'demo.student', path: '/student', phone: true },
  { user: 'demo.student', path: '/student/labelling', phone: true },
  { user: 'demo.student', path: '/student/exams', phone: true },
  { user: 'demo.student', path: '/practice/prompt-tasks', phone: true },
  { user: 'demo.instructor', path: '/instructor' },
  { user: 'demo.instructor', path: '/instructor/labelling' },
  { user: 'demo.instructor', path: '/instructor/exams' },
  { user: 'demo.instructor', path: '/instructor/question-bank' },
  { user: 'demo.instructor', path: '/prompt-tasks' },
  { user: 'demo.instructor', path: '/reviews' },
  { user: 'demo.school', path: '/school' },
  { user: 'demo.org', path: '/org' },
  { user: 'demo.org', path: '/org/exam-sessions' },
  { user: 'demo.org', path: '/org/certificates' },
  { user: 'demo.bureau', path: '/bureau' },
  { user: 'demo.admin', path: '/admin' },
  { user: 'demo.admin', path: '/admin/queues' },
];

let portal;
before(async () => {
  portal = await startPortal('a11y');
});
after(async () => portal?.stop());

async function signIn(page, username) {
  await page.goto(`${portal.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Waits until the page has rendered its main content and nothing is loading (zoneless: wait, never assume). */
async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('main, [role=main]')?.textContent?.trim().length > 0);
  await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
}

async function axe(page) {
  // Evaluated through the debugging protocol: the portal's Content Security Policy refuses inline <script> tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`) }));
  });
}

async function sessionsByUser(locale, viewport) {
  const contexts = new Map();
  const pageFor = async (user) => {
    if (!contexts.has(user)) {
      const context = await portal.browser.newContext({ locale, viewport, ...(viewport.width < 500 && { isMobile: true, hasTouch: true }) });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      if (user) await signIn(page, user);
      else await page.goto(`${portal.baseUrl}/login`);
      if (locale.startsWith('en')) {
        await page.evaluate(() => localStorage.setItem('aitrainer.lang', 'en'));
      }
      contexts.set(user, { context, page });
    }
    return contexts.get(user).page;
  };
  return { pageFor, close: async () => Promise.all([...contexts.values()].map((c) => c.context.close())) };
}

for (const [locale, lang] of [
  ['zh-CN', 'zh'],
  ['en-GB', 'en'],
]) {
  test(`no serious or critical axe violations on any page (${lang})`, async () => {
    const sessions = await sessionsByUser(locale, { width: 1280, height: 900 });
    const problems = [];
    try {
      for (const entry of PAGES) {
        const page = await sessions.pageFor(entry.user);
        await page.goto(`${portal.baseUrl}${entry.path}`);
        await settled(page);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'zh' ? 'zh-CN' : 'en', `${entry.path}: <html lang> follows the language`);
        for (const v of await axe(page)) problems.push({ page: entry.path, ...v });
      }
    } finally {
      await sessions.close();
    }
    assert.deepEqual(problems, [], JSON.stringify(problems, null, 2));
  });
}

test('the candidate pages fit a phone screen: no sideways scrolling, tap targets at least 24 px', async () => {
  const sessions = await sessionsByUser('zh-CN', { width: 390, height: 844 });
  const problems = [];
  try {
    for (const entry of PAGES.filter((p) => p.phone)) {
      const page = await sessions.pageFor(entry.user);
      await page.goto(`${portal.baseUrl}${entry.path}`);
      await settled(page);
      await page.screenshot({ path: path.join(SCREENS, `phone${entry.path.replaceAll('/', '-')}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      if (overflow > 1) problems.push(`${entry.path}: ${overflow}px wider than the screen`);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          // visually hidden controls (a file input behind its styled label) are reached through their label
          .filter(({ r }) => r.width > 1 || r.height > 1)
          .filter(({ el, r }) => (r.width < 24 || r.height < 24) && !(el.tagName === 'A' && getComputedStyle(el.parentElement).display !== 'flex' && el.closest('p, li, td')))
          .map(({ el, r }) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
      );
      for (const s of small) problems.push(`${entry.path}: small tap target ${s}`);
    }
  } finally {
    await sessions.close();
  }
  assert.deepEqual(problems, []);
});

/** Content for the pages that are empty on fresh demo data: an exercise, a prompt task, an exam with both parts. */
async function seedContent() {
  const { api } = apiClient(portal.baseUrl);
  const login = async (username) => api(null, 'POST', '/auth/login', { username, password: PASSWORD });
  const instructor = (await login('demo.instructor')).accessToken;
  const org = (await login('demo.org')).accessToken;
  const student = await login('demo.student');
  const exercise = await api(instructor, 'POST', '/labelling/exercises', { title: '评论情感', description: '按整体态度选择“正面”或“负面”。', taskType: 'text_classification', labels: ['正面', '负面'] });
  const form = new FormData();
  form.append('file', new Blob(['id,text,gold\n1,服务很好,正面\n2,太慢了,负面\n'], { type: 'text/csv' }), 'reviews.csv');
  await api(instructor, 'POST', `/labelling/exercises/${exercise.id}/dataset`, null, form);
  await api(instructor, 'POST', `/labelling/exercises/${exercise.id}/publish`);
  // The exam's labelling item points at an exams-only copy (an exercise open for practice cannot be on an exam).
  const examExercise = await api(instructor, 'POST', '/labelling/exercises', { title: '评论情感（考试）', description: '按整体态度选择“正面”或“负面”。', taskType: 'text_classification', labels: ['正面', '负面'], audience: 'exam' });
  await api(instructor, 'POST', `/labelling/exercises/${examExercise.id}/dataset`, null, form);
  await api(instructor, 'POST', `/labelling/exercises/${examExercise.id}/publish`);
  const definition = {
    title: '评论情感提示词', scenario: '把评论分为正面或负面。', variables: ['review'], visibleExamples: [{ input: { review: '不错' } }],
    hiddenCases: [{ input: { review: '太差' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
    rubric: [{ id: 'clarity', name: '清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '清晰' }] }],
    weights: { execution: 50, rubric: 50 }, passMark: 60,
  };
  // One task for practice, a copy kept for exams (a task open for practice is never on an exam).
  const task = await api(instructor, 'POST', '/prompt-tasks', { definition });
  await api(instructor, 'POST', `/prompt-tasks/${task.id}/publish`);
  const examTask = await api(instructor, 'POST', '/prompt-tasks', { definition, audience: 'exam' });
  await api(instructor, 'POST', `/prompt-tasks/${examTask.id}/publish`);
  const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
  await api(instructor, 'POST', '/question-bank/questions', { type: 'single_choice', content: { stem: '实体级 F1 要求什么？', options: [{ key: 'A', text: '类型和边界都一致' }, { key: 'B', text: '只看类型' }], correctKeys: ['A'] }, tags });
  await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: 'IoU 越大重合越多。', answer: true }, tags });
  await api(instructor, 'POST', '/question-bank/questions', { type: 'labelling', content: { stem: '完成评论情感标注。', labellingExerciseId: examExercise.id }, tags });
  await api(instructor, 'POST', '/question-bank/questions', { type: 'prompt_task', content: { stem: '为评论情感分类写提示词。', promptTaskId: examTask.id }, tags });
  const exam = await api(instructor, 'POST', '/exams', {
    title: '无障碍检查考试', level: 4,
    parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }, { part: 'practical', durationMinutes: 30, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'single_choice', count: 1, points: 50 }, { part: 'theory', type: 'true_false', count: 1, points: 50 },
      { part: 'practical', type: 'labelling', count: 1, points: 50 }, { part: 'practical', type: 'prompt_task', count: 1, points: 50 },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  const session = await api(org, 'POST', '/exam-sessions', { examId: exam.id, venue: 'A301', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  const reg = await api(org, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: student.user.id });
  const theory = await api(student.accessToken, 'POST', `/exam-registrations/${reg.id}/attempts`, { part: 'theory' });
  const practical = await api(student.accessToken, 'POST', `/exam-registrations/${reg.id}/attempts`, { part: 'practical' });
  return { exerciseId: exercise.id, taskId: task.id, theoryId: theory.id, practicalId: practical.id };
}

test('pages with content (workspace, prompt practice, exam room, builders) have no serious axe violations and fit a phone', async () => {
  const seeded = await seedContent();
  const pages = [
    { user: 'demo.student', path: `/student/labelling/${seeded.exerciseId}`, phone: true },
    { user: 'demo.student', path: `/practice/prompt-tasks/${seeded.taskId}`, phone: true },
    { user: 'demo.student', path: '/student/exams', phone: true },
    { user: 'demo.student', path: `/student/exams/attempts/${seeded.theoryId}`, phone: true },
    { user: 'demo.student', path: `/student/exams/attempts/${seeded.practicalId}`, phone: true },
    { user: 'demo.instructor', path: '/instructor/exams' },
    { user: 'demo.instructor', path: '/instructor/labelling' },
    { user: 'demo.instructor', path: '/instructor/question-bank' },
    { user: 'demo.org', path: '/org/exam-sessions' },
  ];
  const problems = [];
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const sessions = await sessionsByUser('zh-CN', viewport);
    try {
      for (const entry of pages.filter((p) => viewport.width > 500 || p.phone)) {
        const page = await sessions.pageFor(entry.user);
        await page.goto(`${portal.baseUrl}${entry.path}`);
        await settled(page);
        if (entry.path.includes('/attempts/')) await page.getByTestId('nav-1').waitFor();
        for (const v of await axe(page)) problems.push({ page: entry.path, width: viewport.width, ...v });
        if (viewport.width < 500) {
          await page.screenshot({ path: path.join(SCREENS, `phone${entry.path.replaceAll('/', '-')}.png`), fullPage: true });
          const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
          if (overflow > 1) problems.push({ page: entry.path, width: viewport.width, overflow });
        }
      }
    } finally {
      await sessions.close();
    }
  }
  assert.deepEqual(problems, [], JSON.stringify(problems, null, 2));
});

test('signing in works from the keyboard alone, with a visible focus', async () => {
  const context = await portal.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${portal.baseUrl}/login`);
    await settled(page);
    const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    let reached = null;
    for (let i = 0; i < 15 && reached !== 'login-username'; i++) {
      await page.keyboard.press('Tab');
      reached = await focusedTestId();
    }
    assert.equal(reached, 'login-username', 'Tab reaches the username field');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' ? 'outline' : s.boxShadow !== 'none' ? 'shadow' : 'none';
    });
    assert.notEqual(outline, 'none', 'the focused field shows a focus indicator');
    await page.keyboard.type('demo.student');
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(), 'login-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/student'));
  } finally {
    await context.close();
  }
});
