import { SaxesParser } from 'saxes';
import type { ImportNote } from '@aitrainer/contracts';
import type { MoodleFile, MoodleQuestion, ReadItem } from './moodle/moodle-question';
import type { MoodleFormat, MoodleText } from './moodle/moodle-text';
import { parseMeta } from './moodle/moodle-writer';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A tiny element tree built with saxes (the well-formedness checks and entity/CDATA handling are the library's). */
function parseXml(source: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (t) => void (stack[stack.length - 1]!.text += t));
  parser.on('cdata', (t) => void (stack[stack.length - 1]!.text += t));
  parser.write(source.replace(/^\uFEFF/, '')).close();
  return root;
}

const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
const children = (el: XmlElement | undefined, name: string) => el?.children.filter((c) => c.name === name) ?? [];
/** getpath(..., ['#', 'text', 0, '#']): the element's `<text>`, trimmed. */
const textOf = (el: XmlElement | undefined) => (child(el, 'text')?.text ?? '').trim();
const valueOf = (el: XmlElement | undefined, name: string) => child(el, name)?.text.trim();

/** trans_format (question/format/xml/format.php): an unrecognised name is taken as html. */
function transFormat(name: string | undefined, fallback: MoodleFormat): MoodleFormat {
  switch ((name ?? '').trim()) {
    case '':
      return fallback;
    case 'moodle_auto_format':
      return 'moodle';
    case 'plain_text':
      return 'plain';
    case 'markdown':
      return 'markdown';
    default:
      return 'html';
  }
}

/** import_text_with_files: the text, its `format` attribute (default given), and its `<file>` children. */
function textWithFiles(el: XmlElement | undefined, defaultFormat: MoodleFormat, files: MoodleFile[]): MoodleText {
  for (const f of children(el, 'file')) {
    const name = (f.attributes['path'] ?? '/').replace(/^\/+/, '') + (f.attributes['name'] ?? '');
    if (!name || files.some((x) => x.name === name)) continue; // Moodle skips a duplicate path too
    files.push({ name, content: Buffer.from(f.text.replace(/\s+/g, ''), 'base64') });
  }
  return { text: textOf(el), format: transFormat(el?.attributes['format'], defaultFormat) };
}

/** trans_single: "false", "0" or empty is multiple-answer; anything else single. */
const transSingle = (value: string) => !(value === 'false' || value === '' || value === '0');

const SKIPPED_TYPES: Record<string, [string, string]> = {
  ddwtos: ['unsupported_type', 'drag-and-drop questions are not in this bank'],
  ddimageortext: ['unsupported_type', 'drag-and-drop questions are not in this bank'],
  ddmarker: ['unsupported_type', 'drag-and-drop questions are not in this bank'],
  gapselect: ['unsupported_type', 'select-missing-words questions are not in this bank'],
};

/**
 * Moodle XML, read the way qformat_xml reads it: `<question type="category">` switches the category, the
 * question text's format defaults to html and the other texts default to the question text's format, answer grades
 * are `fraction` percentages, `<single>` decides single/multiple (default true), files come base64 in `<file>`.
 * Features the bank does not keep (hints, combined feedback, units, tags, a default mark other than 1 ...) are
 * listed per question. A file that is not well-formed XML throws.
 */
export function readMoodleXml(source: string): ReadItem[] {
  const items: ReadItem[] = [];
  const quiz = child(parseXml(source), 'quiz');
  if (!quiz) throw new Error('not a Moodle XML file: no <quiz> element');
  let category: string | null = null;
  let position = 0;
  children(quiz, 'question').forEach((q, index) => {
    const qtype = q.attributes['type'] ?? '';
    if (qtype === 'category') {
      category = textOf(child(q, 'category')) || null;
      return;
    }
    position++;
    const line = index + 1;
    const name = textOf(child(q, 'name'));
    const files: MoodleFile[] = [];
    const dropped: ImportNote[] = [];
    const questiontext = textWithFiles(child(q, 'questiontext'), 'html', files);
    const format = questiontext.format;
    const title = name || questiontext.text.replace(/<[^>]*>/g, '').trim().slice(0, 40);
    const known = SKIPPED_TYPES[qtype];
    if (known) {
      items.push({ position, line, category, title, skip: { code: known[0], reason: known[1], params: { type: qtype } } });
      return;
    }
    const question: MoodleQuestion = { qtype: qtype === 'matching' ? 'match' : qtype, name, questiontext, generalfeedback: textWithFiles(child(q, 'generalfeedback'), format, files), answers: [], files, dropped };
    const answerOf = (a: XmlElement, withFiles: boolean) => ({
      text: withFiles ? textWithFiles(a, format, files) : { text: textOf(a), format: 'plain' as const },
      fraction: Number(a.attributes['fraction'] ?? '0') / 100,
      feedback: textWithFiles(child(a, 'feedback'), format, files),
    });
    switch (question.qtype) {
      case 'multichoice':
        question.single = transSingle(valueOf(q, 'single') ?? 'true');
        question.answers = children(q, 'answer').map((a) => answerOf(a, true));
        break;
      case 'truefalse': {
        const answers = children(q, 'answer');
        const yes = answers.find((a) => textOf(a) === 'true');
        const no = answers.find((a) => textOf(a) === 'false');
        if (yes && no) {
          question.truefalse = {
            correct: Number(yes.attributes['fraction'] ?? '0') === 100,
            feedbackTrue: textWithFiles(child(yes, 'feedback'), format, files),
            feedbackFalse: textWithFiles(child(no, 'feedback'), format, files),
          };
        }
        break;
      }
      case 'shortanswer':
        question.answers = children(q, 'answer').map((a) => answerOf(a, false));
        question.usecase = transSingle(valueOf(q, 'usecase') ?? '0');
        break;
      case 'numerical':
        question.answers = children(q, 'answer').map((a) => ({ ...answerOf(a, false), tolerance: Number(valueOf(a, 'tolerance') ?? '0') }));
        if (children(child(q, 'units'), 'unit').length) dropped.push({ code: 'units_dropped' });
        break;
      case 'match':
        question.subquestions = children(q, 'subquestion').map((s) => ({ text: textWithFiles(s, format, files), answer: textOf(child(s, 'answer')) }));
        break;
      case 'essay':
        question.graderinfo = textWithFiles(child(q, 'graderinfo'), format, files);
        if (textOf(child(q, 'responsetemplate'))) dropped.push({ code: 'response_template_dropped' });
        if (Number(valueOf(q, 'attachments') ?? '0') !== 0) dropped.push({ code: 'attachments_dropped' });
        break;
      default:
        break;
    }
    const combined = ['correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback'].filter((f) => textOf(child(q, f)) !== '');
    if (combined.length) dropped.push({ code: 'combined_feedback_dropped' });
    const hints = children(q, 'hint').filter((h) => textOf(h) !== '').length;
    if (hints) dropped.push({ code: 'hints_dropped', params: { count: hints } });
    const tags = children(child(q, 'tags'), 'tag').map((t) => textOf(t)).filter(Boolean);
    if (tags.length) dropped.push({ code: 'tags_dropped', params: { tags: tags.join(', ') } });
    const mark = Number(valueOf(q, 'defaultgrade') ?? '1');
    if (Number.isFinite(mark) && mark !== 1 && question.qtype !== 'description') dropped.push({ code: 'default_mark_ignored', params: { mark } });
    const meta = child(q, 'aitrainer') ? parseMeta(child(q, 'aitrainer')!.text.trim()) : undefined;
    items.push({ position, line, category, title, question, ...(meta && { meta }) });
  });
  return items;
}
