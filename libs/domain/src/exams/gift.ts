import type { QuestionContent } from '@aitrainer/contracts';
import { optionKey, type ImportReport } from './question-import';

/**
 * Moodle GIFT (https://docs.moodle.org/en/GIFT_format): comments (`//`), `$CATEGORY:`, `::title::`, text format
 * markers (`[html]`, `[moodle]`, `[markdown]`, `[plain]`), escapes (`\~ \= \# \{ \} \: \\ \n`), multiple choice
 * (`=right ~wrong`, with `#feedback` and `####general feedback`), weights (`~%50%`), true/false (`T`, `TRUE`, `F`,
 * `FALSE`), short answer (only `=` answers), missing word (text after the braces), essay (`{}`). Numerical and
 * matching questions and descriptions have no counterpart in this bank: they are reported as skipped, with why.
 */
export function parseGift(source: string): ImportReport {
  const report: ImportReport = { questions: [], skipped: [] };
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let category: string | null = null;
  let position = 0;
  let block: string[] = [];
  let blockLine = 0;
  const flush = () => {
    const text = block.join('\n').trim();
    block = [];
    if (!text) return;
    const cat = /^\$CATEGORY:\s*(.*)$/i.exec(text);
    if (cat) {
      category = (cat[1] ?? '').trim();
      return;
    }
    position++;
    parseOne(text, position, blockLine, category, report);
  };
  lines.forEach((line, index) => {
    if (/^\s*\/\//.test(line)) return; // a comment line
    if (!line.trim()) {
      flush();
      return;
    }
    if (!block.length) blockLine = index + 1;
    block.push(line);
  });
  flush();
  return report;
}

/** Index of the first occurrence of `token` not preceded by a backslash escape, from `from`. */
function unescapedIndex(text: string, token: string, from = 0): number {
  for (let i = from; i <= text.length - token.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(token, i)) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(n|[~=#{}:\\])/g, (_, c: string) => (c === 'n' ? '\n' : c)).trim();
}

/** Drops a leading `[html]`-style format marker; HTML tags are turned into plain text. */
function plainText(raw: string): string {
  const marker = /^\s*\[(html|moodle|markdown|plain)\]/i.exec(raw);
  let text = marker ? raw.slice(marker[0].length) : raw;
  if (marker?.[1]?.toLowerCase() === 'html') text = text.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n').replace(/<[^>]+>/g, '');
  return unescape(text);
}

interface Choice {
  correct: boolean;
  weight: number | null;
  text: string;
  feedback: string;
}

function splitChoices(body: string): Choice[] {
  const items: { mark: string; raw: string }[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      if (items.length) items[items.length - 1]!.raw += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '~' || c === '=') items.push({ mark: c, raw: '' });
    else if (items.length) items[items.length - 1]!.raw += c;
  }
  return items.map(({ mark, raw }) => {
    let rest = raw;
    let weight: number | null = null;
    const w = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(rest);
    if (w) {
      weight = Number(w[1]);
      rest = rest.slice(w[0].length);
    }
    const hash = unescapedIndex(rest, '#');
    const text = unescape(hash < 0 ? rest : rest.slice(0, hash));
    const feedback = hash < 0 ? '' : unescape(rest.slice(hash + 1));
    return { correct: mark === '=' || (weight !== null && weight > 0), weight: mark === '=' && weight === null ? 100 : weight, text, feedback };
  });
}

function parseOne(text: string, position: number, line: number, category: string | null, report: ImportReport): void {
  let rest = text;
  let title = '';
  if (rest.startsWith('::')) {
    const end = unescapedIndex(rest, '::', 2);
    if (end > 0) {
      title = unescape(rest.slice(2, end));
      rest = rest.slice(end + 2);
    }
  }
  const open = unescapedIndex(rest, '{');
  const close = open < 0 ? -1 : unescapedIndex(rest, '}', open + 1);
  const skip = (reason: string): void => void report.skipped.push({ position, line, title: title || plainText(rest).slice(0, 40), reason });
  if (open < 0) return skip('a description (no answer block) is not a question');
  if (close < 0) return skip('the answer block "{" is not closed');
  const before = plainText(rest.slice(0, open));
  const after = plainText(rest.slice(close + 1));
  let body = rest.slice(open + 1, close).trim();
  const stem = after ? `${before} _____ ${after}` : before;
  if (!title) title = stem.slice(0, 40);
  let generalFeedback = '';
  const general = unescapedIndex(body, '####');
  if (general >= 0) {
    generalFeedback = unescape(body.slice(general + 4));
    body = body.slice(0, general).trim();
  }
  const push = (type: ImportReport['questions'][number]['type'], content: Omit<QuestionContent, 'stem'>): void =>
    void report.questions.push({ position, line, title, category, type, content: { stem, ...content, ...(generalFeedback && { feedback: generalFeedback }) } });

  if (!body) return push('short_answer', {});
  if (body.startsWith('#')) return skip('numerical questions (ranges and tolerances) have no counterpart in this bank');
  const tf = /^(TRUE|FALSE|T|F)(?=\s*(#|$))/.exec(body);
  if (tf) return push('true_false', { answer: (tf[1] as string).startsWith('T') });
  const choices = splitChoices(body);
  if (!choices.length) return skip('the answer block has no answers');
  if (choices.every((c) => c.correct && unescapedIndex(c.text, '->') >= 0)) return skip('matching questions have no counterpart in this bank');
  const wrong = choices.filter((c) => !c.correct);
  if (!wrong.length && choices.every((c) => c.weight === null || c.weight >= 0)) {
    // Short answer: the full-credit answers are accepted; partially credited ones cannot be, and are dropped.
    const accepted = choices.filter((c) => (c.weight ?? 100) >= 100).map((c) => c.text);
    if (!accepted.length) return skip('a short answer with no full-credit answer');
    return push('fill_blank', { acceptedAnswers: accepted });
  }
  const options = choices.map((c, i) => ({ key: optionKey(i), text: c.text }));
  const correctKeys = choices.map((c, i) => (c.correct ? optionKey(i) : null)).filter((k): k is string => k !== null);
  if (!correctKeys.length) return skip('a multiple-choice question with no right answer');
  const weighted = choices.some((c) => c.weight !== null && c.weight > 0 && c.weight < 100);
  if (correctKeys.length === 1 && !weighted) return push('single_choice', { options, correctKeys });
  return push('multiple_choice', { options, correctKeys, multipleScoring: weighted ? 'partial' : 'all_or_nothing' });
}
