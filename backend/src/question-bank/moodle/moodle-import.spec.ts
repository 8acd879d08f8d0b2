import { scoreObjective } from '@aitrainer/domain';
import type { ImportedQuestion, ImportReport } from '@aitrainer/domain';
import { readMoodleXml } from '../moodle-xml';
import { readGift } from './gift-reader';
import { categoryPath, matchGrade, toImportReport } from './moodle-question';
import { sanitiseHtml } from './moodle-text';

/**
 * Every rule here is Moodle's own, cited by file and function:
 *   gift  = question/format/gift/format.php (qformat_gift::readquestion and helpers)
 *   xml   = question/format/xml/format.php (qformat_xml)
 *   core  = question/format.php (qformat_default::importprocess) and lib/questionlib.php (match_grade_options)
 *   bank  = question/engine/bank.php (question_bank::fraction_options_full)
 *   mc    = question/type/multichoice/questiontype.php (save_question_options: fractionsnomax / fractionsaddwrong)
 *   sa    = question/type/shortanswer/edit_shortanswer_form.php (validation: fractionsnomax)
 */
const gift = (source: string): ImportReport => toImportReport(readGift(source));
const one = (source: string): ImportedQuestion => {
  const r = gift(source);
  expect(r.skipped).toEqual([]);
  expect(r.questions).toHaveLength(1);
  return r.questions[0]!;
};
const skipped = (source: string) => {
  const r = gift(source);
  expect(r.questions).toEqual([]);
  return r.skipped[0]!;
};
const score = (q: ImportedQuestion, value: Parameters<typeof scoreObjective>[2]) => scoreObjective(q.type, q.content, value, 10)?.score;

describe('GIFT single versus multiple answer (gift readquestion: single = the block contains "=")', () => {
  it('{~wrong ~%50%half =full} is single answer: the full answer scores 100 %, "half" 50 %, "wrong" 0', () => {
    const q = one('Q {~wrong ~%50%half =full}');
    expect(q.type).toBe('single_choice');
    expect(q.content.correctKeys).toEqual(['C']);
    expect([score(q, 'A'), score(q, 'B'), score(q, 'C')]).toEqual([0, 5, 10]);
  });

  it('{=right ~wrong ~wrong} is the plain single-choice form (no weights stored)', () => {
    const q = one('Q {=right ~wrong1 ~wrong2}');
    expect(q.content).toEqual({ stem: 'Q', options: [{ key: 'A', text: 'right' }, { key: 'B', text: 'wrong1' }, { key: 'C', text: 'wrong2' }], correctKeys: ['A'] });
  });

  it('{~%100%a ~%-50%b ~%-50%c} has no "=", so it is multiple answer; negative picks pull the score down, floored at 0', () => {
    const q = one('Q {~%100%a ~%-50%b ~%-50%c}');
    expect(q.type).toBe('multiple_choice');
    expect(q.content.multipleScoring).toBe('weighted');
    expect(q.content.options!.map((o) => o.weight)).toEqual([100, -50, -50]);
    expect([score(q, ['A']), score(q, ['A', 'B']), score(q, ['A', 'B', 'C']), score(q, ['B'])]).toEqual([10, 5, 0, 0]);
  });

  it('{~%50%2 ~%50%3} is a multiple-answer question (contains "~"), not a short answer', () => {
    const q = one('Which are primes? {~%50%2 ~%50%3 ~%-100%4}');
    expect(q.type).toBe('multiple_choice');
    expect(q.content.correctKeys).toEqual(['A', 'B']);
    expect([score(q, ['A']), score(q, ['A', 'B']), score(q, ['A', 'B', 'C'])]).toEqual([5, 10, 0]);
  });

  it('picking every option of {~%50%a ~%50%b ~c} scores 100 %, as Moodle (wrong options weigh 0 unless negative)', () => {
    expect(score(one('Q {~%50%a ~%50%b ~c}'), ['A', 'B', 'C'])).toBe(10);
  });
});

describe('grades (core importprocess + match_grade_options "error" + bank fraction_options_full)', () => {
  it('accepts exactly the allowed fractions, within 0.00001', () => {
    expect(matchGrade(0.3333333)).toBe(0.3333333);
    expect(matchGrade(0.333333)).toBe(0.3333333);
    expect(matchGrade(0.33)).toBeNull();
    expect(matchGrade(-0.1428571)).toBe(-0.1428571);
    expect(matchGrade(0.15)).toBeNull();
  });

  it('refuses a 33 % weight and names the question and the grade', () => {
    const s = skipped('::Third:: Q {~%33%a ~%33%b ~%34%c}');
    expect(s).toMatchObject({ title: 'Third', code: 'invalid_grade', params: { grades: '33%, 33%, 34%', name: 'Third' } });
    expect(s.reason).toMatch(/Third/);
  });

  it('accepts 33.33333 % (one third)', () => {
    expect(one('Q {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}').type).toBe('multiple_choice');
  });

  it('refuses multiple-answer weights adding up to 200 % and to 60 % (mc fractionsaddwrong)', () => {
    expect(skipped('::Two hundred:: Q {~%100%a ~%100%b ~c}')).toMatchObject({ title: 'Two hundred', code: 'multiple_sum', params: { sum: '200%' } });
    expect(skipped('Q {~%30%a ~%30%b ~c}')).toMatchObject({ code: 'multiple_sum', params: { sum: '60%' } });
  });

  it('refuses a single-answer question whose best answer is below 100 % (mc fractionsnomax)', () => {
    // "=" makes it single answer; "=%50%x" is weight 1 with text "%50%x", so use an XML file for a 50 % best answer.
    const xml = `<quiz><question type="multichoice"><name><text>Half</text></name><questiontext><text>Q</text></questiontext>
      <single>true</single><answer fraction="50"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>`;
    const r = toImportReport(readMoodleXml(xml));
    expect(r.skipped[0]).toMatchObject({ title: 'Half', code: 'single_no_full', params: { max: '50%' } });
  });

  it('refuses a short answer with no 100 % answer (sa fractionsnomax)', () => {
    expect(skipped('Q {=%50%cat =%50%kitten}')).toMatchObject({ code: 'no_full_answer', params: { max: '50%' } });
  });
});

describe('format markers (gift parse_text_with_format, xml trans_format)', () => {
  it('[plain] and [moodle] are text: the marker never stays', () => {
    const q = one('[plain]Pick blue {=[plain]blue ~[moodle]red}');
    expect(q.content.stem).toBe('Pick blue');
    expect(q.content.options!.map((o) => o.text)).toEqual(['blue', 'red']);
    expect(q.content.format).toBeUndefined();
  });

  it('[html] is kept as sanitised HTML: tags stay, scripts and event handlers go and are reported', () => {
    const q = one('[html]<p>Which is <b>bold</b>?<script>alert(1)</script></p> {=<i onclick\\="x()">this</i> ~that####[html]Here is some <em>general</em> feedback!}');
    expect(q.content.format).toBe('html');
    expect(q.content.stem).toBe('<p>Which is <b>bold</b>?</p>');
    expect(q.content.options!.map((o) => o.text)).toEqual(['<i>this</i>', 'that']);
    expect(q.content.feedback).toBe('Here is some <em>general</em> feedback!');
    expect(q.changes).toEqual(expect.arrayContaining([{ code: 'html_removed', params: { field: 'stem', removed: 'script' } }, { code: 'html_removed', params: { field: 'options[0].text', removed: 'i[onclick]' } }]));
  });

  it('[markdown] is rendered to HTML, with the marker gone', () => {
    const q = one('[markdown]Is **this** right? {=[markdown]*yes* ~no}');
    expect(q.content.format).toBe('html');
    expect(q.content.stem).toBe('<p>Is <strong>this</strong> right?</p>');
    expect(q.content.options![0]!.text).toBe('<p><em>yes</em></p>');
    // An answer without a marker takes the question text's format (gift commentparser default), so it is Markdown too.
    expect(q.content.options![1]!.text).toBe('<p>no</p>');
  });

  it('plain text in an HTML question is escaped, so "<" still shows as "<"', () => {
    const q = one('[html]<p>Compare</p> {=[plain]a < b ~[plain]a > b}');
    expect(q.content.options!.map((o) => o.text)).toEqual(['a &lt; b', 'a &gt; b']);
  });

  it('the sanitiser drops javascript: links and keeps @@PLUGINFILE@@ images', () => {
    expect(sanitiseHtml('<a href="javascript:alert(1)">x</a><img src="@@PLUGINFILE@@/a.png" onerror="y">').html).toBe('<a>x</a><img src="@@PLUGINFILE@@/a.png">');
  });
});

describe('what instructors wrote is kept', () => {
  it('per-answer feedback on choices (gift commentparser)', () => {
    const q = one('Q {=right#Yes, because. ~wrong#No: read again.}');
    expect(q.content.options).toEqual([
      { key: 'A', text: 'right', feedback: 'Yes, because.' },
      { key: 'B', text: 'wrong', feedback: 'No: read again.' },
    ]);
  });

  it('true/false feedback: the first # is for the wrong answer, the second for the right one (gift split_truefalse_comment)', () => {
    const q = one('The sun is a star. {TRUE#Wrong: it is.#Right: it is a star.}');
    expect(q.content).toMatchObject({ answer: true, trueFeedback: 'Right: it is a star.', falseFeedback: 'Wrong: it is.' });
    expect(one('Q {F#no#yes}').content).toMatchObject({ answer: false, trueFeedback: 'no', falseFeedback: 'yes' });
  });

  it('partial credit on short answers: "Cat" at 50 % scores half (gift shortanswer answerweightparser)', () => {
    const q = one('Name the animal. {=Lion#Right =%50%Cat#Close: a big one}');
    expect(q.content).toMatchObject({ acceptedAnswers: ['Lion'], acceptedFeedback: ['Right'], partialAnswers: [{ text: 'Cat', weight: 50, feedback: 'Close: a big one' }] });
    expect([score(q, 'lion'), score(q, 'cat'), score(q, 'dog')]).toEqual([10, 5, 0]);
  });

  it('the question name, and the full category path as a knowledge-point path', () => {
    const r = gift('$CATEGORY: $course$/Iota/Kappa\n\n::My name:: Q {T}\n');
    expect(r.questions[0]).toMatchObject({ title: 'My name', category: 'Iota/Kappa', content: { name: 'My name' } });
    expect(categoryPath('$course$/top/Iota/Kappa')).toBe('Iota/Kappa');
    expect(categoryPath('Plain/Path')).toBe('Plain/Path');
  });

  it('missing-word format puts "_____" where the block was (gift readquestion)', () => {
    expect(one('Moodle costs {~lots =nothing} to download.').content.stem).toBe('Moodle costs _____ to download.');
  });

  it('escapes \\: \\= \\# \\{ \\} \\~ and \\n (gift escapedchar_pre/post)', () => {
    const q = one('a \\= b \\{c\\} \\: d {=x \\~ y\\#z ~w\\nv}');
    expect(q.content.stem).toBe('a = b {c} : d');
    expect(q.content.options!.map((o) => o.text)).toEqual(['x ~ y#z', 'w\nv']);
  });
});

describe('numerical and matching', () => {
  it('numerical {#3.14:0.01}, {#1..5} and several graded answers (gift numerical)', () => {
    const pi = one('Pi? {#3.14:0.01}');
    expect(pi).toMatchObject({ type: 'numerical', content: { numericAnswers: [{ value: 3.14, tolerance: 0.01, weight: 100 }] } });
    expect([score(pi, '3.145'), score(pi, '3.2'), score(pi, 'abc')]).toEqual([10, 0, 0]);
    const range = one('Between? {#1..5}');
    expect(range.content.numericAnswers).toEqual([{ value: 3, tolerance: 2, weight: 100 }]);
    const graded = one('When? {#=1822:0#Exact =%50%1822:2#Close}');
    expect(graded.content.numericAnswers).toEqual([
      { value: 1822, tolerance: 0, weight: 100, feedback: 'Exact' },
      { value: 1822, tolerance: 2, weight: 50, feedback: 'Close' },
    ]);
    expect([score(graded, '1822'), score(graded, '1823'), score(graded, '1830')]).toEqual([10, 5, 0]);
  });

  it('matching {=a -> 1 =b -> 2 =c -> 3}: pairs, scored by the share matched right (gift match)', () => {
    const q = one('Capitals {=Canada -> Ottawa =Italy -> Rome =Japan -> Tokyo}');
    expect(q.type).toBe('matching');
    expect(q.content.pairs).toEqual([
      { key: '1', prompt: 'Canada', answer: 'Ottawa' },
      { key: '2', prompt: 'Italy', answer: 'Rome' },
      { key: '3', prompt: 'Japan', answer: 'Tokyo' },
    ]);
    expect(score(q, { 1: 'Ottawa', 2: 'Rome', 3: 'Tokyo' })).toBe(10);
    expect(score(q, { 1: 'Ottawa', 2: 'Tokyo', 3: 'Rome' })).toBe(3.333);
  });

  it('a description is skipped with a reason; an essay becomes a short answer', () => {
    expect(skipped('Just some text.')).toMatchObject({ code: 'description' });
    expect(one('Explain. {}').type).toBe('short_answer');
  });
});

describe('Moodle XML', () => {
  const xml = (body: string) => toImportReport(readMoodleXml(`<?xml version="1.0" encoding="UTF-8"?><quiz>${body}</quiz>`));

  it('single from <single> (default true); html the default question text format; per-answer feedback', () => {
    const r = xml(`<question type="category"><category><text>$course$/top/Iota/Kappa</text></category></question>
      <question type="multichoice"><name><text>Multi</text></name><questiontext format="html"><text><![CDATA[<p>Pick <b>two</b></p>]]></text></questiontext>
      <single>false</single>
      <answer fraction="50" format="html"><text>a</text><feedback><text>good</text></feedback></answer>
      <answer fraction="50"><text>b</text></answer><answer fraction="-100"><text>c</text></answer></question>`);
    expect(r.questions[0]).toMatchObject({ title: 'Multi', category: 'Iota/Kappa', type: 'multiple_choice', content: { format: 'html', stem: '<p>Pick <b>two</b></p>', options: [{ text: 'a', feedback: 'good', weight: 50 }, { text: 'b', weight: 50 }, { text: 'c', weight: -100 }] } });
  });

  it('an html text without markup is stored as plain text', () => {
    const r = xml(`<question type="truefalse"><name><text>TF</text></name><questiontext format="html"><text>Is 2 &gt; 1?</text></questiontext>
      <answer fraction="100"><text>true</text><feedback><text>yes</text></feedback></answer><answer fraction="0"><text>false</text><feedback><text>no</text></feedback></answer></question>`);
    expect(r.questions[0]!.content).toEqual({ stem: 'Is 2 > 1?', answer: true, trueFeedback: 'yes', falseFeedback: 'no', name: 'TF' });
  });

  it('@@PLUGINFILE@@ files come out with the question (xml import_text_with_files)', () => {
    const audio = Buffer.from('ID3 fake mp3 bytes').toString('base64');
    const r = xml(`<question type="shortanswer"><name><text>Listen</text></name>
      <questiontext format="html"><text><![CDATA[<p>What does she say? <audio controls src="@@PLUGINFILE@@/bonjour.mp3"></audio></p>]]></text>
      <file name="bonjour.mp3" path="/" encoding="base64">${audio}</file></questiontext>
      <answer fraction="100"><text>bonjour</text></answer></question>`);
    expect(r.questions[0]!.content.stem).toContain('src="@@PLUGINFILE@@/bonjour.mp3"');
    expect(r.files.get(1)).toEqual([{ name: 'bonjour.mp3', content: Buffer.from('ID3 fake mp3 bytes') }]);
  });

  it('reports what the bank does not keep: hints, combined feedback, tags, units, a default mark other than 1', () => {
    const r = xml(`<question type="numerical"><name><text>N</text></name><questiontext><text>How many?</text></questiontext><defaultgrade>2</defaultgrade>
      <answer fraction="100"><text>4</text><tolerance>0</tolerance></answer><units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units>
      <correctfeedback><text>Well done</text></correctfeedback><hint><text>Count again</text></hint><tags><tag><text>geo</text></tag></tags></question>`);
    expect(r.questions[0]!.changes!.map((c) => c.code).sort()).toEqual(['combined_feedback_dropped', 'default_mark_ignored', 'hints_dropped', 'tags_dropped', 'units_dropped']);
  });

  it('refuses an invalid fraction naming the question, and cloze with a reason', () => {
    const r = xml(`<question type="multichoice"><name><text>Bad grade</text></name><questiontext><text>Q</text></questiontext><single>true</single>
      <answer fraction="100"><text>a</text></answer><answer fraction="33"><text>b</text></answer></question>
      <question type="cloze"><name><text>Cloze</text></name><questiontext><text>{1:SHORTANSWER:=x}</text></questiontext></question>`);
    expect(r.skipped.map((s) => [s.title, s.code])).toEqual([['Bad grade', 'invalid_grade'], ['Cloze', 'cloze']]);
  });
});
