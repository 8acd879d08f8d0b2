import type { QuestionContent, QuestionTags, QuestionType } from '@aitrainer/contracts';
import { MOODLE_FRACTIONS } from './moodle-question';

export interface ExportedQuestion {
  type: QuestionType;
  content: QuestionContent;
  tags: QuestionTags;
  /** The bytes of the files in content.media, by name (Moodle XML carries them; GIFT cannot). */
  files?: Map<string, Buffer>;
}

/** Types Moodle has a counterpart for; labelling and prompt tasks point at exercises this platform runs. */
export const MOODLE_EXPORTABLE: readonly QuestionType[] = ['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer', 'numerical', 'matching'];

/**
 * What Moodle cannot say but this bank needs to read its own file back identically, in a place Moodle ignores (a GIFT
 * comment line, an unknown XML element): a multiple-choice question scored all-or-nothing or by right-minus-wrong,
 * written for Moodle as weights, and an essay's rubric in GIFT.
 */
export interface BankMeta {
  /** null: the question had no scoring set (all-or-nothing by default). */
  multipleScoring?: 'all_or_nothing' | 'partial' | null;
  rubric?: string;
}
export const GIFT_META_PREFIX = '// @aitrainer ';

/** A note written by this bank, or nothing when it is not one (a hand-edited file is read by Moodle's rules alone). */
export function parseMeta(json: string): BankMeta | undefined {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    const meta: BankMeta = {};
    if (v['multipleScoring'] === 'all_or_nothing' || v['multipleScoring'] === 'partial' || v['multipleScoring'] === null) meta.multipleScoring = v['multipleScoring'];
    if (typeof v['rubric'] === 'string') meta.rubric = v['rubric'];
    return Object.keys(meta).length ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Right picks +100/n, wrong picks -100/n, rounded to the nearest fraction Moodle allows: Moodle's equivalent of partial credit. */
export function weightsFor(content: QuestionContent): number[] {
  const correct = new Set(content.correctKeys ?? []);
  const n = Math.max(1, correct.size);
  const nearest = (f: number) => MOODLE_FRACTIONS.reduce((best, v) => (Math.abs(v - f) < Math.abs(best - f) ? v : best), 0);
  return (content.options ?? []).map((o) => Math.round(nearest((correct.has(o.key) ? 1 : -1) / n) * 100 * 100000) / 100000);
}

const num = (x: number) => String(Math.round(x * 1e7) / 1e7);

/** qformat_gift::repchar: `\ # = ~ { } :` escaped, a line break as `\n`. */
const repchar = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/([#=~{}:])/g, '\\$1')
    .replace(/\r?\n/g, '\\n');

function giftQuestion(q: ExportedQuestion): string {
  const c = q.content;
  const html = c.format === 'html';
  const meta: BankMeta = {};
  const lines: string[] = [];
  const fb = (text: string | undefined) => (text ? `#${repchar(text)}` : '');
  let body: string;
  switch (q.type) {
    case 'true_false': {
      const right = c.answer ? c.trueFeedback : c.falseFeedback;
      const wrong = c.answer ? c.falseFeedback : c.trueFeedback;
      body = `${c.answer ? 'TRUE' : 'FALSE'}${wrong ? `#${repchar(wrong)}` : right ? '#' : ''}${right ? `#${repchar(right)}` : ''}`;
      break;
    }
    case 'single_choice': {
      const correct = new Set(c.correctKeys ?? []);
      body = (c.options ?? [])
        .map((o) => {
          const weight = o.weight ?? (correct.has(o.key) ? 100 : 0);
          const mark = weight === 100 ? '=' : weight === 0 ? '~' : `~%${num(weight)}%`;
          return `\t${mark}${repchar(o.text)}${fb(o.feedback)}`;
        })
        .join('\n');
      body = `\n${body}\n`;
      break;
    }
    case 'multiple_choice': {
      const weights = c.multipleScoring === 'weighted' ? (c.options ?? []).map((o) => o.weight ?? 0) : weightsFor(c);
      if (c.multipleScoring !== 'weighted') meta.multipleScoring = c.multipleScoring ?? null;
      body = `\n${(c.options ?? []).map((o, i) => `\t~${weights[i] ? `%${num(weights[i]!)}%` : ''}${repchar(o.text)}${fb(o.feedback)}`).join('\n')}\n`;
      break;
    }
    case 'fill_blank': {
      const accepted = (c.acceptedAnswers ?? []).map((a, i) => `\t=%100%${repchar(a)}${fb(c.acceptedFeedback?.[i])}`);
      const partial = (c.partialAnswers ?? []).map((a) => `\t=%${num(a.weight)}%${repchar(a.text)}${fb(a.feedback)}`);
      body = `\n${[...accepted, ...partial].join('\n')}\n`;
      break;
    }
    case 'numerical':
      body = `#\n${(c.numericAnswers ?? []).map((a) => `\t=%${num(a.weight)}%${num(a.value)}:${num(a.tolerance)}${fb(a.feedback)}`).join('\n')}\n`;
      break;
    case 'matching':
      body = `\n${[...(c.pairs ?? []).map((p) => `\t=${repchar(p.prompt)} -> ${repchar(p.answer)}`), ...(c.distractors ?? []).map((a) => `\t= -> ${repchar(a)}`)].join('\n')}\n`;
      break;
    default:
      body = '';
      if (c.rubric) meta.rubric = c.rubric;
  }
  if (Object.keys(meta).length) lines.push(`${GIFT_META_PREFIX}${JSON.stringify(meta)}`);
  const general = c.feedback ? `####${repchar(c.feedback)}` : '';
  const name = c.name ? `::${repchar(c.name)}::` : '';
  lines.push(`${name}${html ? '[html]' : ''}${repchar(c.stem)}{${body}${general}}`);
  return lines.join('\n');
}

const categoryOf = (q: ExportedQuestion) => `$course$/top/${q.tags.knowledgePoint}`;

/** The questions as GIFT (qformat_gift::writequestion's forms), grouped by knowledge point as `$CATEGORY:`. */
export function toGift(questions: readonly ExportedQuestion[]): string {
  const out: string[] = ['// Exported from the AI trainer question bank (GIFT, UTF-8).'];
  let category: string | null = null;
  for (const q of questions) {
    if (!MOODLE_EXPORTABLE.includes(q.type)) continue;
    if (q.tags.knowledgePoint && categoryOf(q) !== category) {
      category = categoryOf(q);
      out.push(`$CATEGORY: ${category}`);
    }
    out.push(giftQuestion(q));
  }
  return `${out.join('\n\n')}\n`;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlText = (s: string) => `<text>${xmlEscape(s)}</text>`;

function xmlQuestion(q: ExportedQuestion): string {
  const c = q.content;
  const format = c.format === 'html' ? 'html' : 'plain_text';
  const parts: string[] = [];
  const textEl = (tag: string, text: string, extra = '') => `<${tag} format="${format}">${xmlText(text)}${extra}</${tag}>`;
  const feedback = (text: string | undefined) => (text ? textEl('feedback', text) : '');
  const files = (c.media ?? []).map((m) => `<file name="${xmlEscape(m.name)}" path="/" encoding="base64">${q.files?.get(m.name)?.toString('base64') ?? ''}</file>`).join('');
  const moodleType: Record<string, string> = { true_false: 'truefalse', single_choice: 'multichoice', multiple_choice: 'multichoice', fill_blank: 'shortanswer', short_answer: 'essay', numerical: 'numerical', matching: 'matching' };
  parts.push(`<name>${xmlText(c.name ?? '')}</name>`);
  parts.push(textEl('questiontext', c.stem, files));
  parts.push(c.feedback ? textEl('generalfeedback', c.feedback) : `<generalfeedback format="${format}"><text></text></generalfeedback>`);
  parts.push('<defaultgrade>1</defaultgrade>', '<penalty>0</penalty>', '<hidden>0</hidden>');
  switch (q.type) {
    case 'true_false':
      parts.push(`<answer fraction="${c.answer ? 100 : 0}" format="moodle_auto_format"><text>true</text>${feedback(c.trueFeedback)}</answer>`);
      parts.push(`<answer fraction="${c.answer ? 0 : 100}" format="moodle_auto_format"><text>false</text>${feedback(c.falseFeedback)}</answer>`);
      break;
    case 'single_choice':
    case 'multiple_choice': {
      const single = q.type === 'single_choice';
      const correct = new Set(c.correctKeys ?? []);
      const weights = single ? (c.options ?? []).map((o) => o.weight ?? (correct.has(o.key) ? 100 : 0)) : c.multipleScoring === 'weighted' ? (c.options ?? []).map((o) => o.weight ?? 0) : weightsFor(c);
      parts.push(`<single>${single}</single>`, '<shuffleanswers>true</shuffleanswers>', '<answernumbering>ABCD</answernumbering>');
      if (!single && c.multipleScoring !== 'weighted') parts.push(`<aitrainer>${xmlEscape(JSON.stringify({ multipleScoring: c.multipleScoring ?? null }))}</aitrainer>`);
      (c.options ?? []).forEach((o, i) => parts.push(`<answer fraction="${num(weights[i] ?? 0)}" format="${format}">${xmlText(o.text)}${feedback(o.feedback)}</answer>`));
      break;
    }
    case 'fill_blank':
      parts.push('<usecase>0</usecase>');
      (c.acceptedAnswers ?? []).forEach((a, i) => parts.push(`<answer fraction="100" format="plain_text">${xmlText(a)}${feedback(c.acceptedFeedback?.[i])}</answer>`));
      for (const a of c.partialAnswers ?? []) parts.push(`<answer fraction="${num(a.weight)}" format="plain_text">${xmlText(a.text)}${feedback(a.feedback)}</answer>`);
      break;
    case 'numerical':
      for (const a of c.numericAnswers ?? []) parts.push(`<answer fraction="${num(a.weight)}" format="plain_text">${xmlText(num(a.value))}<tolerance>${num(a.tolerance)}</tolerance>${feedback(a.feedback)}</answer>`);
      break;
    case 'matching':
      parts.push('<shuffleanswers>true</shuffleanswers>');
      for (const p of c.pairs ?? []) parts.push(`<subquestion format="${format}">${xmlText(p.prompt)}<answer>${xmlText(p.answer)}</answer></subquestion>`);
      for (const a of c.distractors ?? []) parts.push(`<subquestion format="${format}"><text></text><answer>${xmlText(a)}</answer></subquestion>`);
      break;
    default:
      parts.push('<responseformat>editor</responseformat>', '<responserequired>1</responserequired>', '<attachments>0</attachments>');
      parts.push(c.rubric ? textEl('graderinfo', c.rubric) : `<graderinfo format="${format}"><text></text></graderinfo>`);
  }
  return `  <question type="${moodleType[q.type]}">\n    ${parts.join('\n    ')}\n  </question>`;
}

/** The questions as Moodle XML (qformat_xml's elements), with their files, grouped by knowledge point as categories. */
export function toMoodleXml(questions: readonly ExportedQuestion[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>'];
  let category: string | null = null;
  for (const q of questions) {
    if (!MOODLE_EXPORTABLE.includes(q.type)) continue;
    if (q.tags.knowledgePoint && categoryOf(q) !== category) {
      category = categoryOf(q);
      out.push(`  <question type="category">\n    <category>${xmlText(category)}</category>\n  </question>`);
    }
    out.push(xmlQuestion(q));
  }
  out.push('</quiz>');
  return `${out.join('\n')}\n`;
}
