// The instructor's question bank: one question of each of the 7 types written in the editor (the practical ones
// pointing at a labelling exercise and a prompt task made through the API), a refused save with the field named, an
// edit that makes version 2 with its history, the Excel export, and an Excel import with one bad row reported.
// Build both apps first, then:  node --test --test-force-exit frontend/e2e/question-bank.e2e.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { apiClient, checkAnt, PASSWORD, pickedOption, pickOption, SCREENS, startPortal } from './support/portal-harness.mjs';

/** Question types and difficulties as the zh-CN editor names them (its selects show names, not codes). */
const TYPE_ZH = { true_false: '判断题', single_choice: '单选题', multiple_choice: '多选题', fill_blank: '填空题', short_answer: '简答题', labelling: '标注题', prompt_task: '提示词任务', numerical: '数值题', matching: '匹配题' };
const DIFFICULTY_ZH = { easy: '易', medium: '中', hard: '难' };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical WCAG 2.1 A/AA problems axe-core finds in the bank page (the app's header is checked elsewhere). */
async function axeProblems(page) {
  // Evaluated through the debugging protocol: the portal's Content Security Policy refuses inline <script> tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run('app-question-bank-page', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

let portal;
let baseUrl;
let browser;

const { api, login } = apiClient(() => baseUrl);

before(async () => {
  portal = await startPortal('question-bank');
  ({ baseUrl, browser } = portal);
});

after(async () => portal?.stop());

const KP = 'E2E题库';
const DUTY = '数据标注';
const promptTask = {
  title: 'E2E 评论情感分类',
  scenario: '电商平台需要把用户评论自动分为“正面”或“负面”，输出只能是这两个词之一。',
  variables: ['review'],
  visibleExamples: [{ input: { review: '质量不错，物有所值' } }],
  hiddenCases: [
    { input: { review: '发货太慢了，包装也破了' }, checks: [{ kind: 'label_equals', label: '负面' }] },
    { input: { review: '客服很耐心，推荐购买' }, checks: [{ kind: 'label_equals', label: '正面' }] },
  ],
  rubric: [
    { id: 'clarity', name: '指令清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '明确的任务与输出格式' }] },
    { id: 'format', name: '输出约束', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '无约束' }, { score: 4, descriptor: '严格限定输出' }] },
  ],
  weights: { execution: 50, rubric: 50 },
  passMark: 60,
};

test('the instructor writes every question type, edits one, exports and imports the Excel template', { timeout: 240_000 }, async () => {
  const instructor = await login('demo.instructor');
  const exercise = await api(instructor, 'POST', '/labelling/exercises', { title: 'E2E 实体标注练习', taskType: 'named_entity_spans', entityTypes: ['PER', 'ORG'] });
  const task = await api(instructor, 'POST', '/prompt-tasks', { definition: promptTask });

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const byId = (id) => page.getByTestId(id);
  try {
    await page.goto(`${baseUrl}/login`);
    await byId('login-username').fill('demo.instructor');
    await byId('login-password').fill(PASSWORD);
    await byId('login-submit').click();
    await byId('link-question-bank').click();
    await page.waitForURL(`${baseUrl}/instructor/question-bank`);
    // The demo data has no questions: the empty state says what to do.
    await page.locator('.state--empty').filter({ hasText: '题库还没有题目' }).waitFor();

    const open = async (type, stem) => {
      await byId('question-new').click();
      await pickOption(page, byId('question-type'), TYPE_ZH[type], { exact: true });
      await byId('question-stem').fill(stem);
    };
    const tags = async (difficulty = 'medium') => {
      await checkAnt(page, byId('question-level-4'));
      await byId('question-duty-area').fill(DUTY);
      await byId('question-knowledge-point').fill(KP);
      await pickOption(page, byId('question-difficulty'), DIFFICULTY_ZH[difficulty], { exact: true });
    };
    /** Saves and waits for the editor to close with "已创建题目 #n"; returns n. */
    const save = async () => {
      await byId('question-save').click();
      await byId('question-editor').waitFor({ state: 'detached' });
      const notice = await byId('question-saved').textContent();
      const id = Number(/#(\d+)/.exec(notice)?.[1]);
      assert.ok(id > 0, notice);
      await byId(`bank-row-${id}`).waitFor();
      return id;
    };
    const ids = {};

    // Single choice, first without a correct option: the check names the field and nothing is sent.
    await open('single_choice', 'E2E 单选：实体级 F1 要求什么一致？');
    for (const [n, text] of ['类型和边界', '只看类型', '只看起点'].entries()) await byId(`question-option-${n + 1}`).fill(text);
    await tags('easy');
    await byId('question-save').click();
    await byId('error-content.correctKeys').filter({ hasText: '请标出唯一一个正确选项' }).waitFor();
    // The fourth (empty) option is named by its position too.
    await byId('error-content.options[3].text').filter({ hasText: '不能为空' }).waitFor();
    assert.match(await byId('question-error').textContent(), /请修改标出的字段/);
    await page.screenshot({ path: path.join(SCREENS, 'question-bank-field-error.png') });
    assert.deepEqual(await axeProblems(page), [], 'the editor with its errors has labelled, accessible fields');
    await byId('question-remove-option-4').click();
    await checkAnt(page, byId('question-option-correct-1'));
    await byId('error-content.correctKeys').waitFor({ state: 'detached' });
    ids.single = await save();

    await open('true_false', 'E2E 判断：标注前应阅读标注规范。');
    await checkAnt(page, byId('question-option-correct-1'));
    await tags();
    ids.trueFalse = await save();

    await open('multiple_choice', 'E2E 多选：哪些是标注质量指标？');
    for (const [n, text] of ['Cohen κ', 'F1', '行数', 'IoU'].entries()) await byId(`question-option-${n + 1}`).fill(text);
    await byId('question-add-option').click();
    await byId('question-option-5').fill('字数');
    for (const n of [1, 2, 4]) await checkAnt(page, byId(`question-option-correct-${n}`));
    await pickOption(page, byId('question-multiple-scoring'), '按比例得分');
    await tags('hard');
    ids.multiple = await save();

    await open('fill_blank', 'E2E 填空：Cohen 系数记作 ____。');
    await byId('question-accepted').fill('kappa\nκ\n卡帕');
    await tags();
    ids.fill = await save();

    await open('short_answer', 'E2E 简答：简述标注规范的作用。');
    await byId('question-rubric').fill('覆盖一致性、边界情况、示例');
    await tags();
    ids.short = await save();

    await open('labelling', 'E2E 标注题：完成实体标注。');
    await pickOption(page, byId('question-exercise'), new RegExp(`\\(#${exercise.id}[ )]`));
    await tags();
    ids.labelling = await save();

    await open('prompt_task', 'E2E 提示词任务：写出分类提示词。');
    await pickOption(page, byId('question-prompt-task'), new RegExp(`\\(#${task.id}[ )]`));
    await tags();
    ids.prompt = await save();

    // What the editor sent is what the bank holds.
    const stored = await api(instructor, 'GET', `/question-bank/questions?knowledgePoint=${encodeURIComponent(KP)}`);
    assert.equal(stored.length, 7);
    const get = (id) => stored.find((q) => q.id === id);
    assert.deepEqual(get(ids.single).content.correctKeys, ['A']);
    assert.equal(get(ids.single).content.options.length, 3);
    assert.equal(get(ids.trueFalse).content.answer, true);
    assert.deepEqual(get(ids.multiple).content.correctKeys, ['A', 'B', 'D']);
    assert.equal(get(ids.multiple).content.multipleScoring, 'partial');
    assert.deepEqual(get(ids.fill).content.acceptedAnswers, ['kappa', 'κ', '卡帕']);
    assert.equal(get(ids.short).content.rubric, '覆盖一致性、边界情况、示例');
    assert.equal(get(ids.labelling).content.labellingExerciseId, exercise.id);
    assert.equal(get(ids.prompt).content.promptTaskId, task.id);
    assert.deepEqual(get(ids.fill).tags, { occupation: '4-04-05-05', levels: [4], dutyArea: DUTY, knowledgePoint: KP, difficulty: 'medium' });

    // Editing makes version 2; the history shows both.
    await byId(`question-edit-${ids.trueFalse}`).click();
    await byId('question-new-version').filter({ hasText: 'v2' }).waitFor();
    assert.equal(await byId('question-type').evaluate((e) => e.classList.contains('ant-select-disabled')), true, 'the type cannot change');
    assert.equal(await byId('question-stem').inputValue(), 'E2E 判断：标注前应阅读标注规范。');
    await byId('question-stem').fill('E2E 判断：标注前应先阅读标注规范。（修订）');
    await checkAnt(page, byId('question-option-correct-2'));
    await byId('question-save').click();
    await byId('question-saved').filter({ hasText: 'v2' }).waitFor();
    await byId(`bank-version-${ids.trueFalse}`).filter({ hasText: 'v2' }).waitFor();
    await byId(`question-edit-${ids.trueFalse}`).click();
    await byId('question-history').click();
    await byId('question-version-2').filter({ hasText: '（修订）' }).waitFor();
    assert.match(await byId('question-version-1').textContent(), /标注前应阅读标注规范[\s\S]*正确/);
    assert.match(await byId('question-version-2').textContent(), /错误/);
    await page.screenshot({ path: path.join(SCREENS, 'question-bank-history.png') });
    assert.deepEqual(await axeProblems(page), []);
    await byId('question-cancel').click();
    await byId('question-editor').waitFor({ state: 'detached' });

    // Excel export with the current filter: a real workbook with the template's columns and one row per question.
    await byId('bank-filter-knowledge-point').fill(KP);
    await byId('bank-search').click();
    const [download] = await Promise.all([page.waitForEvent('download'), byId('bank-export-xlsx').click()]);
    assert.equal(download.suggestedFilename(), 'question-bank.xlsx');
    const xlsx = await readFile(await download.path());
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip');
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.load(xlsx);
    const sheet = exported.worksheets[0];
    assert.deepEqual(sheet.getRow(1).values.slice(1, 3), ['type', 'stem']);
    assert.equal(sheet.rowCount, 1 + 7);
    const exportedStems = [];
    sheet.eachRow((row, n) => n > 1 && exportedStems.push(String(row.getCell(2).value)));
    assert.ok(exportedStems.includes('E2E 判断：标注前应先阅读标注规范。（修订）'), 'the current version is exported');

    // Excel import: two good rows and one bad one (row 4), reported by its Excel row number and why.
    const upload = new ExcelJS.Workbook();
    const rows = upload.addWorksheet('questions');
    rows.addRow(sheet.getRow(1).values.slice(1));
    rows.addRow(['true_false', 'E2E 导入判断：κ 可以为负。', '', 'true', '', '', '4', DUTY, KP, 'medium', '', '']);
    rows.addRow(['single_choice', 'E2E 导入单选：IoU 的全称？', 'Intersection over Union|Index of Usage', 'A', '', '', '4|5', DUTY, KP, 'easy', '', '']);
    rows.addRow(['true_false', 'E2E 导入坏行：缺答案', '', 'maybe', '', '', '4', DUTY, KP, 'medium', '', '']);
    await byId('bank-file').locator('input[type=file]').setInputFiles({ name: 'bank.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await upload.xlsx.writeBuffer()) });
    assert.equal(await pickedOption(byId('bank-format')), '题库 Excel 模板（.xlsx）', 'the format follows the file');
    await byId('bank-import-duty-area').fill(DUTY);
    // The server answers slowly here, so the progress and the disabled button can be seen.
    await page.route('**/api/v1/question-bank/imports/xlsx', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await byId('bank-import').click();
    await byId('upload-progress').locator('.ant-progress').waitFor();
    assert.equal(await byId('bank-import').isDisabled(), true, 'no second import while one runs');
    await byId('import-summary').filter({ hasText: '已导入 2 题，跳过 1 题' }).waitFor();
    await byId('upload-progress').waitFor({ state: 'detached' });
    await page.unroute('**/api/v1/question-bank/imports/xlsx');
    assert.equal(await byId('bank-import').isDisabled(), false, 'the button is back once the import is done');
    const skipped = await byId('import-skipped').textContent();
    assert.match(skipped, /第 4 行/);
    assert.match(skipped, /判断题的正确答案须为 对\/错/, 'the skip reason in the reader\'s language');
    await page.locator('[data-testid^=bank-row-]').filter({ hasText: 'E2E 导入判断：κ 可以为负。' }).waitFor();
    await page.locator('[data-testid^=bank-row-]').filter({ hasText: 'E2E 导入单选：IoU 的全称？' }).waitFor();
    assert.equal(await page.locator('[data-testid^=bank-row-]').count(), 9);
    await page.screenshot({ path: path.join(SCREENS, 'question-bank-import.png'), fullPage: true });

    // A file that is not a workbook is refused with the reason.
    await byId('bank-file').locator('input[type=file]').setInputFiles({ name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('id,text\n1,x\n') });
    await byId('bank-import').click();
    await byId('import-error').filter({ hasText: 'Excel' }).waitFor();

    // GIFT by Moodle's rules: a question changed on import (a script removed) and two skipped (a description, a
    // grade Moodle does not allow) are each named, with why, in the reader's language.
    const gift = [
      '::E2E 改动:: [html]<p>E2E 哪项是<b>标注</b>？<script>alert(1)</script></p> {=边界框 ~分词}',
      '',
      'E2E 说明文字，没有答案块。',
      '',
      '::E2E 三分之一:: E2E 选两项 {~%33%a ~%33%b ~%34%c}',
      '',
    ].join('\n');
    await byId('bank-file').locator('input[type=file]').setInputFiles({ name: 'moodle.gift', mimeType: 'text/plain', buffer: Buffer.from(gift, 'utf8') });
    assert.equal(await pickedOption(byId('bank-format')), 'GIFT');
    await byId('bank-import').click();
    await byId('import-summary').filter({ hasText: '已导入 1 题，跳过 2 题' }).waitFor();
    assert.match(await byId('import-changed').textContent(), /E2E 改动.*不安全内容已删除（script）/);
    const giftSkipped = await byId('import-skipped').textContent();
    assert.match(giftSkipped, /说明文字，不是题目/);
    assert.match(giftSkipped, /E2E 三分之一.*33%, 33%, 34% 不是 Moodle 允许的分值/);

    // English is one click away, and the report follows.
    await byId('lang-switch').click();
    await byId('question-new').filter({ hasText: 'New question' }).waitFor();
    await byId('import-changed').filter({ hasText: 'unsafe content removed from stem (script)' }).waitFor();
    assert.match(await byId('import-skipped').textContent(), /grade\(s\) 33%, 33%, 34% of question “E2E 三分之一” are not among Moodle’s allowed grades/);
    assert.match(await byId('bank-export-xlsx').textContent(), /Export Excel/);
  } finally {
    await context.close();
  }
});
