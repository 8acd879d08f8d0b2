// An instructor imports a Label Studio export (rotated and overshooting boxes, a second annotator, a prediction, a
// rating control, one task off the image) with its labelling config through the portal, asking for a partial
// import: the import report names per task what was adapted, what is not used and what was refused, in Chinese
// and in English. A student then draws a box and turns it in the workspace.
// Run after building both apps:  node --test frontend/e2e/labelling-label-studio.e2e.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, checkAnt, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;
const { api, login } = apiClient(() => baseUrl);

before(async () => {
  portal = await startPortal('ls');
  ({ baseUrl, browser } = portal);
});
after(async () => portal?.stop());

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const CONFIG = `<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="tag" toName="img"><Label value="car"/><Label value="person"/></RectangleLabels>
  <Rating name="quality" toName="img"/>
</View>`;
const rect = (id, value) => ({ id, from_name: 'tag', to_name: 'img', type: 'rectanglelabels', original_width: 640, original_height: 480, value });
const TASKS = [
  {
    id: 301,
    data: { image: '/data/upload/7/0a1b2c3d-street.png' },
    annotations: [
      {
        id: 1,
        ground_truth: true,
        result: [
          rect('a', { x: 60, y: 10, width: 40.43, height: 20, rotation: 0, rectanglelabels: ['car'] }),
          rect('b', { x: 20, y: 30, width: 25, height: 15, rotation: 30, rectanglelabels: ['person'] }),
          { id: 'q', from_name: 'quality', to_name: 'img', type: 'rating', value: { rating: 3 } },
        ],
      },
      { id: 2, completed_by: 5, result: [rect('c', { x: 59, y: 10, width: 41, height: 20, rotation: 0, rectanglelabels: ['car'] })] },
    ],
    predictions: [{ id: 8, model_version: 'yolo-v8', result: [rect('p', { x: 58, y: 11, width: 40, height: 19, rotation: 0, rectanglelabels: ['car'] })] }],
  },
  { id: 302, data: { image: '/data/upload/7/0a1b2c3d-street.png' }, annotations: [{ id: 3, result: [rect('d', { x: 70, y: 10, width: 45, height: 20, rotation: 0, rectanglelabels: ['car'] })] }] },
];

async function signIn(page, username) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('link-labelling').click();
}

async function importThroughPortal(page, id) {
  await checkAnt(page, page.getByTestId('ls-partial'));
  await page.getByTestId(`label-studio-file-${id}`).locator('input[type=file]').setInputFiles([
    { name: 'project-7.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TASKS, null, 2)) },
    { name: 'config.xml', mimeType: 'application/xml', buffer: Buffer.from(CONFIG) },
    { name: 'street.png', mimeType: 'image/png', buffer: PNG },
  ]);
  const report = page.getByTestId('import-report');
  await report.waitFor();
  return report;
}

test('the import report shows per task what was adapted, not used and refused, in Chinese and English', async () => {
  const instructor = await login('demo.instructor');
  const ex = await api(instructor, 'POST', '/labelling/exercises', { title: 'Label Studio 目标框', taskType: 'image_bounding_boxes', labels: ['car', 'person'] });

  for (const [locale, lang] of [['zh-CN', 'zh'], ['en-GB', 'en']]) {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      if (lang === 'en') {
        await page.goto(`${baseUrl}/login`);
        await page.evaluate(() => localStorage.setItem('aitrainer.lang', 'en'));
      }
      await signIn(page, 'demo.instructor');
      const report = await importThroughPortal(page, ex.id);
      const summary = await page.getByTestId('report-summary').innerText();
      const adapted = await page.getByTestId('report-301').innerText();
      const refused = await page.getByTestId('report-302').innerText();
      if (lang === 'zh') {
        assert.match(summary, /导入 1 条（1 条带标准答案），调整 1 条，拒绝 1 条/);
        assert.match(adapted, /已导入（有调整）/);
        assert.match(adapted, /第 0 个框因浮点误差略超出图片（right），已裁到图片边缘/);
        assert.match(adapted, /“\/data\/upload\/7\/0a1b2c3d-street\.png” 对应上传的文件 “street\.png”/);
        assert.match(adapted, /另外保留了 1 条标注/);
        assert.match(adapted, /保留了 1 条模型预测/);
        assert.match(adapted, /未使用（导出时保留）：\s*控件 quality（rating）的结果不属于此题型/);
        assert.match(refused, /被拒绝/);
        assert.match(refused, /gold\.boxes\[0\]/);
      } else {
        assert.match(summary, /1 imported \(1 with gold\), 1 adapted, 1 refused/);
        assert.match(adapted, /Imported, adapted/);
        assert.match(adapted, /box 0 of annotation 1 overshot the image by floating-point noise \(right\) and was clamped to the edge/);
        assert.match(adapted, /Not used \(kept for the export\):\s*results of control quality \(rating\) do not belong to this task type/);
        assert.match(refused, /Refused/);
      }
      assert.equal(await report.locator('li[data-kind=dropped]').count(), 1);
      await page.screenshot({ path: path.join(SCREENS, `labelling-ls-report-${lang}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  }
  const items = await api(instructor, 'GET', `/labelling/exercises/${ex.id}/items`);
  assert.deepEqual(items.map((i) => i.id), ['301']);
  assert.deepEqual(items[0].gold.boxes[1], { x: 20, y: 30, width: 25, height: 15, label: 'person', rotation: 30 });
  assert.equal(items[0].annotations.length, 2);
});

test('a student draws a box and turns it with the keyboard and by typing the angle', async () => {
  const instructor = await login('demo.instructor');
  const ex = await api(instructor, 'POST', '/labelling/exercises', { title: '旋转框', taskType: 'image_bounding_boxes', labels: ['car', 'person'] });
  const form = new FormData();
  form.append('file', new Blob([JSON.stringify(TASKS.slice(0, 1))], { type: 'application/json' }), 'ls.json');
  form.append('config', new Blob([CONFIG], { type: 'application/xml' }), 'config.xml');
  form.append('media', new Blob([PNG], { type: 'image/png' }), 'street.png');
  await api(instructor, 'POST', `/labelling/exercises/${ex.id}/label-studio`, null, form);
  await api(instructor, 'POST', `/labelling/exercises/${ex.id}/publish`);

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await signIn(page, 'demo.student');
    await page.getByTestId(`open-${ex.id}`).click();
    const svg = page.getByTestId('box-svg');
    await page.locator('[data-testid=box-stage] img').waitFor();
    const r = await svg.boundingBox();
    await page.mouse.move(r.x + r.width * 0.2, r.y + r.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.4, { steps: 5 });
    await page.mouse.up();
    const box = page.locator('[data-testid=box-svg] rect.box').first();
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    // the view renders on the next frame: wait for it rather than read at once
    const rotation = (deg) => page.waitForFunction((d) => document.querySelector('[data-testid=box-svg] rect.box')?.getAttribute('data-rotation') === d, deg);
    await rotation('10');
    assert.match((await box.getAttribute('transform')) ?? '', /^matrix\(/);
    await page.getByTestId('box-rotation').fill('-30');
    await page.getByTestId('box-rotation').press('Enter');
    await page.getByTestId('box-rotation').blur();
    await rotation('-30');
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
    await page.screenshot({ path: path.join(SCREENS, 'labelling-rotated-box.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
