import type { MoodleAnswer, MoodleQuestion, ReadItem } from './moodle-question';
import type { MoodleFormat, MoodleText } from './moodle-text';
import { GIFT_META_PREFIX, parseMeta } from './moodle-writer';

/**
 * GIFT, read the way Moodle's qformat_gift reads it (question/format/gift/format.php): questions are separated by
 * blank lines (qformat_default::readquestions), `//` lines are comments, `$CATEGORY:` switches the category, and
 * readquestion() decides the type from the answer block alone:
 *   no braces: description; `{}`: essay; starts with `#`: numerical; contains `~`: multichoice; contains `=` and
 *   `->`: match; `T`/`TRUE`/`F`/`FALSE` (before any `#`): truefalse; anything else: shortanswer.
 * A multichoice question is single-answer exactly when its block contains an `=` (format.php: "Multiple answers are
 * enabled if no single answer is 100% correct"), whatever the weights say.
 */

/** escapedchar_pre / escapedchar_post: `\:` `\#` `\=` `\{` `\}` `\~` `\n` become placeholders while parsing; `\\` is `\`. */
const ESCAPES: [string, string, string][] = [
  ['\\:', '\uE001', ':'],
  ['\\#', '\uE002', '#'],
  ['\\=', '\uE003', '='],
  ['\\{', '\uE004', '{'],
  ['\\}', '\uE005', '}'],
  ['\\~', '\uE006', '~'],
  ['\\n', '\uE007', '\n'],
];
const BACKSLASH = '\uE000';

function escapedcharPre(s: string): string {
  let out = s.split('\\\\').join(BACKSLASH);
  for (const [seq, placeholder] of ESCAPES) out = out.split(seq).join(placeholder);
  return out.split(BACKSLASH).join('\\');
}

function escapedcharPost(s: string): string {
  let out = s;
  for (const [, placeholder, char] of ESCAPES) out = out.split(placeholder).join(char);
  return out;
}

const FORMAT_NAMES: Record<string, MoodleFormat> = { moodle: 'moodle', html: 'html', plain: 'plain', markdown: 'markdown' };

/** parse_text_with_format: a leading `[html]`, `[moodle]`, `[markdown]` or `[plain]` sets the format (else the default). */
function textWithFormat(text: string, defaultFormat: MoodleFormat = 'moodle'): MoodleText {
  let format = defaultFormat;
  let body = text;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    const named = end > 0 ? FORMAT_NAMES[text.slice(1, end)] : undefined;
    if (named) {
      format = named;
      body = text.slice(end + 1);
    }
  }
  return { text: escapedcharPost(body).trim(), format };
}

/** commentparser: `answer#feedback`, both in the question text's format unless marked. */
function commentParser(answer: string, format: MoodleFormat): [MoodleText, MoodleText] {
  const at = answer.indexOf('#');
  if (at < 0) return [textWithFormat(answer.trim(), format), { text: '', format }];
  return [textWithFormat(answer.slice(0, at).trim(), format), textWithFormat(answer.slice(at + 1).trim(), format)];
}

const WEIGHT = /^%-*([0-9]{1,2})\.?([0-9]*)%/;

/** answerweightparser: `%50%rest` -> [0.5, 'rest'] (the number up to the second `%`, over 100). */
function answerWeight(answer: string): [number, string] {
  const body = answer.slice(1);
  const end = body.indexOf('%');
  return [Number(body.slice(0, end)) / 100, body.slice(end + 1)];
}

/** explode on a separator, dropping an empty first piece, as format.php does before counting answers. */
function explodeAnswers(text: string, separator: string): string[] {
  const parts = text.split(separator);
  if (parts.length && parts[0]!.trim() === '') parts.shift();
  return parts;
}

const empty = (format: MoodleFormat): MoodleText => ({ text: '', format });

type Read = { question: MoodleQuestion } | { skip: { code: string; reason: string; params?: Record<string, string | number> }; name: string; stem: string };

function readQuestion(raw: string): Read | { category: string } | null {
  let text = escapedcharPre(raw);
  if (/^\$CATEGORY:/.test(text)) return { category: text.slice(10).trim() };
  let name = '';
  if (text.startsWith('::')) {
    const rest = text.slice(2);
    const end = rest.indexOf('::');
    if (end >= 0) {
      name = escapedcharPost(rest.slice(0, end)).trim();
      text = rest.slice(end + 2).trim();
    } else text = rest;
  }
  const start = text.indexOf('{');
  const finish = text.indexOf('}');
  const fail = (code: string, reason: string, params?: Record<string, string | number>): Read => ({ skip: { code, reason, ...(params && { params }) }, name, stem: escapedcharPost(text).slice(0, 40) });
  let description = false;
  let answerText = '';
  if (start < 0 && finish < 0) description = true;
  else if (start < 0 || finish < 0 || finish < start) return fail('brace_error', 'the answer block has no matching "{" and "}"');
  else answerText = text.slice(start + 1, finish).trim();
  const questionText = description ? text : text.endsWith('}') ? text.slice(0, start) + text.slice(finish + 1) : `${text.slice(0, start)}_____${text.slice(finish + 1)}`;
  let generalFeedback = '';
  const gf = answerText.lastIndexOf('####');
  if (gf >= 0) {
    generalFeedback = answerText.slice(gf + 4);
    answerText = answerText.slice(0, gf).trim();
  }
  const qtext = textWithFormat(questionText);
  const format = qtext.format;
  const question: MoodleQuestion = { qtype: '', name, questiontext: qtext, generalfeedback: textWithFormat(generalFeedback, format), answers: [], files: [], dropped: [] };
  if (description) question.qtype = 'description';
  else if (answerText === '') question.qtype = 'essay';
  else if (answerText.startsWith('#')) question.qtype = 'numerical';
  else if (answerText.includes('~')) question.qtype = 'multichoice';
  else if (answerText.includes('=') && answerText.includes('->')) question.qtype = 'match';
  else {
    const hash = answerText.indexOf('#');
    const check = hash > 0 ? answerText.slice(0, hash).trim() : answerText;
    question.qtype = ['T', 'TRUE', 'F', 'FALSE'].includes(check) ? 'truefalse' : 'shortanswer';
  }

  switch (question.qtype) {
    case 'multichoice': {
      question.single = answerText.includes('=');
      const answers = explodeAnswers(answerText.split('=').join('~='), '~');
      if (answers.length < 2) return fail('too_few_answers', 'a multiple-choice question needs at least 2 answers', { min: 2 });
      for (const raw of answers) {
        let answer = raw.trim();
        let fraction = 0;
        if (answer.startsWith('=')) {
          fraction = 1;
          answer = answer.slice(1);
        } else if (WEIGHT.test(answer)) [fraction, answer] = answerWeight(answer);
        const [a, feedback] = commentParser(answer, format);
        question.answers.push({ text: a, fraction, feedback });
      }
      break;
    }
    case 'match': {
      const answers = explodeAnswers(answerText, '=');
      if (answers.length < 2) return fail('too_few_answers', 'a matching question needs at least 2 pairs', { min: 2 });
      question.subquestions = [];
      for (const raw of answers) {
        const answer = raw.trim();
        const marker = answer.indexOf('->');
        if (marker < 0) return fail('match_format', 'every matching answer must be written "prompt -> answer"');
        question.subquestions.push({ text: textWithFormat(answer.slice(0, marker).trim(), format), answer: escapedcharPost(answer.slice(marker + 2)).trim() });
      }
      break;
    }
    case 'truefalse': {
      const bits = answerText.split('#');
      const answer = textWithFormat((bits[0] ?? '').trim(), format);
      const wrong = bits.length > 1 ? textWithFormat((bits[1] ?? '').trim(), format) : empty(format);
      const right = bits.length > 2 ? textWithFormat(bits.slice(2).join('#').trim(), format) : empty(format);
      const correct = answer.text === 'T' || answer.text === 'TRUE';
      question.truefalse = { correct, feedbackTrue: correct ? right : wrong, feedbackFalse: correct ? wrong : right };
      break;
    }
    case 'shortanswer': {
      const answers = explodeAnswers(answerText, '=');
      if (answers.length < 1) return fail('too_few_answers', 'a short-answer question needs at least 1 answer', { min: 1 });
      for (const raw of answers) {
        let answer = raw.trim();
        let fraction = 1;
        if (WEIGHT.test(answer)) [fraction, answer] = answerWeight(answer);
        const [a, feedback] = commentParser(answer, format);
        question.answers.push({ text: { text: a.text, format: 'plain' }, fraction, feedback });
      }
      break;
    }
    case 'numerical': {
      let body = answerText.slice(1);
      let wrongFeedback = '';
      const tilde = body.indexOf('~');
      if (tilde >= 0) {
        wrongFeedback = body.slice(tilde);
        body = body.slice(0, tilde);
      }
      const answers = explodeAnswers(body, '=');
      if (!answers.length) return fail('too_few_answers', 'a numerical question needs at least 1 answer', { min: 1 });
      for (const raw of answers) {
        let answer = raw.trim();
        let fraction = 1;
        if (WEIGHT.test(answer)) [fraction, answer] = answerWeight(answer);
        const [a, feedback] = commentParser(answer, format);
        const spec = a.text;
        let value: string;
        let tolerance: number;
        const range = spec.indexOf('..');
        const colon = spec.indexOf(':');
        if (range > 0) {
          const min = Number(spec.slice(0, range).trim());
          const max = Number(spec.slice(range + 2).trim());
          value = String((max + min) / 2);
          tolerance = max - (max + min) / 2;
        } else if (colon > 0) {
          value = spec.slice(0, colon).trim();
          tolerance = Number(spec.slice(colon + 1).trim());
        } else {
          value = spec.trim();
          tolerance = 0;
        }
        if (!(value === '*' || (value !== '' && Number.isFinite(Number(value)))) || !Number.isFinite(tolerance)) return fail('not_a_number', `answer "${spec}" is not a number`, { answer: spec });
        const entry: MoodleAnswer = { text: { text: value, format: 'plain' }, fraction, feedback, tolerance };
        question.answers.push(entry);
      }
      if (wrongFeedback) {
        const [, feedback] = commentParser(wrongFeedback, format);
        question.answers.push({ text: { text: '*', format: 'plain' }, fraction: 0, feedback });
      }
      break;
    }
    default:
      break;
  }
  return { question };
}

/** Every question block of a GIFT file in order, read by Moodle's rules (no bank rules applied yet). */
export function readGift(source: string): ReadItem[] {
  const items: ReadItem[] = [];
  const lines = source.split(/\r\n|\r|\n/);
  let category: string | null = null;
  let position = 0;
  let block: string[] = [];
  let blockLine = 0;
  const flush = () => {
    // This bank's own note on how to read a question back (see moodle-writer.ts); Moodle reads it as a comment.
    const metaLine = block.find((l) => l.startsWith(GIFT_META_PREFIX));
    const meta = metaLine ? parseMeta(metaLine.slice(GIFT_META_PREFIX.length)) : undefined;
    // readquestion(): comment lines become blank, the rest is joined and trimmed.
    const text = block.map((l) => (l.trim().startsWith('//') ? ' ' : l)).join('\n').trim();
    block = [];
    if (!text) return;
    const read = readQuestion(text);
    if (!read) return;
    if ('category' in read) {
      category = read.category;
      return;
    }
    position++;
    if ('skip' in read) {
      items.push({ position, line: blockLine, category, title: read.name || read.stem, skip: read.skip });
      return;
    }
    const q = read.question;
    const title = q.name || q.questiontext.text.replace(/<[^>]*>/g, '').slice(0, 40);
    items.push({ position, line: blockLine, category, title, question: q, ...(meta && { meta }) });
  };
  lines.forEach((line, index) => {
    if (!line.trim()) {
      flush();
      return;
    }
    if (!block.length) blockLine = index + 1;
    block.push(line.trim());
  });
  flush();
  return items;
}
