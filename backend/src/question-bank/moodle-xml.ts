import { SaxesParser } from 'saxes';
import { optionKey, type ImportReport } from '@aitrainer/domain';

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
const children = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
/** `<x><text>...</text></x>` -> the text. */
const textOf = (el: XmlElement | undefined) => (child(el, 'text')?.text ?? el?.text ?? '').trim();

function plain(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

const SKIPPED_TYPES: Record<string, string> = {
  numerical: 'numerical questions (ranges and tolerances) have no counterpart in this bank',
  matching: 'matching questions have no counterpart in this bank',
  cloze: 'embedded answers (cloze) have no counterpart in this bank',
  multianswer: 'embedded answers (cloze) have no counterpart in this bank',
  description: 'a description is not a question',
  calculated: 'calculated questions have no counterpart in this bank',
  calculatedsimple: 'calculated questions have no counterpart in this bank',
  calculatedmulti: 'calculated questions have no counterpart in this bank',
  ddwtos: 'drag-and-drop questions have no counterpart in this bank',
  gapselect: 'select-missing-word questions have no counterpart in this bank',
  randomsamatch: 'random matching questions have no counterpart in this bank',
};

/**
 * Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): categories, multichoice (single or multiple, fractions
 * as weights), truefalse, shortanswer, essay (grader info becomes the rubric), general and per-answer feedback.
 * Types with no counterpart are reported as skipped, with why. A file that is not well-formed XML throws.
 */
export function parseMoodleXml(source: string): ImportReport {
  const report: ImportReport = { questions: [], skipped: [] };
  const quiz = child(parseXml(source), 'quiz');
  if (!quiz) throw new Error('not a Moodle XML file: no <quiz> element');
  let category: string | null = null;
  let position = 0;
  children(quiz, 'question').forEach((q, index) => {
    const type = q.attributes['type'] ?? '';
    if (type === 'category') {
      category = textOf(child(q, 'category')) || null;
      return;
    }
    position++;
    const line = index + 1;
    const title = textOf(child(q, 'name'));
    const stem = plain(textOf(child(q, 'questiontext')));
    const feedback = plain(textOf(child(q, 'generalfeedback')));
    const skip = (reason: string): void => void report.skipped.push({ position, line, title, reason });
    const answers = children(q, 'answer').map((a) => ({ fraction: Number(a.attributes['fraction'] ?? '0'), text: plain(textOf(a)) }));
    const push = (t: ImportReport['questions'][number]['type'], content: object): void =>
      void report.questions.push({ position, line, title, category, type: t, content: { stem, ...content, ...(feedback && { feedback }) } });
    if (SKIPPED_TYPES[type]) return skip(SKIPPED_TYPES[type]);
    if (!stem) return skip('the question text is empty');
    switch (type) {
      case 'truefalse': {
        const right = answers.find((a) => a.fraction >= 100);
        if (!right || !['true', 'false'].includes(right.text.toLowerCase())) return skip('a true/false question needs a "true" or "false" answer with fraction 100');
        return push('true_false', { answer: right.text.toLowerCase() === 'true' });
      }
      case 'shortanswer': {
        const accepted = answers.filter((a) => a.fraction >= 100).map((a) => a.text);
        if (!accepted.length) return skip('a short answer with no full-credit answer');
        return push('fill_blank', { acceptedAnswers: accepted });
      }
      case 'essay':
        return push('short_answer', { rubric: plain(textOf(child(q, 'graderinfo'))) });
      case 'multichoice': {
        if (answers.length < 2) return skip('a multiple-choice question needs at least 2 answers');
        const single = (child(q, 'single')?.text.trim() ?? 'true') !== 'false' && child(q, 'single')?.text.trim() !== '0';
        const options = answers.map((a, i) => ({ key: optionKey(i), text: a.text }));
        const correctKeys = answers.map((a, i) => (a.fraction > 0 ? optionKey(i) : null)).filter((k): k is string => k !== null);
        if (!correctKeys.length) return skip('no answer has a positive fraction');
        if (single) {
          const full = answers.findIndex((a) => a.fraction >= 100);
          if (full < 0) return skip('a single-answer question needs an answer with fraction 100');
          return push('single_choice', { options, correctKeys: [optionKey(full)] });
        }
        const partial = answers.some((a) => a.fraction > 0 && a.fraction < 100);
        return push('multiple_choice', { options, correctKeys, multipleScoring: partial ? 'partial' : 'all_or_nothing' });
      }
      default:
        return skip(`question type "${type}" is not supported`);
    }
  });
  return report;
}
