// A candidate reads the review of a published result: each question with its image (an imported Moodle file, served
// through the attempt), their answer, the feedback written for what they chose and the general feedback, in Chinese
// and then in English; never the feedback of an option they did not choose. Before publication there is no review.
// Run after building both apps:  node --test frontend/e2e/exam-review.e2e.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, PASSWORD, SCREENS, startPortal } from './support/portal-harness.mjs';

let portal;
let baseUrl;
let browser;
const { api, login } = apiClient(() => baseUrl);

before(async () => {
  portal = await startPortal('exam-review');
  ({ baseUrl, browser } = portal);
});
after(async () => portal?.stop());

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const AREA = '复核演示';
const EXAM = '答卷复核演示考试';
const xml = `<?xml version="1.0" encoding="UTF-8"?><quiz>
  <question type="multichoice"><name><text>框选图</text></name>
    <questiontext format="html"><text><![CDATA[<p>图中框住的是什么？<img src="@@PLUGINFILE@@/box.png" alt="框"></p>]]></text>
      <file name="box.png" path="/" encoding="base64">${PNG}</file></questiontext>
    <generalfeedback format="html"><text>框的标签要与类别表一致。</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>汽车</text><feedback><text>对：这是一辆汽车。</text></feedback></answer>
    <answer fraction="0"><text>行人</text><feedback><text>不对：行人更高更窄。</text></feedback></answer>
  </question>
  <question type="truefalse"><name><text>规范</text></name>
    <questiontext><text>标注前应先阅读标注规范。</text></questiontext>
    <answer fraction="100"><text>true</text><feedback><text>是的，先读规范。</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>再想想。</text></feedback></answer>
  </question>
</quiz>`;

test('the review shows answers, the chosen feedback and the general feedback with the image, only after publication', async () => {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const student = await api(null, 'POST', '/auth/login', { username: 'demo.student', password: PASSWORD });
  const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: AREA, knowledgePoint: '标注规范', difficulty: 'medium' };
  // The bank import takes the file as multipart form data, as the portal sends it.
  const form = new FormData();
  form.set('format', 'moodle_xml');
  form.set('tags', JSON.stringify(tags));
  form.set('file', new Blob([xml], { type: 'application/xml' }), 'review.xml');
  const importRes = await fetch(`${baseUrl}/api/v1/question-bank/imports`, { method: 'POST', headers: { Authorization: `Bearer ${instructor}` }, body: form });
  assert.equal(importRes.status, 200, await importRes.clone().text());
  const imported = await importRes.json();
  const [image, tf] = await Promise.all(imported.imported.map((q) => api(instructor, 'GET', `/question-bank/questions/${q.questionId}`)));
  const exam = await api(instructor, 'POST', '/exams', {
    title: EXAM,
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
    blueprint: [
      { part: 'theory', type: 'single_choice', count: 1, points: 50, dutyAreas: [AREA] },
      { part: 'theory', type: 'true_false', count: 1, points: 50, dutyAreas: [AREA] },
    ],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  const session = await api(admin, 'POST', '/exam-sessions', { examId: exam.id, venue: '考点 复核', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  const reg = await api(admin, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: student.user.id });
  const attempt = await api(student.accessToken, 'POST', `/exam-registrations/${reg.id}/attempts`, { part: 'theory' });
  const wrongKey = image.content.options.find((o) => o.text === '行人').key;
  await api(student.accessToken, 'PUT', `/attempts/${attempt.id}/answers/${image.id}`, { seq: 1, value: wrongKey });
  await api(student.accessToken, 'PUT', `/attempts/${attempt.id}/answers/${tf.id}`, { seq: 1, value: true });
  await api(student.accessToken, 'POST', `/attempts/${attempt.id}/submit`);
  // The worker scores it; until the result is published the candidate has no review.
  const end = Date.now() + 30_000;
  while ((await api(instructor, 'GET', `/exam-registrations/${reg.id}/result`).catch(() => ({}))).status !== 'provisional') {
    assert.ok(Date.now() < end, 'scored in time');
    await new Promise((r) => setTimeout(r, 200));
  }
  await assert.rejects(api(student.accessToken, 'GET', `/exam-registrations/${reg.id}/review`), /404/);
  await api(admin, 'POST', `/exam-sessions/${session.id}/results/publish`);

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('link-exams').click();
    const card = page.getByTestId(`registration-${reg.id}`);
    await card.getByTestId(`result-${reg.id}`).click();
    await card.getByTestId('result').waitFor();
    await card.getByTestId(`review-open-${reg.id}`).click();
    const q1 = card.getByTestId(`review-question-${image.id}`);
    await q1.waitFor();
    const text = await q1.innerText();
    assert.match(text, /图中框住的是什么？/);
    assert.match(text, /行人\s*你的选择/);
    assert.match(text, /作答反馈：\s*不对：行人更高更窄。/);
    assert.match(text, /总体反馈：\s*框的标签要与类别表一致。/);
    assert.ok(!text.includes('对：这是一辆汽车'), 'never the feedback of an option not chosen');
    // The imported image is fetched through the attempt (with the access token) and shown.
    await page.waitForFunction((id) => {
      const img = document.querySelector(`[data-testid="review-question-${id}"] img`);
      return !!img && img.src.startsWith('blob:') && img.complete && img.naturalWidth === 1;
    }, image.id);
    const q2 = await card.getByTestId(`review-question-${tf.id}`).innerText();
    assert.match(q2, /你的作答：\s*正确/);
    assert.match(q2, /作答反馈：\s*是的，先读规范。/);
    assert.ok(!q2.includes('再想想'));
    await page.screenshot({ path: path.join(SCREENS, 'exam-review-zh.png'), fullPage: true });

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await q1.innerText(), /your choice[\s\S]*Feedback on your answer:\s*不对：行人更高更窄。[\s\S]*General feedback:\s*框的标签要与类别表一致。/);
    assert.match(await card.getByTestId(`review-question-${tf.id}`).innerText(), /Your answer:\s*True/);
    await page.screenshot({ path: path.join(SCREENS, 'exam-review-en.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
