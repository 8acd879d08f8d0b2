import type { ImportNote, MatchPair, NumericAnswer, QuestionContent, QuestionOption, QuestionType, WeightedAnswer } from '@aitrainer/contracts';
import { optionKey, type ImportReport } from '@aitrainer/domain';
import { escapeHtml, toBankText, type MoodleText } from './moodle-text';
import { weightsFor, type BankMeta } from './moodle-writer';

/** One answer as Moodle's importers build it (`$question->answer[]`, `->fraction[]`, `->feedback[]`). */
export interface MoodleAnswer {
  text: MoodleText;
  /** Moodle's fraction, -1..1 (GIFT `%50%` is 0.5, XML `fraction="50"` is 0.5). */
  fraction: number;
  feedback: MoodleText;
  /** numerical: `value:tolerance` or `min..max`; `*` is Moodle's "any other answer". */
  tolerance?: number;
}

/** A file carried inside a Moodle XML text (`<file name=".." encoding="base64">`), referenced as `@@PLUGINFILE@@/name`. */
export interface MoodleFile {
  name: string;
  content: Buffer;
}

/** A question as Moodle's format readers leave it, before the bank's rules are applied. */
export interface MoodleQuestion {
  qtype: string;
  /** The name the file gives (GIFT `::name::`, XML `<name>`), '' when none. */
  name: string;
  questiontext: MoodleText;
  generalfeedback: MoodleText;
  /** multichoice: one answer (radio buttons) or several (checkboxes). */
  single?: boolean;
  answers: MoodleAnswer[];
  truefalse?: { correct: boolean; feedbackTrue: MoodleText; feedbackFalse: MoodleText };
  /** match: prompts with their answers; a prompt with empty text is an extra wrong answer. */
  subquestions?: { text: MoodleText; answer: string }[];
  graderinfo?: MoodleText;
  /** shortanswer: case matters (XML `<usecase>1`). */
  usecase?: boolean;
  files: MoodleFile[];
  /** Things the reader met that the bank does not keep (hints, units, combined feedback ...). */
  dropped: ImportNote[];
}

/** Where a question sits in the file, what the reader made of it. */
export interface ReadItem {
  position: number;
  line: number;
  category: string | null;
  title: string;
  question?: MoodleQuestion;
  skip?: ImportNote & { reason: string };
  /** This bank's own note on reading its export back identically (moodle-writer.ts). */
  meta?: BankMeta;
}

/**
 * question_bank::fraction_options_full() (question/engine/bank.php): the only grades Moodle accepts, -100 % to 100 %.
 * Compared as match_grade_options($gradeoptionsfull, $grade, 'error') does (lib/questionlib.php): within 0.00001.
 */
const RAW_FRACTIONS = [1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0];
export const MOODLE_FRACTIONS: readonly number[] = [...RAW_FRACTIONS, ...RAW_FRACTIONS.filter((f) => f > 0).map((f) => -f)];

export function matchGrade(fraction: number): number | null {
  for (const value of MOODLE_FRACTIONS) if (Math.abs(fraction - value) < 0.00001) return value;
  return null;
}

/** A fraction as the bank's percent weight (83.33333 for 0.8333333). */
const percent = (fraction: number) => Math.round(fraction * 100 * 100000) / 100000;
const percentText = (fraction: number) => `${percent(fraction)}%`;

type Skip = ImportNote & { reason: string };
const skip = (code: string, reason: string, params?: ImportNote['params']): Skip => ({ code, reason, ...(params && { params }) });

const SKIPPED_QTYPES: Record<string, [string, string]> = {
  description: ['description', 'a description is not a question'],
  cloze: ['cloze', 'embedded-answer (cloze) questions are not in this bank: split them into separate questions'],
  multianswer: ['cloze', 'embedded-answer (cloze) questions are not in this bank: split them into separate questions'],
  calculated: ['calculated', 'calculated questions (formulas with wildcards) are not in this bank'],
  calculatedsimple: ['calculated', 'calculated questions (formulas with wildcards) are not in this bank'],
  calculatedmulti: ['calculated', 'calculated questions (formulas with wildcards) are not in this bank'],
  randomsamatch: ['random_matching', 'random short-answer matching draws from a Moodle category and is not in this bank'],
};

export interface ConvertedQuestion {
  type: QuestionType;
  content: QuestionContent;
  changes: ImportNote[];
  files: MoodleFile[];
}

/**
 * A Moodle question as a bank question, by Moodle's own rules, or the reason it is refused. Refused as Moodle
 * refuses them: a grade that is not one of Moodle's (question/format.php importprocess: "invalidgradequestion",
 * naming the question), a single-answer question with no 100 % answer (qtype_multichoice save_question_options:
 * fractionsnomax), a multiple-answer question whose positive grades do not add up to 100 % (fractionsaddwrong), a
 * short-answer or numerical question with no 100 % answer (edit_shortanswer_form validation: fractionsnomax).
 */
export function convertMoodleQuestion(q: MoodleQuestion): ConvertedQuestion | Skip {
  const known = SKIPPED_QTYPES[q.qtype];
  if (known) return skip(known[0], known[1]);
  const changes: ImportNote[] = [...q.dropped];
  // One format per question: when any text is HTML, plain texts are escaped into HTML so nothing shows differently.
  const shown = [q.questiontext, q.generalfeedback, ...q.answers.map((a) => a.feedback), ...(q.qtype === 'multichoice' ? q.answers.map((a) => a.text) : [])];
  if (q.truefalse) shown.push(q.truefalse.feedbackTrue, q.truefalse.feedbackFalse);
  if (q.graderinfo) shown.push(q.graderinfo);
  for (const s of q.subquestions ?? []) shown.push(s.text);
  const html = shown.some((t) => toBankText(t).html);
  const text = (field: string, t: MoodleText): string => {
    const value = toBankText(t);
    if (value.removed.length) changes.push({ code: 'html_removed', params: { field, removed: value.removed.join(', ') } });
    return html && !value.html ? escapeHtml(value.text) : value.text;
  };
  const stem = text('stem', q.questiontext);
  if (!toBankText(q.questiontext).text) return skip('empty_stem', 'the question text is empty');
  const general = text('feedback', q.generalfeedback);

  const invalid = q.answers.map((a) => a.fraction).filter((f) => matchGrade(f) === null);
  if (invalid.length) {
    const grades = invalid.map(percentText).join(', ');
    return skip('invalid_grade', `grade(s) ${grades} of question "${q.name}" are not among Moodle's allowed grades (question/format.php: invalidgradequestion)`, { grades, name: q.name });
  }
  const answers = q.answers.map((a) => ({ ...a, fraction: matchGrade(a.fraction)! }));
  const maxFraction = Math.max(0, ...answers.map((a) => a.fraction));

  let type: QuestionType;
  const content: Omit<QuestionContent, 'stem'> = {};
  switch (q.qtype) {
    case 'essay': {
      type = 'short_answer';
      const rubric = q.graderinfo ? text('rubric', q.graderinfo) : '';
      if (rubric) content.rubric = rubric;
      break;
    }
    case 'truefalse': {
      if (!q.truefalse) return skip('invalid_truefalse', 'a true/false question needs a "true" or "false" answer with grade 100 %');
      type = 'true_false';
      content.answer = q.truefalse.correct;
      const t = text('trueFeedback', q.truefalse.feedbackTrue);
      const f = text('falseFeedback', q.truefalse.feedbackFalse);
      if (t) content.trueFeedback = t;
      if (f) content.falseFeedback = f;
      break;
    }
    case 'multichoice': {
      if (answers.length < 2) return skip('too_few_answers', 'a multiple-choice question needs at least 2 answers', { min: 2 });
      const options: QuestionOption[] = answers.map((a, i) => {
        const optionText = text(`options[${i}].text`, a.text);
        const feedback = text(`options[${i}].feedback`, a.feedback);
        return { key: optionKey(i), text: optionText, ...(feedback && { feedback }), weight: percent(a.fraction) };
      });
      if (q.single !== false) {
        if (Math.abs(maxFraction - 1) > 1e-7) return skip('single_no_full', `one answer must be worth 100 % in a single-answer question; the best is ${percentText(maxFraction)} (qtype_multichoice: fractionsnomax)`, { max: percentText(maxFraction) });
        type = 'single_choice';
        const correct = options.filter((o) => o.weight === 100).map((o) => o.key);
        // Only the right answer earns points and the rest none: the plain form. Otherwise every option keeps its weight.
        const plain = correct.length === 1 && options.every((o) => o.weight === 100 || o.weight === 0);
        content.options = plain ? options.map(({ weight: _w, ...o }) => o) : options;
        content.correctKeys = correct;
      } else {
        const sum = Math.round(answers.filter((a) => a.fraction > 0).reduce((s, a) => s + a.fraction, 0) * 100) / 100;
        if (sum !== 1) return skip('multiple_sum', `the positive grades of a multiple-answer question must add up to 100 %; they add up to ${Math.round(sum * 100)}% (qtype_multichoice: fractionsaddwrong)`, { sum: `${Math.round(sum * 100)}%` });
        type = 'multiple_choice';
        content.options = options;
        content.correctKeys = options.filter((o) => (o.weight ?? 0) > 0).map((o) => o.key);
        content.multipleScoring = 'weighted';
      }
      break;
    }
    case 'shortanswer': {
      if (!answers.length) return skip('too_few_answers', 'a short-answer question needs at least 1 answer', { min: 1 });
      if (Math.abs(maxFraction - 1) > 1e-7) return skip('no_full_answer', `one answer must be worth 100 %; the best is ${percentText(maxFraction)} (edit_shortanswer_form: fractionsnomax)`, { max: percentText(maxFraction) });
      type = 'fill_blank';
      const accepted: string[] = [];
      const acceptedFeedback: string[] = [];
      const partial: WeightedAnswer[] = [];
      answers.forEach((a, i) => {
        const feedback = text(`answers[${i}].feedback`, a.feedback);
        const answerText = a.text.text.trim();
        if (a.fraction === 1) {
          accepted.push(answerText);
          acceptedFeedback.push(feedback);
        } else {
          if (a.fraction < 0) changes.push({ code: 'negative_answer_floored', params: { answer: answerText, weight: percentText(a.fraction) } });
          partial.push({ text: answerText, weight: Math.max(0, percent(a.fraction)), ...(feedback && { feedback }) });
        }
      });
      content.acceptedAnswers = accepted;
      if (acceptedFeedback.some(Boolean)) content.acceptedFeedback = acceptedFeedback;
      if (partial.length) content.partialAnswers = partial;
      if (answers.some((a) => /(?<!\\)\*/.test(a.text.text))) content.wildcards = true;
      if (q.usecase) changes.push({ code: 'case_ignored' });
      break;
    }
    case 'numerical': {
      const graded = answers.filter((a) => a.text.text.trim() !== '*');
      if (graded.length < answers.length) changes.push({ code: 'other_answer_dropped' });
      if (!graded.length) return skip('too_few_answers', 'a numerical question needs at least 1 answer', { min: 1 });
      if (Math.abs(Math.max(0, ...graded.map((a) => a.fraction)) - 1) > 1e-7) return skip('no_full_answer', `one answer must be worth 100 %; the best is ${percentText(maxFraction)} (fractionsnomax)`, { max: percentText(maxFraction) });
      const numeric: NumericAnswer[] = [];
      for (const [i, a] of graded.entries()) {
        const value = Number(a.text.text.trim());
        const tolerance = a.tolerance ?? 0;
        if (!Number.isFinite(value) || !Number.isFinite(tolerance)) return skip('not_a_number', `answer "${a.text.text}" is not a number`, { answer: a.text.text });
        const feedback = text(`numericAnswers[${i}].feedback`, a.feedback);
        if (a.fraction < 0) changes.push({ code: 'negative_answer_floored', params: { answer: a.text.text, weight: percentText(a.fraction) } });
        numeric.push({ value, tolerance: Math.abs(tolerance), weight: Math.max(0, percent(a.fraction)), ...(feedback && { feedback }) });
      }
      type = 'numerical';
      content.numericAnswers = numeric;
      break;
    }
    case 'match': {
      const subs = q.subquestions ?? [];
      const pairs: MatchPair[] = [];
      const distractors: string[] = [];
      subs.forEach((s, i) => {
        const prompt = toBankText(s.text).text ? text(`pairs[${i}].prompt`, s.text) : '';
        if (prompt) pairs.push({ key: String(pairs.length + 1), prompt, answer: s.answer.trim() });
        else if (s.answer.trim()) distractors.push(s.answer.trim());
      });
      if (pairs.length < 2) return skip('too_few_answers', 'a matching question needs at least 2 pairs', { min: 2 });
      type = 'matching';
      content.pairs = pairs;
      if (distractors.length) content.distractors = distractors;
      break;
    }
    default:
      return skip('unsupported_type', `question type "${q.qtype}" is not in this bank`, { type: q.qtype });
  }

  const finalContent: QuestionContent = { stem, ...content };
  if (html) finalContent.format = 'html';
  if (general) finalContent.feedback = general;
  if (q.name) finalContent.name = q.name;
  return { type, content: finalContent, changes, files: q.files };
}

/**
 * Moodle's category path as the bank's knowledge-point path: the context marker (`$course$`, `$system$`,
 * `$module$`, `$cat1$`) and the context's `top` category are Moodle's bookkeeping, the rest is the instructor's path.
 */
export function categoryPath(category: string | null): string {
  if (!category) return '';
  const parts = category.split('/').map((p) => p.trim()).filter(Boolean);
  if (parts[0] && /^\$[a-z0-9]+\$$/i.test(parts[0])) parts.shift();
  if (parts[0] === 'top') parts.shift();
  return parts.join('/');
}

/** Reader output through the converter: the bank's import report (questions with their changes, skips with codes). */
export function toImportReport(items: readonly ReadItem[]): ImportReport & { files: Map<number, MoodleFile[]> } {
  const report: ImportReport & { files: Map<number, MoodleFile[]> } = { questions: [], skipped: [], files: new Map() };
  for (const item of items) {
    const base = { position: item.position, line: item.line, title: item.title };
    if (item.skip || !item.question) {
      const s = item.skip ?? skip('unreadable', 'the question could not be read');
      report.skipped.push({ ...base, reason: s.reason, code: s.code, ...(s.params && { params: s.params }) });
      continue;
    }
    const converted = convertMoodleQuestion(item.question);
    if ('reason' in converted) {
      report.skipped.push({ ...base, reason: converted.reason, code: converted.code, ...(converted.params && { params: converted.params }) });
      continue;
    }
    if (item.meta) applyMeta(converted, item.meta);
    const path = categoryPath(item.category);
    report.questions.push({ ...base, category: path || null, type: converted.type, content: converted.content, changes: converted.changes });
    if (converted.files.length) report.files.set(item.position, converted.files);
  }
  return report;
}

/**
 * A question this bank exported reads back as it was: multiple choice scored all-or-nothing or right-minus-wrong
 * was written with Moodle weights (+100/n, -100/n), and returns to its own scoring only while the weights are
 * exactly those (a file edited in Moodle keeps the weights it now has). A GIFT essay gets its rubric back.
 */
function applyMeta(q: ConvertedQuestion, meta: BankMeta): void {
  if (meta.rubric && q.type === 'short_answer' && !q.content.rubric) q.content.rubric = meta.rubric;
  if (meta.multipleScoring !== undefined && q.type === 'multiple_choice' && q.content.multipleScoring === 'weighted') {
    const weights = (q.content.options ?? []).map((o) => o.weight ?? 0);
    const expected = weightsFor(q.content);
    if (weights.every((w, i) => Math.abs(w - expected[i]!) < 1e-9)) {
      q.content.options = (q.content.options ?? []).map(({ weight: _w, ...o }) => o);
      if (meta.multipleScoring === null) delete q.content.multipleScoring;
      else q.content.multipleScoring = meta.multipleScoring;
    }
  }
}
