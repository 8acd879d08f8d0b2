// An instructor reads an exam's item analysis in the portal: which attempts it covers, the figures with their units,
// fill-in answers grouped as the scorer groups them, and a sentence for each flag, in Chinese and then in English.
// Run after building both apps:  node --test frontend/e2e/item-analysis.e2e.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;
const { api, login } = apiClient(() => baseUrl);

before(async () => {
  // With the demo content: its past stage test is read in the second test; the first one's questions are its own.
  portal = await startPortal('item-analysis', { DEMO_CONTENT: 'true' });
  ({ baseUrl, browser } = portal);
});
after(async () => portal?.stop());

// A duty area of its own, named in every blueprint section, so questions from demo data are never drawn.
const AREA = '试题分析演示';
const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: AREA, knowledgePoint: '一致性', difficulty: 'medium' };
const options = ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项 ${key}` }));
const EXAM = '条目分析演示考试';

test('the analysis shows coverage, units, grouped fill-in answers and a sentence per flag, in both languages', async () => {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const school = await login('demo.school');
  const q = {
    easy: await api(instructor, 'POST', '/question-bank/questions', { type: 'single_choice', content: { stem: '人人都会的单选题', options, correctKeys: ['A'] }, tags }),
    strong: await api(instructor, 'POST', '/question-bank/questions', { type: 'single_choice', content: { stem: '区分强弱的单选题', options, correctKeys: ['B'] }, tags }),
    fill: await api(instructor, 'POST', '/question-bank/questions', { type: 'fill_blank', content: { stem: 'Cohen 系数记作 ____。', acceptedAnswers: ['kappa', 'κ'] }, tags }),
    tf: await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: '弱者反而答对的判断题', answer: true }, tags }),
  };
  const exam = await api(instructor, 'POST', '/exams', {
    title: EXAM,
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 60, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'single_choice', count: 2, points: 30, dutyAreas: [AREA] },
      { part: 'theory', type: 'fill_blank', count: 1, points: 30, dutyAreas: [AREA] },
      { part: 'theory', type: 'true_false', count: 1, points: 10, dutyAreas: [AREA] },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  const session = await api(admin, 'POST', '/exam-sessions', { examId: exam.id, venue: '考点 分析', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });

  // Six candidates sit it; a seventh registers and never comes. Totals: 90, 90, 90, 70, 40, 40: the true/false item is
  // right only for the three weakest (negative discrimination); everyone gets the easy one (very easy, no spread).
  const answers = [
    { easy: 'A', strong: 'B', fill: 'kappa', tf: false },
    { easy: 'A', strong: 'B', fill: 'ＫＡＰＰＡ', tf: false },
    { easy: 'A', strong: 'B', fill: ' Kappa', tf: false },
    { easy: 'A', strong: 'B', fill: 'alpha', tf: true },
    { easy: 'A', strong: 'C', fill: 'Alpha ', tf: true },
    { easy: 'A', strong: 'C', fill: '', tf: true },
  ];
  for (let i = 0; i <= answers.length; i++) {
    const username = `analysis.e2e${i}`;
    await api(school, 'POST', '/users', { username, password: 'Cand@2026x', realName: `考生${i}`, role: 'student', idDocumentType: 'passport', idNumber: `E7700000${i}` });
    const student = await api(null, 'POST', '/auth/login', { username, password: 'Cand@2026x' });
    const reg = await api(admin, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: student.user.id });
    if (i === answers.length) break; // the no-show
    const attempt = await api(student.accessToken, 'POST', `/exam-registrations/${reg.id}/attempts`, { part: 'theory' });
    for (const [key, value] of Object.entries(answers[i])) await api(student.accessToken, 'PUT', `/attempts/${attempt.id}/answers/${q[key].id}`, { seq: 1, value });
    await api(student.accessToken, 'POST', `/attempts/${attempt.id}/submit`);
  }

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.instructor');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-exam-builder').click();
    const article = page.locator('article', { has: page.locator('h3', { hasText: EXAM }) });
    await article.getByRole('button', { name: '成绩与分析' }).click();
    const table = article.getByTestId('item-analysis');
    await table.waitFor();

    assert.match(await article.getByTestId('analysis-coverage-theory').innerText(), /分析了 6 名考生的 6 份作答（共报名 7 人）.*未参加 1 人/);
    assert.match(await article.getByTestId('analysis-units').innerText(), /0–100.*−1 到 1/);
    const head = await table.locator('thead').innerText();
    for (const h of ['难度系数（%）', '标准差（占满分 %）', '随机猜测得分（%）', '实际权重（%）', '区分度指数（%）', '区分效率（%）', '点二列相关（r，−1～1）']) assert.ok(head.includes(h), `header ${h}: ${head}`);

    const row = (key) => article.getByTestId(`analysis-item-${q[key].id}`);
    // Under each item's figures: its responses and a sentence per flag.
    const detail = (key) => article.getByTestId(`analysis-detail-${q[key].id}`);
    const flagsOf = async (key) => (await detail(key).locator('[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag'))));
    assert.deepEqual(await flagsOf('easy'), ['very_easy', 'no_spread']);
    assert.match(await detail('easy').innerText(), /太容易/);
    assert.deepEqual(await flagsOf('tf'), ['negative_discrimination']);
    assert.match(await detail('tf').innerText(), /区分度为负：总分低的考生反而比总分高的考生答得好/);
    assert.deepEqual(await flagsOf('strong'), []);
    // Fill-in: kappa, ＫＡＰＰＡ and " Kappa" are one accepted group; "alpha" and "Alpha " one wrong group; the blank apart.
    const fill = await detail('fill').innerText();
    assert.match(fill, /✓ kappa \/ κ: 3/);
    assert.match(fill, /alpha: 2/);
    assert.match(fill, /未作答 1/);
    // The easy item's facility is 100.00%, its random guess 25.00% (one of four options).
    const easyCells = await row('easy').locator('td').allInnerTexts();
    assert.equal(easyCells[4].trim(), '100.00%');
    assert.equal(easyCells[6].trim(), '25.00%');
    await page.screenshot({ path: path.join(SCREENS, 'item-analysis-zh.png'), fullPage: true });

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await detail('tf').innerText(), /Negative discrimination: candidates with lower totals did better on it/);
    assert.match(await detail('easy').innerText(), /Very easy: 90 % or more of the marks were earned/);
    assert.match(await table.locator('thead').innerText(), /Discriminative efficiency \(%\)[\s\S]*Point-biserial \(r, −1 to 1\)/);
    assert.match(await article.getByTestId('analysis-coverage-theory').innerText(), /6 attempts by 6 candidates analysed \(7 registered\)/);
    await page.screenshot({ path: path.join(SCREENS, 'item-analysis-en.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

// The demo content's past stage test (backend/src/demo/content/analysis.ts): 38 registered, two sittings, answered by
// a seeded ability model. The instructor finds it by navigation and reads the coverage and the four flagged items.
const DEMO_EXAM = '人工智能训练师（五级/初级工）阶段测验：标注质量检验';
const FLAGGED = {
  very_easy: '正式标注前，标注员应先阅读并理解标注规范。',
  weak_discrimination: '质检抽样时，样本量越大，抽检结论一定越准确。',
  very_hard: '两位标注员各自标注 100 条二分类数据',
  negative_discrimination: '对 10 万条标注数据做验收抽检',
};

test("the demo stage test's analysis: the class's coverage and the flagged items, in both languages", async () => {
  const instructor = await login('demo.instructor');
  const exam = (await api(instructor, 'GET', '/exams')).find((e) => e.title === DEMO_EXAM);
  assert.ok(exam, 'the demo stage test is there');
  const report = await api(instructor, 'GET', `/exams/${exam.id}/item-analysis`);
  const idOf = (stem) => report.items.find((i) => i.stem.startsWith(stem)).questionId;

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.instructor');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-exam-builder').click();
    const article = page.locator('article', { has: page.locator('h3', { hasText: DEMO_EXAM }) });
    await article.getByRole('button', { name: '成绩与分析' }).click();
    await article.getByTestId('item-analysis').waitFor();
    assert.match(await article.getByTestId('analysis-coverage-theory').innerText(), /分析了 36 名考生的 36 份作答（共报名 38 人）；未计入：重考作答 4 份，仍在作答 0 人，未参加 2 人/);
    const detail = (stem) => article.getByTestId(`analysis-detail-${idOf(stem)}`);
    const flagsOf = async (stem) => detail(stem).locator('[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag')));
    assert.ok((await flagsOf(FLAGGED.very_easy)).includes('very_easy'));
    assert.match(await detail(FLAGGED.very_easy).innerText(), /太容易：得分率达到 90% 以上/);
    assert.deepEqual(await flagsOf(FLAGGED.very_hard), ['very_hard']);
    assert.match(await detail(FLAGGED.very_hard).innerText(), /太难：得分率不超过 10%/);
    assert.deepEqual(await flagsOf(FLAGGED.negative_discrimination), ['negative_discrimination']);
    assert.match(await detail(FLAGGED.negative_discrimination).innerText(), /区分度为负/);
    assert.deepEqual(await flagsOf(FLAGGED.weak_discrimination), ['weak_discrimination']);
    assert.match(await detail(FLAGGED.weak_discrimination).innerText(), /区分度接近零/);
    // The other eight items carry no flag.
    assert.equal(await article.locator('[data-testid^="analysis-detail-"] [data-flag]').count(), 5); // very_easy also has no_spread
    await page.screenshot({ path: path.join(SCREENS, 'item-analysis-demo-zh.png'), fullPage: true });

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await article.getByTestId('analysis-coverage-theory').innerText(), /36 attempts by 36 candidates analysed \(38 registered\); left out: 4 resit attempts, 0 still in progress, 2 did not start/);
    assert.match(await detail(FLAGGED.very_hard).innerText(), /Very hard: at most 10 %/);
    assert.match(await detail(FLAGGED.negative_discrimination).innerText(), /Negative discrimination/);
    assert.match(await detail(FLAGGED.weak_discrimination).innerText(), /Near-zero discrimination/);
    assert.match(await detail(FLAGGED.very_easy).innerText(), /Very easy/);
    await page.screenshot({ path: path.join(SCREENS, 'item-analysis-demo-en.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
