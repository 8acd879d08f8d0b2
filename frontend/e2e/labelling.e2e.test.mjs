// A student labels spans (keyboard and mouse) and boxes (draw, move, resize, delete, undo), submits and sees a
// score; the workspace's responsiveness on a 5,000-character text with 200 spans and an image with 100 boxes is
// measured and printed. Run after building both apps:  node --test --test-concurrency=1 frontend/e2e/
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { acceptConfirmIfAsked, apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;


const { api, login } = apiClient(() => baseUrl);

function upload(token, url, files) {
  const form = new FormData();
  for (const [field, name, content, type] of files) form.append(field, new Blob([content], { type }), name);
  return api(token, 'POST', url, null, form);
}

const svg = (w, h, color) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${color}"/><circle cx="${w / 3}" cy="${h / 2}" r="${h / 5}" fill="#fff"/></svg>`;

/** A deterministic 5,000-character text with 200 non-overlapping entities (10 characters apart). */
function longText() {
  const alphabet = '人工智能训练师数据标注员负责清洗与标注文本图像语音';
  let text = '';
  for (let i = 0; i < 5000; i++) text += alphabet[(i * 7) % alphabet.length];
  const types = ['PER', 'ORG', 'LOC'];
  const spans = Array.from({ length: 200 }, (_, k) => ({ start: k * 25 + 3, end: k * 25 + 3 + 4 + (k % 5), type: types[k % 3] }));
  return { text, spans };
}

function hundredBoxes() {
  return Array.from({ length: 100 }, (_, k) => ({ x: (k % 10) * 10 + 1, y: Math.floor(k / 10) * 10 + 1, width: 7, height: 7, label: k % 2 ? 'person' : 'car' }));
}

before(async () => {
  portal = await startPortal('lab');
  ({ baseUrl, browser } = portal);
});

after(async () => portal?.stop());

/** Mean time per keydown until the next frame is painted, measured in the page. */
const perKeystroke = (page, selector, key, times = 30) =>
  page.evaluate(
    async ({ selector, key, times }) => {
      const el = document.querySelector(selector);
      el.focus();
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      await frame();
      const t0 = performance.now();
      for (let i = 0; i < times; i++) {
        el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        await frame();
      }
      return (performance.now() - t0) / times;
    },
    { selector, key, times },
  );

test('a student labels spans and boxes, submits and sees a score; the workspace stays responsive', async () => {
  const instructor = await login('demo.instructor');
  const student = await login('demo.student');
  const long = longText();

  const spans = await api(instructor, 'POST', '/labelling/exercises', { title: '实体标注 E2E', taskType: 'named_entity_spans', entityTypes: ['PER', 'ORG', 'LOC'] });
  const shortGold = [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'LOC' }, { start: 8, end: 12, type: 'ORG' }];
  const spanRows = [{ id: 'short', text: '马云在杭州创办了阿里巴巴。', gold: { spans: shortGold } }, { id: 'long', text: long.text, gold: { spans: long.spans } }];
  await upload(instructor, `/labelling/exercises/${spans.id}/dataset`, [['file', 'spans.jsonl', spanRows.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson']]);
  await api(instructor, 'POST', `/labelling/exercises/${spans.id}/publish`);

  const boxes = await api(instructor, 'POST', '/labelling/exercises', { title: '目标框 E2E', taskType: 'image_bounding_boxes', labels: ['car', 'person'] });
  const smallGold = [{ x: 10, y: 10, width: 30, height: 30, label: 'car' }, { x: 60, y: 50, width: 20, height: 30, label: 'person' }];
  const boxRows = [{ id: 'street', image: 'street.svg', width: 800, height: 600, gold: { boxes: smallGold } }, { id: 'crowd', image: 'crowd.svg', width: 1000, height: 1000, gold: { boxes: hundredBoxes() } }];
  await upload(instructor, `/labelling/exercises/${boxes.id}/dataset`, [
    ['file', 'boxes.jsonl', boxRows.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson'],
    ['media', 'street.svg', svg(800, 600, '#4a6b8a'), 'image/svg+xml'],
    ['media', 'crowd.svg', svg(1000, 1000, '#6b4a8a'), 'image/svg+xml'],
  ]);
  await api(instructor, 'POST', `/labelling/exercises/${boxes.id}/publish`);

  // The heavy items already carry 200 spans / 100 boxes from an earlier session (autosaved), so opening them
  // measures rendering what a student has done.
  const spanDraft = await api(student, 'POST', `/labelling/exercises/${spans.id}/submissions`);
  await api(student, 'PUT', `/labelling/submissions/${spanDraft.id}/answers/long`, { seq: 1, value: { spans: long.spans } });
  const boxDraft = await api(student, 'POST', `/labelling/exercises/${boxes.id}/submissions`);
  await api(student, 'PUT', `/labelling/submissions/${boxDraft.id}/answers/crowd`, { seq: 1, value: { boxes: hundredBoxes() } });
  // Gold never reaches the student before submission.
  const itemsText = JSON.stringify(await api(student, 'GET', `/labelling/exercises/${spans.id}/items`));
  assert.ok(!itemsText.includes('gold'), 'student item list must not carry gold');

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', () => assert.fail('no window dialogs: the portal asks in its own dialog'));
  const figures = {};
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-labelling').click();
    await page.getByTestId(`open-${spans.id}`).click();

    // --- spans: keyboard for PER and LOC, mouse for ORG
    const text = page.getByTestId('span-text');
    await text.waitFor();
    await text.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('1');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('3');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-text] .ent').length === 2);
    const { from, to } = await page.evaluate(() => {
      const box = document.querySelector('[data-testid=span-text]');
      const full = box.textContent;
      const start = full.indexOf('阿里巴巴');
      const rect = (i) => {
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let node;
        let seen = 0;
        while ((node = walker.nextNode())) {
          if (seen + node.length > i) break;
          seen += node.length;
        }
        const r = document.createRange();
        r.setStart(node, i - seen);
        r.setEnd(node, i - seen + 1);
        return r.getBoundingClientRect();
      };
      const a = rect(start);
      const b = rect(start + 3);
      return { from: { x: a.left + 1, y: a.top + a.height / 2 }, to: { x: b.right - 1, y: b.top + b.height / 2 } };
    });
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-text] .ent').length === 3);
    // undo and redo the last one
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-text] .ent').length === 2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-list] li').length === 3);
    assert.equal(await page.getByTestId('span-list').textContent().then((t) => t.includes('ORG: 阿里巴巴')), true);

    // --- the long text with 200 spans: time to render, DOM size, time per keystroke
    let t0 = Date.now();
    await page.getByTestId('next').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-text] .ent').length >= 200);
    figures.spanRenderMs = Date.now() - t0;
    figures.spanTextNodes = await page.evaluate(() => document.querySelector('[data-testid=span-text]').childElementCount);
    figures.spanKeystrokeMs = await perKeystroke(page, '[data-testid=span-text]', 'ArrowRight');
    figures.spanSelectKeystrokeMs = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid=span-text]');
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t = performance.now();
      for (let i = 0; i < 30; i++) {
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));
        await frame();
      }
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      return (performance.now() - t) / 30;
    });
    assert.ok(figures.spanTextNodes < 1000, `text rendered as ${figures.spanTextNodes} nodes: must not be one per character`);
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
    await page.getByTestId('progress').filter({ hasText: '2 / 2' }).waitFor();
    await page.getByTestId('submit').click();
    await acceptConfirmIfAsked(page, page.getByTestId('score'));
    await page.getByTestId('score').waitFor();
    const spanScore = await page.getByTestId('score').textContent();
    assert.equal(spanScore.trim(), '100.0%');
    await page.screenshot({ path: path.join(SCREENS, 'labelling-spans-result.png'), fullPage: true });

    // --- boxes: draw two, draw a third, move and resize it, delete it, undo, delete again
    await page.goto(`${baseUrl}/student/labelling/${boxes.id}`);
    const stage = page.getByTestId('box-svg');
    await page.locator('[data-testid=box-stage] img').waitFor();
    const box = await stage.boundingBox();
    const at = (px, py) => [box.x + (box.width * px) / 100, box.y + (box.height * py) / 100];
    const drag = async ([x1, y1], [x2, y2]) => {
      await page.mouse.move(x1, y1);
      await page.mouse.down();
      await page.mouse.move(x2, y2, { steps: 6 });
      await page.mouse.up();
    };
    await drag(at(10, 10), at(40, 40));
    await page.getByTestId('box-label-1').click();
    await drag(at(60, 50), at(80, 80));
    await page.getByTestId('box-count').filter({ hasText: '2' }).waitFor();
    await drag(at(5, 70), at(15, 85));
    await page.getByTestId('box-count').filter({ hasText: '3' }).waitFor();
    await drag(at(10, 77), at(30, 77)); // move the third box right by 20 %
    await page.waitForFunction(() => Number(document.querySelectorAll('[data-testid=box-svg] rect.box')[2]?.getAttribute('x')) > 20);
    await drag(at(35, 85), at(45, 95)); // its bottom-right handle: resize
    await page.waitForFunction(() => Number(document.querySelectorAll('[data-testid=box-svg] rect.box')[2]?.getAttribute('width')) > 15);
    await page.keyboard.press('Delete');
    await page.getByTestId('box-count').filter({ hasText: '2' }).waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('box-count').filter({ hasText: '3' }).waitFor();
    await page.locator('[data-testid=box-svg] rect.box').nth(2).dispatchEvent('pointerdown', { clientX: at(40, 80)[0], clientY: at(40, 80)[1], pointerId: 1 });
    await page.locator('[data-testid=box-svg]').dispatchEvent('pointerup', { clientX: at(40, 80)[0], clientY: at(40, 80)[1], pointerId: 1 });
    await page.keyboard.press('Delete');
    await page.getByTestId('box-count').filter({ hasText: '2' }).waitFor();

    // --- the image with 100 boxes
    t0 = Date.now();
    await page.getByTestId('next').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=box-svg] rect.box').length >= 100);
    figures.boxRenderMs = Date.now() - t0;
    await page.locator('[data-testid=box-svg] rect.box').first().dispatchEvent('pointerdown', { clientX: 0, clientY: 0, pointerId: 1 });
    figures.boxKeystrokeMs = await perKeystroke(page, '[data-testid=box-stage]', 'ArrowRight', 20);
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
    await page.screenshot({ path: path.join(SCREENS, 'labelling-boxes.png'), fullPage: true });
    await page.getByTestId('submit').click();
    await acceptConfirmIfAsked(page, page.getByTestId('score'));
    await page.getByTestId('score').waitFor();
    const boxScore = Number((await page.getByTestId('score').textContent()).replace('%', ''));
    // street: both drawn boxes match; crowd: 100 boxes, the first nudged right by 20 x 0.5 % = 10 %: IoU 0.17, no match.
    assert.ok(boxScore > 95, `box score ${boxScore}`);
    await page.getByTestId('feedback-crowd').waitFor();
    await page.screenshot({ path: path.join(SCREENS, 'labelling-boxes-result.png'), fullPage: true });
  } catch (e) {
    await page.screenshot({ path: path.join(SCREENS, 'labelling-failure.png'), fullPage: true }).catch(() => undefined);
    console.log(`page at failure: ${page.url()}\n${(await page.locator('main, body').first().innerText().catch(() => '')).slice(0, 1500)}`);
    throw e;
  } finally {
    console.log(
      `labelling workspace figures: 5,000 chars + 200 spans rendered in ${figures.spanRenderMs} ms as ${figures.spanTextNodes} elements; ` +
        `${figures.spanKeystrokeMs?.toFixed(1)} ms per caret keystroke, ${figures.spanSelectKeystrokeMs?.toFixed(1)} ms per selecting keystroke; ` +
        `100 boxes rendered in ${figures.boxRenderMs} ms; ${figures.boxKeystrokeMs?.toFixed(1)} ms per nudge keystroke`,
    );
    await context.close();
  }
});
