// A candidate sits a practical part on a phone-sized screen: a text-classification labelling item (one block per
// dataset item, a label chosen by its name) and a prompt task (the brief, a prompt editor with a character count).
// The answers survive a reload, are stored in the grader's shapes, and both items are graded after the submit (the
// prompt through a fake LLM). Run after building both apps:
//   node --test --test-force-exit frontend/e2e/exams-practical.e2e.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';
import { startFakeLlm } from './support/fake-llm.mjs';

const HIDDEN_A = '快递三天都没到，客服也不回消息';
const HIDDEN_B = '包装精美，第二天就到了，很满意';
const GOOD_PROMPT = '你是电商客服质检员。判断下面评论的情感，只输出“正面”或“负面”两个字之一，不要输出其他内容。\n评论：{{review}}';
const DATASET = [
  { id: '1', text: '服务很好，下次还来', gold: '正面' },
  { id: '2', text: '太慢了，不推荐', gold: '负面' },
  { id: '3', text: '一般般，还行', gold: '正面' },
];
const definition = {
  title: '电商评论情感分类（考试）',
  scenario: '电商平台需要把用户评论自动分为“正面”或“负面”，输出只能是这两个词之一。',
  variables: ['review'],
  visibleExamples: [{ input: { review: '质量不错，物有所值' } }],
  hiddenCases: [
    { input: { review: HIDDEN_A }, checks: [{ kind: 'label_equals', label: '负面' }] },
    { input: { review: HIDDEN_B }, checks: [{ kind: 'label_equals', label: '正面' }] },
  ],
  rubric: [
    { id: 'clarity', name: '指令清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '明确的任务与输出格式' }] },
    { id: 'format', name: '输出约束', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '无约束' }, { score: 4, descriptor: '严格限定输出' }] },
  ],
  weights: { execution: 50, rubric: 50 },
  passMark: 60,
};
const DUTY_AREA = 'E2E 实操';
const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: DUTY_AREA, knowledgePoint: '标注实操', difficulty: 'medium' };

let llm;
let portal;
let baseUrl;
let browser;

const { api, login } = apiClient(() => baseUrl);

before(async () => {
  llm = await startFakeLlm({ judgeScores: () => ({ clarity: 4, format: 3 }), label: (text) => (text.includes(HIDDEN_A) ? '负面' : '正面') });
  portal = await startPortal('exams-practical', { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'e2e-key', LLM_MODEL: 'cand', LLM_JUDGE_MODEL: 'judge', LLM_TIMEOUT_MS: '10000', JOB_BACKOFF_MS: '50' });
  ({ baseUrl, browser } = portal);
});

after(async () => {
  await portal?.stop();
  await llm?.close();
});

test('a candidate labels items and writes a prompt in the exam room; answers survive a reload and are graded', async () => {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const studentLogin = await api(null, 'POST', '/auth/login', { username: 'demo.student', password: PASSWORD });
  const student = studentLogin.accessToken;

  // The exercise stays unpublished for practice: the exam alone shows it.
  const exercise = await api(instructor, 'POST', '/labelling/exercises', { title: '评论情感（考试）', description: '按评论的整体态度选择“正面”或“负面”。', taskType: 'text_classification', labels: ['正面', '负面'], audience: 'exam' });
  const form = new FormData();
  const csv = `id,text,gold\n${DATASET.map((d) => `${d.id},${d.text},${d.gold}`).join('\n')}\n`;
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'reviews.csv');
  assert.deepEqual(await api(instructor, 'POST', `/labelling/exercises/${exercise.id}/dataset`, null, form), { imported: 3, withGold: 3, mediaFiles: 0 });
  const task = await api(instructor, 'POST', '/prompt-tasks', { definition, audience: 'exam' });
  await api(instructor, 'POST', `/prompt-tasks/${task.id}/publish`);
  await api(instructor, 'POST', '/question-bank/questions', { type: 'labelling', content: { stem: '完成下面的评论情感标注。', labellingExerciseId: exercise.id }, tags });
  await api(instructor, 'POST', '/question-bank/questions', { type: 'prompt_task', content: { stem: '为评论情感分类写一个提示词。', promptTaskId: task.id }, tags });
  const exam = await api(instructor, 'POST', '/exams', {
    title: 'E2E 实操考试',
    level: 4,
    parts: [{ part: 'practical', durationMinutes: 30, passMark: 60 }],
    blueprint: [
      { part: 'practical', type: 'labelling', count: 1, points: 40, dutyAreas: [DUTY_AREA] },
      { part: 'practical', type: 'prompt_task', count: 1, points: 60, dutyAreas: [DUTY_AREA] },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  const session = await api(admin, 'POST', '/exam-sessions', { examId: exam.id, venue: '实操机房 E2E', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  const reg = await api(admin, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: studentLogin.user.id });

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', () => assert.fail('no window dialogs: the portal asks in its own dialog'));
  const allSaved = () => page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'));
  /** Shows question n and waits for its practical block; says which kind it is. */
  const open = async (n) => {
    await page.getByTestId(`nav-${n}`).click();
    await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('current'), n);
    await page.getByTestId('practical-labelling').or(page.getByTestId('prompt-answer')).first().waitFor();
    return (await page.getByTestId('practical-labelling').count()) ? 'labelling' : 'prompt';
  };
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-exams').click();
    await page.getByTestId(`start-practical-${reg.id}`).click();
    await page.waitForURL(/\/student\/exams\/attempts\/\d+$/);
    const attemptId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('nav-2').waitFor();
    assert.equal(await page.locator('[data-testid^="nav-"]').count(), 2, 'two practical items');

    const kinds = {};
    for (const n of [1, 2]) {
      const kind = await open(n);
      kinds[kind] = n;
      if (kind === 'labelling') {
        const block = page.getByTestId('practical-labelling');
        assert.match(await block.innerText(), /按评论的整体态度/, 'the guidelines are shown');
        for (let k = 1; k <= DATASET.length; k++) {
          const item = block.getByTestId(`practical-item-${k}`);
          const shown = await item.innerText();
          const row = DATASET.find((d) => shown.includes(d.text));
          assert.ok(row, `item ${k} shows a dataset text: "${shown}"`);
          // The last item first gets the wrong label, then the right one: the latest choice is what is stored.
          if (k === DATASET.length) {
            const wrong = row.gold === '正面' ? '负面' : '正面';
            await item.getByRole('radio', { name: wrong, exact: true }).check();
          }
          await item.getByRole('radio', { name: row.gold, exact: true }).check();
        }
        await page.waitForFunction(() => document.querySelector('[data-testid=practical-progress]')?.textContent?.includes('3/3'));
        await page.screenshot({ path: path.join(SCREENS, 'exam-practical-labelling.png'), fullPage: true });
      } else {
        assert.match(await page.getByTestId('practical-prompt').innerText(), /只能是这两个词之一/, 'the task brief is shown');
        await page.getByTestId('prompt-answer').fill(GOOD_PROMPT);
        await page.waitForFunction((len) => document.querySelector('[data-testid=prompt-count]')?.textContent?.includes(`${len}/8000`), GOOD_PROMPT.length);
      }
      await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('answered'), n);
    }
    assert.deepEqual(Object.keys(kinds).sort(), ['labelling', 'prompt']);
    await allSaved();
    await page.screenshot({ path: path.join(SCREENS, 'exam-practical-answered.png'), fullPage: true });

    // Stored in the grader's shapes (the last save may still be on its way: the debounce, then the request).
    const expected = { labelling: { items: Object.fromEntries(DATASET.map((d) => [d.id, { label: d.gold }])) }, prompt_task: { prompt: GOOD_PROMPT } };
    const storedBy = Date.now() + 10_000;
    for (;;) {
      const stored = await api(student, 'GET', `/attempts/${attemptId}`);
      const actual = Object.fromEntries(stored.questions.map((q) => [q.type, stored.answers.find((a) => a.questionId === q.questionId)?.value]));
      if (JSON.stringify(actual) === JSON.stringify(expected) || Date.now() > storedBy) {
        assert.deepEqual(actual, expected);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }

    // A reload restores both answers.
    await page.reload();
    assert.equal(await open(kinds.labelling), 'labelling');
    for (let k = 1; k <= DATASET.length; k++) {
      const item = page.getByTestId(`practical-item-${k}`);
      const shown = await item.innerText();
      const expected = DATASET.find((d) => shown.includes(d.text));
      await page.waitForFunction(
        ({ k, label }) => [...document.querySelectorAll(`[data-testid=practical-item-${k}] input[type=radio]`)].some((r) => r.checked && r.value === label),
        { k, label: expected.gold },
      );
    }
    assert.equal(await open(kinds.prompt), 'prompt');
    await page.waitForFunction((text) => document.querySelector('[data-testid=prompt-answer]')?.value === text, GOOD_PROMPT);

    await page.getByTestId('submit-attempt').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('attempt-submitted').waitFor();

    // Both items graded: the labelling item exactly (all right: 40), the prompt by the fake judge (93.75% of 60).
    const deadline = Date.now() + 60_000;
    let result;
    for (;;) {
      result = await api(instructor, 'GET', `/exam-registrations/${reg.id}/result`);
      if (result.status === 'provisional') break;
      assert.ok(Date.now() < deadline, `the result stayed ${result.status}: ${JSON.stringify(result)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(result.parts[0].pendingItems, 0);
    assert.equal(result.parts[0].score, 96.25);
    assert.equal(result.passed, true);
  } finally {
    await context.close();
  }
});
