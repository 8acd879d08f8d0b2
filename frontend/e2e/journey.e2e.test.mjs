// The whole journey (issue 8) in headless Chromium, through the portal UI as each role, on the local cluster
// (scripts/cluster.mjs): 2 API processes behind the Node reverse proxy and 2 workers on MySQL/MariaDB and Redis.
//
//   instructor: course (published), labelling exercise (dataset imported in the UI), prompt task (published),
//               question bank (GIFT import + a labelling and a prompt item from the question editor), level-4 exam
//   school admin: cohort import (CSV), enrols the cohort in the course
//   student (from the import): lesson, labelling practice, sits theory + practical; org admin registers them
//   workers: grade the practical part (the prompt item through the fake LLM)
//   org admin: issuer settings + signing key, publishes results -> certificate pair
//   student: downloads the PDF; bureau: /verify + bulk check say valid; org admin revokes; bureau sees revoked
//
// Needs TEST_MYSQL_URL and TEST_REDIS_URL (CI sets both); skipped otherwise. Build both apps first:
//   npx nx build backend && npx nx build frontend
//   TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 TEST_REDIS_URL=redis://127.0.0.1:6379/15 \
//     node --test --test-force-exit frontend/e2e/journey.e2e.test.mjs
// Screenshots of every step: tmp/e2e-screens/journey/NN-<step>.png (and the downloaded certificate.pdf).
// Every step goes through the portal UI; no step calls the API directly.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startCluster } from '../../scripts/cluster.mjs';
import { startFakeLlm } from './support/fake-llm.mjs';
import { acceptConfirmIfAsked, checkAnt, displayDateTime, PASSWORD, pickedOption, pickOption, PORTAL_DIR, SCREENS, typeDateTime } from './support/portal-harness.mjs';

/** Question types as the zh-CN bank editor names them (its type select shows names, not codes). */
const QUESTION_TYPE_ZH = { labelling: '标注题', prompt_task: '提示词任务' };
/** A labelling task type and the audiences as the zh-CN exercise form names them. */
const LABELLING_TYPE_ZH = { text_classification: '文本分类（单标签）' };
const AUDIENCE_ZH = { organisation: '本机构学员', platform: '全平台学员', exam: '仅用于考试（不在练习中出现）' };

const mysqlUrl = process.env.TEST_MYSQL_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const skip = !mysqlUrl || !redisUrl ? 'the journey runs on the local cluster: it needs TEST_MYSQL_URL and TEST_REDIS_URL (MySQL/MariaDB and Redis); skipped' : false;
const JOURNEY_SCREENS = path.join(SCREENS, 'journey');
const UI_TIMEOUT_MS = 15_000;

const RUN = randomBytes(2).toString('hex');
const COURSE = `旅程课程 ${RUN}`;
const LESSON = '第一课：文本分类标注';
const EXERCISE = `评论情感分类 ${RUN}`;
// The exam's own copy, kept for exams only: a candidate never meets on the exam an exercise they practised.
const EXAM_EXERCISE = `评论情感分类（考试） ${RUN}`;
const LABELS = ['正面', '负面'];
const DATASET = [
  { id: 'r1', text: '质量很好，非常满意，下次还买', gold: { label: '正面' } },
  { id: 'r2', text: '太差了，用了一天就坏了', gold: { label: '负面' } },
  { id: 'r3', text: '物流很快，包装精美', gold: { label: '正面' } },
];
const TASK = `评论情感提示词 ${RUN}`;
const HIDDEN_A = '快递三天都没到，客服也不回消息';
const HIDDEN_B = '包装精美，第二天就到了，很满意';
const GOOD_PROMPT = '你是电商客服质检员。判断下面评论的情感，只输出“正面”或“负面”两个字之一，不要输出其他内容。\n评论：{{review}}';
const DUTY_AREA = '数据标注';
const EXAM = `四级旅程考试 ${RUN}`;
const VENUE = `旅程考点 ${RUN}`;
const COHORT = '2026级人工智能训练师1班'; // the demo school's cohort
const CANDIDATE = '旅程考生甲';
const CLASSMATE = '旅程同学乙';
const LABELLING_STEM = `实操：对评论进行情感分类 ${RUN}`;
const PROMPT_STEM = `实操：编写情感分类提示词 ${RUN}`;
// Theory questions: every true/false statement is true; the right option of each single choice is in RIGHT_OPTIONS.
const RIGHT_OPTIONS = ['类型和边界都一致', '先阅读标注规范'];
const GIFT = [
  `::tf1:: 标注前应阅读标注规范（${RUN}）。 {T}`,
  `::tf2:: 训练数据的质量直接影响模型效果（${RUN}）。 {T}`,
  `::tf3:: 标注结果应经过抽检（${RUN}）。 {T}`,
  `::sc1:: 实体级 F1 要求什么一致（${RUN}）？ {=${RIGHT_OPTIONS[0]} ~只看类型 ~只看起点}`,
  `::sc2:: 开始标注任务前第一步做什么（${RUN}）？ {=${RIGHT_OPTIONS[1]} ~直接开始标注 ~先导出数据}`,
].join('\n\n');

/** A valid resident ID (GB 11643 check character) for person i. */
function residentId(i) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const first17 = `3301061999${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(300 + i).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, d, k) => s + Number(d) * weights[k], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Deletes the keys matching `pattern` in the Redis database of `url`. */
async function dropRedisKeys(url, pattern) {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

describe('the whole journey on the cluster', { skip, timeout: 420_000 }, () => {
  let cluster;
  let llm;
  let dataDir;
  let browser;
  let baseUrl;
  let shotNo = 0;
  /** X-Instance of every API response the browser received, by instance. */
  const instances = new Map();
  const state = {};
  // This run's queues, throttle counters and LLM limits live under their own prefix in Redis (removed afterwards).
  const queuePrefix = `aitrainer-journey-${randomBytes(3).toString('hex')}`;

  before(async () => {
    assert.ok(existsSync(path.join(PORTAL_DIR, 'index.html')), `missing ${PORTAL_DIR}/index.html: build the portal first (npx nx build frontend)`);
    await rm(JOURNEY_SCREENS, { recursive: true, force: true });
    await mkdir(JOURNEY_SCREENS, { recursive: true });
    llm = await startFakeLlm({
      judgeScores: () => ({ clarity: 4, format: 4 }),
      label: (text) => (text.includes(HIDDEN_A) || text.includes('坏了') ? '负面' : '正面'),
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'aitrainer-journey-'));
    cluster = await startCluster({
      mysqlUrl,
      redisUrl,
      database: `aitrainer_journey_${randomBytes(3).toString('hex')}`,
      dataDir,
      port: 0,
      dropDatabaseOnStop: true,
      processEnv: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PASSWORD_HASH_COST: '1024',
        PORTAL_DIR,
        LOG_FORMAT: 'json',
        QUEUE_PREFIX: queuePrefix,
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: 'e2e-key',
        LLM_MODEL: 'cand',
        LLM_JUDGE_MODEL: 'judge',
        LLM_TIMEOUT_MS: '10000',
        JOB_BACKOFF_MS: '50',
      },
    });
    baseUrl = cluster.url;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await cluster?.stop();
    await llm?.close();
    await dropRedisKeys(redisUrl, `${queuePrefix}*`).catch((e) => console.warn(`could not remove the Redis keys ${queuePrefix}*: ${e.message}`));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // ---------- helpers

  async function shot(page, name) {
    shotNo += 1;
    await page.waitForFunction(() => document.querySelectorAll('.state--loading').length === 0, null, { timeout: 5000 }).catch(() => undefined);
    await page.screenshot({ path: path.join(JOURNEY_SCREENS, `${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  /** A fresh browser session signed in as `username`; every API response's X-Instance is counted. */
  async function signIn(page, username, password = PASSWORD) {
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('dialog', () => assert.fail('no window dialogs: the portal asks in its own dialog'));
    page.on('response', (res) => {
      if (!new URL(res.url()).pathname.startsWith('/api/')) return;
      const instance = res.headers()['x-instance'];
      if (instance) instances.set(instance, (instances.get(instance) ?? 0) + 1);
    });
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    const failed = page.locator('[role=alert]').first();
    await page.getByTestId('current-user').or(failed).first().waitFor();
    if (!(await page.getByTestId('current-user').count())) throw new Error(`login as ${username} failed: ${await failed.innerText()}`);
    return page;
  }

  /** Runs `steps` on a signed-in page; on failure keeps a screenshot and prints the page's text. */
  async function as(username, name, steps, password) {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signIn(page, username, password);
      return await steps(page);
    } catch (e) {
      await page.screenshot({ path: path.join(JOURNEY_SCREENS, `failure-${name}.png`), fullPage: true }).catch(() => undefined);
      console.log(`page at failure (${name}): ${page.url()}\n${(await page.locator('main, body').first().innerText().catch(() => '')).slice(0, 2000)}`);
      throw e;
    } finally {
      await page.context().close();
    }
  }

  /** The imported student, with the initial password from the school admin's credentials file. */
  const asStudent = (name, steps) => as(state.student.username, name, steps, state.student.password);

  /** Picks the option of an Ant select whose text contains `text` (option texts may carry extra words). */
  const selectContaining = (select, text) => pickOption(select.page(), select, text);

  /** The exam room's question navigator buttons (nav-1 ... nav-N). */
  const navCount = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid^="nav-"]')].filter((b) => /^nav-\d+$/.test(b.dataset.testid)).length);

  const waitForNotice = (page, text, timeout = UI_TIMEOUT_MS) => page.getByTestId('notice').filter({ hasText: text }).first().waitFor({ timeout });

  // ---------- the journey

  test('1. the instructor publishes a course, a text classification exercise and a prompt task', async () => {
    await as('demo.instructor', 'instructor-content', async (page) => {
      // The course: one module, one lesson, published.
      await page.getByTestId('new-course-title').fill(COURSE);
      await pickOption(page, page.getByTestId('new-course-level'), '四级/中级工', { exact: true });
      await page.getByTestId('new-course-submit').click();
      await page.waitForURL(/\/instructor\/courses\/\d+$/);
      await page.getByTestId('course-min-time').locator('input').fill('10');
      await page.getByTestId('add-module').click();
      await page.getByTestId('add-lesson').click();
      await page.getByTestId('lesson-title').fill(LESSON);
      await page.getByTestId('lesson-duration').locator('input').fill('1');
      await page.getByTestId('lesson-markdown').fill('# 文本分类\n\n为每条评论选择**一个标签**：正面或负面。');
      await page.getByTestId('save-draft').click();
      await page.getByTestId('editor-status').filter({ hasText: '草稿第 1 版' }).waitFor();
      await page.getByTestId('publish').click();
      await page.getByTestId('editor-status').filter({ hasText: '已发布第 1 版' }).waitFor();
      await shot(page, 'instructor-course');

      // The labelling exercises: created in the form, dataset imported through the row's file picker, published; one
      // for practice, one kept for exams only (the exam's practical item points at that one).
      await page.goto(`${baseUrl}/instructor/labelling`);
      const datasetFile = path.join(dataDir, 'reviews.jsonl');
      await writeFile(datasetFile, DATASET.map((r) => JSON.stringify(r)).join('\n'));
      for (const [title, audience] of [[EXERCISE, 'organisation'], [EXAM_EXERCISE, 'exam']]) {
        await page.getByTestId('new-title').fill(title);
        await pickOption(page, page.getByTestId('new-type'), LABELLING_TYPE_ZH.text_classification, { exact: true });
        await page.getByTestId('new-labels').fill(LABELS.join(','));
        await pickOption(page, page.getByTestId('new-audience'), AUDIENCE_ZH[audience], { exact: true });
        await page.getByTestId('new-submit').click();
        const row = page.locator('[data-testid^="exercise-"]', { hasText: title });
        await row.waitFor();
        if (title === EXERCISE) state.exerciseId = Number((await row.getAttribute('data-testid')).replace('exercise-', ''));
        await row.locator('input[type=file]').first().setInputFiles(datasetFile);
        await waitForNotice(page, `已导入 ${DATASET.length} 条`);
        // The notice may still be the previous exercise's: wait for this row to hold the dataset.
        await page.locator('[data-testid^="exercise-"]', { hasText: title }).filter({ hasText: `已有标准答案 ${DATASET.length} 条` }).waitFor();
        await row.getByRole('button', { name: '发布', exact: true }).click();
        await row.locator('nz-tag', { hasText: '已发布' }).waitFor();
      }
      await shot(page, 'instructor-labelling');

      // The prompt task: two hidden cases checked by label, two rubric criteria, published.
      await page.goto(`${baseUrl}/prompt-tasks/new`);
      await page.getByTestId('task-title').fill(TASK);
      await pickOption(page, page.getByTestId('task-audience'), '仅用于考试（不在练习中出现）', { exact: true }); // it goes on the exam, so never in practice
      await page.getByTestId('task-scenario').fill('电商平台需要把用户评论自动分为“正面”或“负面”，输出只能是这两个词之一。');
      assert.equal(await page.getByTestId('task-variables').inputValue(), 'review');
      await page.getByTestId('example').first().locator('textarea').fill('质量不错，物有所值');
      const case1 = page.getByTestId('case').nth(0);
      await case1.getByTestId('case-input-review').fill(HIDDEN_A);
      await case1.getByTestId('check-label').fill('负面');
      await page.getByTestId('add-case').click();
      const case2 = page.getByTestId('case').nth(1);
      await case2.getByTestId('case-input-review').fill(HIDDEN_B);
      await case2.getByTestId('check-label').fill('正面');
      const c1 = page.getByTestId('criterion').nth(0);
      await c1.getByTestId('criterion-id').fill('clarity');
      await c1.getByTestId('criterion-name').fill('指令清晰');
      await c1.getByTestId('level-descriptor').nth(0).fill('含糊');
      await c1.getByTestId('level-descriptor').nth(1).fill('明确的任务与输出格式');
      await page.getByTestId('add-criterion').click();
      const c2 = page.getByTestId('criterion').nth(1);
      await c2.getByTestId('criterion-id').fill('format');
      await c2.getByTestId('criterion-name').fill('输出约束');
      await c2.getByTestId('level-descriptor').nth(0).fill('无约束');
      await c2.getByTestId('level-descriptor').nth(1).fill('严格限定输出');
      await page.getByTestId('task-save').click();
      await page.waitForURL(/\/prompt-tasks\/\d+$/);
      state.taskId = Number(page.url().split('/').pop());
      await page.getByTestId('task-publish').click();
      await page.getByTestId('task-status').waitFor();
      await shot(page, 'instructor-prompt-task');
    });
    assert.ok(state.exerciseId && state.taskId);
  });

  test('2. the instructor builds the question bank: GIFT import, a labelling item and a prompt item', async () => {
    assert.ok(state.taskId, 'step 1 ran');
    await as('demo.instructor', 'question-bank', async (page) => {
      await page.getByTestId('link-question-bank').click();
      await page.waitForURL(/\/instructor\/question-bank$/);
      const giftFile = path.join(dataDir, 'theory.gift');
      await writeFile(giftFile, GIFT);
      await page.getByTestId('bank-file').locator('input[type=file]').setInputFiles(giftFile);
      await page.getByTestId('bank-import-duty-area').fill(DUTY_AREA);
      await page.getByTestId('bank-import').click();
      await page.getByTestId('import-summary').filter({ hasText: '已导入 5 题，跳过 0 题' }).waitFor();
      await page.getByTestId('bank-table').locator('tr', { hasText: `标注前应阅读标注规范（${RUN}）` }).waitFor();
      await shot(page, 'bank-gift-import');

      const addPractical = async (type, stem, pick, knowledgePoint) => {
        await page.getByTestId('question-new').click();
        await pickOption(page, page.getByTestId('question-type'), QUESTION_TYPE_ZH[type], { exact: true });
        await page.getByTestId('question-stem').fill(stem);
        await pick();
        await checkAnt(page, page.getByTestId('question-level-4'));
        await page.getByTestId('question-duty-area').fill(DUTY_AREA);
        await page.getByTestId('question-knowledge-point').fill(knowledgePoint);
        await pickOption(page, page.getByTestId('question-difficulty'), '中', { exact: true });
        await page.getByTestId('question-save').click();
        await page.locator('[data-testid^="bank-row-"]', { hasText: stem }).waitFor();
      };
      await addPractical('labelling', LABELLING_STEM, () => selectContaining(page.getByTestId('question-exercise'), EXAM_EXERCISE), '文本分类');
      await shot(page, 'bank-labelling-item');
      await addPractical('prompt_task', PROMPT_STEM, () => selectContaining(page.getByTestId('question-prompt-task'), TASK), '提示词工程');
      await shot(page, 'bank-practical-items');
    });
  });

  test('3. the instructor builds a level-4 exam (theory + practical) and publishes it', async () => {
    await as('demo.instructor', 'exam-builder', async (page) => {
      await page.getByTestId('link-exam-builder').click();
      await page.waitForURL(/\/instructor\/exams$/);
      await page.getByTestId('exam-title').fill(EXAM);
      assert.equal(await pickedOption(page.getByTestId('exam-level')), '四级/中级工', 'level 4 by default');
      await page.getByTestId('exam-practical-minutes').locator('input').fill('60');
      await page.getByTestId('exam-min-hours').locator('input').fill('0');
      // Blueprint: 3 true/false + 2 single choice (theory), 1 labelling + 1 prompt item (practical).
      const rows = page.getByTestId('blueprint').locator('tbody tr[data-testid^="section-"]');
      const setRow = async (i, part, type, count, points) => {
        const row = rows.nth(i);
        await row.waitFor();
        await pickOption(page, row.getByTestId('section-part'), part, { exact: true });
        await pickOption(page, row.getByTestId('section-type'), type, { exact: true });
        await row.getByTestId('section-count').locator('input').fill(String(count));
        await row.getByTestId('section-points').locator('input').fill(String(points));
        await row.getByTestId('section-points').locator('input').blur();
      };
      await setRow(0, '理论', '判断题', 3, 1);
      await setRow(1, '理论', '单选题', 2, 1);
      for (const [i, type] of [[2, '标注题'], [3, '提示词任务']]) {
        await page.getByRole('button', { name: /添加题型/ }).click();
        await setRow(i, '技能', type, 1, 10);
      }
      await page.getByTestId('exam-create').click();
      await page.getByRole('status').filter({ hasText: '考试已创建' }).waitFor();
      const article = page.locator('article', { has: page.locator('h3', { hasText: EXAM }) });
      await article.waitFor();
      await article.getByRole('button', { name: '检查题库' }).click();
      await article.getByText('题库').first().waitFor();
      await article.getByRole('button', { name: '发布', exact: true }).click();
      await article.locator('h3', { hasText: '已发布' }).waitFor();
      await shot(page, 'exam-published');
    });
  });

  test('4. the school admin imports a cohort (CSV) and enrols it in the course', async () => {
    await as('demo.school', 'school', async (page) => {
      const rows = [
        ['姓名', '证件类型', '证件号码', '手机号', '班级'],
        [CANDIDATE, '居民身份证', residentId(1), '13900001001', COHORT],
        [CLASSMATE, '居民身份证', residentId(2), '13900001002', COHORT],
      ];
      const roster = path.join(dataDir, 'cohort.csv');
      await writeFile(roster, rows.map((r) => r.join(',')).join('\n'));
      await page.getByTestId('roster-file').locator('input[type=file]').setInputFiles(roster);
      await page.getByTestId('roster-submit').click();
      await page.getByTestId('roster-completed').filter({ hasText: '新建 2 名学员' }).waitFor();
      // The initial passwords exist only now: the admin downloads them (and hands them out).
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roster-credentials').click()]);
      const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      const candidate = lines.map((l) => l.split(',')).find((cells) => cells[0] === CANDIDATE);
      assert.ok(candidate, `the credentials list names ${CANDIDATE}`);
      state.student = { username: candidate[1], password: candidate[2], realName: CANDIDATE };
      await shot(page, 'school-cohort-import');

      await page.getByTestId('cohort-link').filter({ hasText: COHORT }).click();
      await page.getByTestId('cohort-title').waitFor();
      await page.getByTestId('cohort-students').locator('tr', { hasText: CANDIDATE }).waitFor();
      await pickOption(page, page.getByTestId('enrol-course'), COURSE, { exact: true });
      await page.getByTestId('enrol-submit').click();
      await page.getByTestId('notice').filter({ hasText: /已为 \d+ 名学员报名/ }).waitFor();
      await shot(page, 'school-cohort-enrolled');
    });
    assert.ok(state.student?.username && state.student.password);
  });

  test('5a. the imported student studies the lesson and practises labelling', async () => {
    assert.ok(state.student, 'step 4 ran');
    await asStudent('student-study', async (page) => {
      // The org admin's registration form asks for the account id, which no page shows: it is taken from the
      // student's own signed-in session (what the login answered), not from an extra API call.
      state.studentUserId = await page.evaluate(() => JSON.parse(localStorage.getItem('aitrainer.user') ?? 'null')?.id);
      await page.getByTestId('my-courses').getByText(COURSE).click();
      await page.getByTestId('course-progress').filter({ hasText: '已完成 0/1 节' }).waitFor();
      await page.getByTestId('continue').click();
      await page.getByTestId('lesson-title').filter({ hasText: LESSON }).waitFor();
      await page.getByTestId('lesson-end').scrollIntoViewIfNeeded();
      await page.locator('[data-testid="lesson-status"][data-status="completed"]').waitFor({ timeout: 40_000 });
      await page.goto(page.url().replace(/\/lessons\/.*$/, ''));
      await page.getByTestId('course-progress').filter({ hasText: '已完成 1/1 节' }).waitFor();
      await shot(page, 'student-lesson-done');

      await page.goto(`${baseUrl}/student`);
      await page.getByTestId('link-labelling').click();
      await page.getByTestId(`open-${state.exerciseId}`).click();
      for (let i = 0; i < DATASET.length; i++) {
        const text = page.getByTestId('item-text');
        await text.waitFor();
        const shown = await text.textContent();
        const item = DATASET.find((d) => shown.includes(d.text));
        assert.ok(item, `item text "${shown}" is one of the dataset's`);
        const choice = page.getByTestId('choices').getByRole('button', { name: item.gold.label });
        await choice.click();
        await page.waitForFunction((label) => [...document.querySelectorAll('[data-testid=choices] button')].some((b) => b.textContent.includes(label) && b.getAttribute('aria-pressed') === 'true'), item.gold.label);
        if (i < DATASET.length - 1) {
          await page.getByTestId('next').click();
          await page.waitForFunction((before) => document.querySelector('[data-testid=item-text]')?.textContent !== before, shown);
        }
      }
      await page.getByTestId('progress').filter({ hasText: `${DATASET.length} / ${DATASET.length}` }).waitFor();
      await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
      await page.getByTestId('submit').click();
      await acceptConfirmIfAsked(page, page.getByTestId('score'));
      await page.getByTestId('score').waitFor();
      assert.equal((await page.getByTestId('score').textContent()).trim(), '100.0%');
      await shot(page, 'student-labelling-practice');
    });
    assert.ok(Number.isInteger(state.studentUserId), 'the student user id is known');
  });

  test('5b. the org admin schedules a session and registers the student', async () => {
    assert.ok(state.studentUserId, 'step 5a ran');
    await as('demo.org', 'org-session', async (page) => {
      await page.getByTestId('link-exam-sessions').click();
      await page.waitForURL(/\/org\/exam-sessions$/);
      await pickOption(page, page.getByTestId('session-exam'), EXAM);
      await page.getByTestId('session-venue').fill(VENUE);
      // The pickers take times in the portal's display time zone (China Standard Time), whatever the browser's zone.
      await typeDateTime(page, page.getByTestId('session-starts'), displayDateTime(Date.now() - 5 * 60_000));
      await typeDateTime(page, page.getByTestId('session-ends'), displayDateTime(Date.now() + 3 * 3600_000));
      await page.getByRole('button', { name: '安排场次' }).click();
      const session = page.locator('article', { hasText: VENUE });
      await session.waitFor();
      // The candidate by the username the cohort import gave them (an account id works too).
      await session.locator('[data-testid^="candidate-"]').fill(state.student.username);
      await session.getByRole('button', { name: '报名', exact: true }).click();
      await page.getByRole('status').filter({ hasText: '已报名，准考证号' }).waitFor();
      await session.getByText(/已报名 1 人/).waitFor();
      await shot(page, 'org-session-registered');
    });
  });

  test('5c. the student sits the exam: theory, then the practical part', async () => {
    await asStudent('exam-room', async (page) => {
      await page.getByTestId('link-exams').click();
      const registration = page.locator('[data-testid^="registration-"]').first();
      await registration.waitFor();
      state.registrationId = Number((await registration.getAttribute('data-testid')).replace('registration-', ''));

      // Theory: every statement is true; the right option is one of RIGHT_OPTIONS.
      await page.getByTestId(`start-theory-${state.registrationId}`).click();
      await page.waitForURL(/\/student\/exams\/attempts\/\d+$/);
      await page.getByTestId('nav-1').waitFor();
      const theoryCount = await navCount(page);
      assert.equal(theoryCount, 5, 'five theory questions');
      for (let n = 1; n <= theoryCount; n++) {
        await page.getByTestId(`nav-${n}`).click();
        await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('current'), n);
        if (await page.getByTestId('option-true').count()) await page.getByTestId('option-true').check();
        else await page.locator('.options label').filter({ hasText: new RegExp(RIGHT_OPTIONS.join('|')) }).first().click();
        await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('answered'), n);
      }
      await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'));
      await shot(page, 'exam-theory');
      await page.getByTestId('submit-attempt').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('attempt-submitted').waitFor();

      // Practical: the labelling block (one choice per dataset item) and the prompt answer.
      await page.goto(`${baseUrl}/student/exams`);
      await page.getByTestId(`start-practical-${state.registrationId}`).click();
      await page.waitForURL(/\/student\/exams\/attempts\/\d+$/);
      await page.getByTestId('nav-1').waitFor();
      const practicalCount = await navCount(page);
      assert.equal(practicalCount, 2, 'two practical items');
      for (let n = 1; n <= practicalCount; n++) {
        await page.getByTestId(`nav-${n}`).click();
        await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('current'), n);
        const block = page.getByTestId('practical-labelling');
        const prompt = page.getByTestId('prompt-answer');
        await block.or(prompt).first().waitFor();
        if (await block.count()) {
          for (let k = 1; k <= DATASET.length; k++) {
            const item = block.getByTestId(`practical-item-${k}`);
            await item.waitFor();
            const shown = await item.textContent();
            const row = DATASET.find((d) => shown.includes(d.text));
            assert.ok(row, `exam item ${k} shows a dataset text: "${shown}"`);
            await item.getByRole('button', { name: row.gold.label }).or(item.getByRole('radio', { name: row.gold.label })).first().click();
            await item.locator('input:checked, [aria-pressed=true]').first().waitFor();
          }
        } else {
          await prompt.fill(GOOD_PROMPT);
        }
        await page.waitForFunction((k) => document.querySelector(`[data-testid=nav-${k}]`)?.classList.contains('answered'), n);
        await shot(page, (await block.count()) ? 'exam-practical-labelling' : 'exam-practical-prompt');
      }
      await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent?.includes('已全部保存'));
      await page.getByTestId('submit-attempt').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('attempt-submitted').waitFor();
      await shot(page, 'exam-submitted');
    });
  });

  test('6. the workers grade the practical part (the prompt item through the fake LLM) until the result is complete', async () => {
    await as('demo.instructor', 'results', async (page) => {
      await page.getByTestId('link-exam-builder').click();
      const article = page.locator('article', { has: page.locator('h3', { hasText: EXAM }) });
      await article.waitFor();
      const row = article.locator('table').first().locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${state.registrationId}\\s*$`) }) });
      const deadline = Date.now() + 90_000;
      for (;;) {
        await article.getByRole('button', { name: '成绩与分析' }).click();
        await row.waitFor();
        const text = await row.innerText();
        if (/待发布/.test(text)) break; // provisional: every item graded, waiting for publication
        assert.ok(Date.now() < deadline, `the result stayed incomplete: ${text}`);
        await page.waitForTimeout(1000);
      }
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[2].trim(), '100', `theory 100: ${cells}`);
      assert.equal(cells[3].trim(), '100', `practical 100: ${cells}`);
      assert.equal(cells[4].trim(), '✓');
      await shot(page, 'results-complete');
    });
    assert.ok(llm.calls.candidate >= 2, `the candidate model ran the hidden cases (${llm.calls.candidate})`);
    assert.ok(llm.calls.judge >= 1, `the judge ran (${llm.calls.judge})`);
  });

  test('7. the org admin sets up issuing, publishes the results; the certificate pair is issued', async () => {
    await as('demo.org', 'publish', async (page) => {
      await page.getByTestId('link-certificates').click();
      await page.getByTestId('issuer-settings-form').waitFor();
      await pickOption(page, page.getByTestId('settings-kind'), 'Y：用人单位');
      await page.getByTestId('settings-evaluationBodyCode').fill('0001');
      await page.getByTestId('settings-provinceCode').fill('33');
      await page.getByTestId('settings-siteSerial').fill('010001');
      await page.getByTestId('settings-enterprisePrefix').fill('AIT');
      await page.getByTestId('settings-evaluationBodyName').fill('旅程测试评价机构');
      await page.getByTestId('settings-save').click();
      await waitForNotice(page, '发证设置已保存');
      await page.getByTestId('rotate-key').click();
      await page.getByTestId('rotated-kid').waitFor();
      await shot(page, 'org-issuer-settings');

      await page.goto(`${baseUrl}/org/exam-sessions`);
      const session = page.locator('article', { hasText: VENUE });
      await session.getByRole('button', { name: '发布成绩' }).click();
      const published = page.getByRole('status').filter({ hasText: '已发布 1 份成绩，0 份尚未完成评分' });
      await acceptConfirmIfAsked(page, published); // publishing asks first, naming what is still open or ungraded
      await published.waitFor();
      await shot(page, 'org-results-published');
    });
  });

  test('8. the student downloads the certificate PDF', async () => {
    await asStudent('student-certificates', async (page) => {
      const skill = page.locator('li', { has: page.getByTestId('my-cert-pdf-skill_level') });
      // Issuance follows publication (possibly through the queue): reload until both are listed.
      const deadline = Date.now() + 30_000;
      while ((await page.getByTestId('my-cert-pdf-enterprise').count()) === 0 || (await page.getByTestId('my-cert-pdf-skill_level').count()) === 0) {
        assert.ok(Date.now() < deadline, 'the certificate pair appears on the student page');
        await page.waitForTimeout(1000);
        await page.reload();
        await page.getByTestId('landing-student').waitFor();
        await page.waitForFunction(() => document.querySelectorAll('.state--loading').length === 0);
      }
      const enterprise = page.locator('li', { has: page.getByTestId('my-cert-pdf-enterprise') });
      const numberOf = async (li) => (await li.locator('.small.muted').textContent()).split('·')[0].trim();
      state.skillNumber = await numberOf(skill);
      state.enterpriseNumber = await numberOf(enterprise);
      assert.equal(state.skillNumber.length, 22, `a 22-character national number: ${state.skillNumber}`);
      assert.match(await skill.textContent(), /四级/);
      const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByTestId('my-cert-pdf-skill_level').click()]);
      assert.equal(pdf.suggestedFilename(), `${state.skillNumber}.pdf`);
      const bytes = await readFile(await pdf.path());
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
      await writeFile(path.join(JOURNEY_SCREENS, 'certificate.pdf'), bytes);
      await shot(page, 'student-certificates');
    });
  });

  /** Bulk check on the bureau page with a key created there (or `key` when given); returns the counts by status. */
  async function bulkCheck(page, key) {
    if (!key) {
      await page.getByTestId('api-key-name').fill(`旅程核验 ${RUN}`);
      await page.getByTestId('api-key-create').click();
      key = (await page.getByTestId('api-key-value').textContent()).trim();
    } else await page.getByTestId('bulk-api-key').fill(key);
    const csv = `number,name\n${state.skillNumber},${state.student.realName}\n${state.enterpriseNumber},${state.student.realName}\n`;
    await page.getByTestId('bulk-file').locator('input[type=file]').setInputFiles({ name: 'check.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('bulk-submit').click();
    await page.getByTestId('bulk-result').waitFor();
    const counts = {};
    for (const li of await page.locator('[data-testid=bulk-counts] li').all()) counts[await li.getAttribute('data-status')] = Number(await li.locator('.count').textContent());
    return { key, counts };
  }

  async function verifyOne(page, number) {
    await page.goto(`${baseUrl}/verify?number=${encodeURIComponent(number)}`);
    await page.getByTestId('verify-name').fill(state.student.realName);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid=verify-result][data-status]').waitFor();
    return page.getByTestId('verify-result').getAttribute('data-status');
  }

  test('9. the bureau verifier: /verify by number and name, and a bulk check, both valid', async () => {
    await as('demo.bureau', 'bureau-valid', async (page) => {
      await page.getByTestId('landing-bureau_verifier').waitFor();
      const { key, counts } = await bulkCheck(page);
      state.bureauKey = key;
      assert.equal(counts.valid, 2, `bulk: ${JSON.stringify(counts)}`);
      await shot(page, 'bureau-bulk-valid');
      assert.equal(await verifyOne(page, state.skillNumber), 'valid');
      assert.equal((await page.getByTestId('verify-level').textContent()).trim(), '四级/中级工');
      assert.match(await page.getByTestId('verify-twin').textContent(), new RegExp(state.enterpriseNumber));
      await shot(page, 'verify-valid');
    });
  });

  test('10. the org admin revokes the certificate; the bureau now sees it revoked', async () => {
    await as('demo.org', 'revoke', async (page) => {
      await page.getByTestId('link-certificates').click();
      await page.getByTestId('cert-id').fill(state.skillNumber);
      await page.getByTestId('cert-open').click();
      await page.waitForFunction((n) => document.querySelector('[data-testid=cert-number]')?.textContent?.trim() === n, state.skillNumber);
      await page.getByTestId('cert-action-revoked').click();
      await page.getByTestId('cert-reason').fill('考试违纪，撤销证书');
      await page.getByTestId('cert-status-submit').click();
      await page.getByTestId('twin-dialog').waitFor({ state: 'visible' });
      await page.getByTestId('twin-revoke').click();
      await page.getByTestId('twin-dialog').waitFor({ state: 'hidden' });
      await page.waitForFunction(() => document.querySelector('[data-testid=cert-status]')?.textContent?.includes('已撤销'));
      await shot(page, 'org-revoked');
    });
    await as('demo.bureau', 'bureau-revoked', async (page) => {
      await page.getByTestId('landing-bureau_verifier').waitFor();
      const { counts } = await bulkCheck(page, state.bureauKey);
      assert.equal(counts.revoked, 2, `bulk after revocation: ${JSON.stringify(counts)}`);
      await shot(page, 'bureau-bulk-revoked');
      assert.equal(await verifyOne(page, state.skillNumber), 'revoked');
      await shot(page, 'verify-revoked');
    });
  });

  test('both API processes served the journey', () => {
    console.log(`X-Instance of the browser's API responses: ${JSON.stringify(Object.fromEntries(instances))}`);
    assert.ok((instances.get('api-1') ?? 0) > 0 && (instances.get('api-2') ?? 0) > 0, `both APIs answered: ${JSON.stringify(Object.fromEntries(instances))}`);
  });
});
