// Every page of every role in zh-CN, on the demo content, must read in Chinese: the visible text may hold Latin-script
// words only from a short allow-list (product and format names, metrics, abbreviations of the trade). Values a person
// typed or the system assigned (usernames, numbers, codes: inputs and `.mono` text) are not words of the portal and are
// left out. Also checked after a form is submitted wrong (the sign-in form, empty and with a wrong password).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, startPortal } from './support/portal-harness.mjs';

// Product, format and metric names (Label Studio's JSON-MIN among them), abbreviations of the trade and file-size units (KB, MB), key names, option letters, and the column names a
// person writes into the portal's file formats (bulk verification: number,name; calibration: answer).
const ALLOWED = new Set(
  `AI API CSV PDF KB MB GB IoU F JSON JSONL MIN Lines XML GIFT Moodle Excel Label Studio LLM SFT RLHF CER Cohen Cohen's kappa Kendall tau QR URL ID IP
   HTML UTF BOM JPEG PNG WAV MP3 DOCX TP FP FN TN Precision Recall token ChatGPT Photoshop PowerPoint bad case few shot temperature
   kHz KB HF A B C D E Open Badges VC JWT EdDSA OB WCAG Redis MySQL SQLite Shift Delete Ctrl Z Enter Esc Tab number name answer`
    .split(/\s+/)
    .filter(Boolean),
);

const PAGES = {
  'demo.student': ['/student', '/student/exams', '/student/labelling', '/practice/prompt-tasks'],
  'demo.instructor': ['/instructor', '/instructor/exams', '/instructor/question-bank', '/instructor/labelling', '/prompt-tasks', '/reviews'],
  'demo.school': ['/school'],
  'demo.org': ['/org', '/org/exam-sessions', '/org/certificates', '/prompt-tasks', '/reviews'],
  'demo.bureau': ['/bureau'],
  'demo.admin': ['/admin', '/admin/queues'],
};

let portal;
const { api, login } = apiClient(() => portal.baseUrl);

/** The Latin-script words of the page's visible text outside inputs, `.mono` values and code. */
async function latinWords(page) {
  const text = await page.evaluate(() => {
    // A select's shown value is a chosen value like an input's (an Ant select, nz-select, as a native one).
    const skip = (el) => el.closest('input, textarea, select, nz-select, code, pre, .mono, [translate="no"], [data-testid="current-user"], [data-testid="lang-switch"]');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || !el.checkVisibility()) continue;
      out.push(n.textContent);
    }
    return out.join(' ');
  });
  // A word: Latin letters not glued to another letter, a digit or a dot (so `.jsonl`, `κw`, `p_o` and `v1` are codes,
  // not words); tokens with digits or underscores (versions, ids, column keys) are codes too.
  const tokens = text.match(/(?<![\p{L}\p{N}_.])[A-Za-z][A-Za-z0-9_']*/gu) ?? [];
  return [...new Set(tokens.filter((w) => !/[0-9_]/.test(w)))].filter((w) => !ALLOWED.has(w));
}

describe('the zh-CN portal reads in Chinese on every page', { timeout: 300_000 }, () => {
  before(async () => {
    portal = await startPortal('zh-latin', { DEMO_CONTENT: 'true' });
  });
  after(async () => portal?.stop());

  test('every page of every role, with the demo content', async () => {
    const found = [];
    const student = await login('demo.student');
    const [course] = await api(student, 'GET', '/my/courses');
    const courseView = await api(student, 'GET', `/my/courses/${course.courseId}`);
    const lessonKey = courseView.modules?.[0]?.lessons?.[0]?.key;
    const exercises = await api(student, 'GET', '/labelling/exercises');
    const extra = {
      'demo.student': [`/student/courses/${course.courseId}`, ...(lessonKey ? [`/student/courses/${course.courseId}/lessons/${lessonKey}`] : []), ...exercises.slice(0, 12).map((e) => `/student/labelling/${e.id}`)],
    };
    for (const [username, paths] of Object.entries(PAGES)) {
      const context = await portal.browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${portal.baseUrl}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill('Demo@2026');
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      for (const p of [...paths, ...(extra[username] ?? [])]) {
        await page.goto(`${portal.baseUrl}${p}`);
        await page.waitForLoadState('networkidle');
        const words = await latinWords(page);
        if (words.length) found.push(`${username} ${p}: ${words.join(', ')}`);
      }
      await context.close();
    }
    assert.deepEqual(found, [], `Latin-script words in the zh-CN portal:\n${found.join('\n')}`);
  });

  test('the sign-in page, and after submitting it wrong', async () => {
    const context = await portal.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByTestId('demo-accounts').waitFor();
    assert.deepEqual(await latinWords(page), []);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.deepEqual(await latinWords(page), []);
    await page.getByTestId('login-username').fill('demo.student');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').filter({ hasText: '不正确' }).waitFor();
    assert.deepEqual(await latinWords(page), []);
    await context.close();
  });
});
