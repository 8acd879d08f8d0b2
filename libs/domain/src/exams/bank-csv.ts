import { DIFFICULTIES, QUESTION_TYPES, type Difficulty, type QuestionContent, type QuestionTags, type QuestionType, type SkillLevel } from '@aitrainer/contracts';
import { optionKey, type ImportReport } from './question-import';
import { csvField, restoreNeutralised } from '../spreadsheet';

/** The bank's own CSV template: one question per row, lists inside a cell separated by `|`. */
export const BANK_CSV_COLUMNS = ['type', 'stem', 'options', 'correct', 'accepted_answers', 'multiple_scoring', 'levels', 'duty_area', 'knowledge_point', 'difficulty', 'rubric', 'feedback'] as const;

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  return csvRecords(text).map((r) => r.cells);
}

/** The records with the physical line each starts on (a quoted field may span lines). */
function csvRecords(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let line = 1;
  let startLine = 1;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ cells: row, line: startLine });
      line++;
      startLine = line;
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push({ cells: row, line: startLine });
  }
  return rows;
}

const list = (cell: string | undefined) => (cell ?? '').split('|').map((x) => x.trim()).filter(Boolean);
const TRUE_WORDS = ['true', 't', '对', '正确', '√', 'yes'];
const FALSE_WORDS = ['false', 'f', '错', '错误', '×', 'no'];

/** Reads the bank's CSV template; every row that cannot become a question is reported with its line and why. */
export function parseBankCsv(text: string): ImportReport {
  const report: ImportReport = { questions: [], skipped: [] };
  const records = csvRecords(text);
  const header = (records[0]?.cells ?? []).map((h) => h.trim().toLowerCase());
  const missing = ['type', 'stem'].filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`the header row must name the columns ${BANK_CSV_COLUMNS.join(', ')} (missing: ${missing.join(', ')})`);
  let position = 0;
  records.slice(1).forEach(({ cells, line }) => {
    if (cells.every((c) => !c.trim())) return;
    position++;
    const get = (name: string) => restoreNeutralised((cells[header.indexOf(name)] ?? '').trim());
    const type = get('type') as QuestionType;
    const stem = get('stem');
    const skip = (reason: string, code: string, params?: Record<string, string>) => void report.skipped.push({ position, line, title: stem.slice(0, 40), reason, code, ...(params && { params }) });
    if (!QUESTION_TYPES.includes(type)) return skip(`type must be one of ${QUESTION_TYPES.join(', ')}`, 'csv_type', { types: QUESTION_TYPES.join(', ') });
    const content: QuestionContent = { stem };
    const options = list(get('options'));
    if (options.length) content.options = options.map((text, i) => ({ key: optionKey(i), text }));
    const correct = list(get('correct'));
    if (type === 'true_false') {
      const word = (correct[0] ?? '').toLowerCase();
      if (TRUE_WORDS.includes(word)) content.answer = true;
      else if (FALSE_WORDS.includes(word)) content.answer = false;
      else return skip('correct must be true or false', 'csv_true_false');
    } else if (type === 'single_choice' || type === 'multiple_choice') content.correctKeys = correct.map((k) => k.toUpperCase());
    if (type === 'fill_blank') content.acceptedAnswers = list(get('accepted_answers'));
    if (type === 'multiple_choice' && get('multiple_scoring') === 'partial') content.multipleScoring = 'partial';
    if (get('rubric')) content.rubric = get('rubric');
    if (get('feedback')) content.feedback = get('feedback');
    const tags: Partial<QuestionTags> = {};
    const levels = list(get('levels')).map(Number);
    if (levels.length) {
      if (!levels.every((l) => Number.isInteger(l) && l >= 1 && l <= 5)) return skip('levels must be numbers 1-5 separated by |', 'csv_levels');
      tags.levels = levels as SkillLevel[];
    }
    if (get('duty_area')) tags.dutyArea = get('duty_area');
    if (get('knowledge_point')) tags.knowledgePoint = get('knowledge_point');
    if (get('difficulty')) {
      if (!DIFFICULTIES.includes(get('difficulty') as Difficulty)) return skip(`difficulty must be one of ${DIFFICULTIES.join(', ')}`, 'csv_difficulty', { difficulties: DIFFICULTIES.join(', ') });
      tags.difficulty = get('difficulty') as Difficulty;
    }
    report.questions.push({ position, line, title: stem.slice(0, 40), category: null, type, content, tags });
  });
  return report;
}


/** Writes questions in the template (what `parseBankCsv` reads back). */
export function bankCsv(questions: readonly { type: QuestionType; content: QuestionContent; tags: QuestionTags }[]): string {
  const lines = [BANK_CSV_COLUMNS.join(',')];
  for (const q of questions) {
    const c = q.content;
    // Options are re-keyed A, B, C... in order on import, so the correct keys are written the same way.
    const keyOf = (k: string) => optionKey((c.options ?? []).findIndex((o) => o.key === k));
    const correct = q.type === 'true_false' ? String(c.answer) : (c.correctKeys ?? []).map(keyOf).join('|');
    const cells = [q.type, c.stem, (c.options ?? []).map((o) => o.text).join('|'), correct, (c.acceptedAnswers ?? []).join('|'), c.multipleScoring ?? '', q.tags.levels.join('|'), q.tags.dutyArea, q.tags.knowledgePoint, q.tags.difficulty, c.rubric ?? '', c.feedback ?? ''];
    lines.push(cells.map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
