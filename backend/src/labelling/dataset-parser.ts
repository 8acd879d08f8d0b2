import { parse as parseCsv } from 'csv-parse/sync';
import type { AnswerValue, ExerciseLabels, LabellingImportNote, ImportTaskReport, ItemData, LabellingTaskType } from '@aitrainer/contracts';
import type { LabelStudioItemSource } from './label-studio';
import { decodeText, TextEncodingError } from '../common/text/decode-text';
import { problemAt } from '@aitrainer/scoring';
import { answerProblems, canonicalValue, itemDataProblems, mediaNamesOf, toFieldProblem, type Problem } from './task-definitions';

/**
 * Datasets: JSONL (one JSON object a line) or CSV (a header row). Every record has the item fields of its task
 * type (text, image, width, height, audio, machineTranscript, turns, prompt, responses, topic), an optional `id`
 * and an optional `gold`. CSV cells of `turns`, `responses` and `gold` hold JSON; `gold` may also be shorthand:
 * a label (single-label), `a|b` (multi-label, data cleaning) or the transcript (transcription).
 */

/** One record and where it came from, for error messages: `line 3` or `tasks[2]`. */
export interface SourceRecord {
  where: string;
  /** The item fields, `id` and `gold` (given already structured by a Label Studio import, or as read from the file). */
  record: Record<string, unknown>;
  /** Label Studio import: problems found while mapping the task, what was adapted and what is not used. */
  problems?: Problem[];
  adapted?: LabellingImportNote[];
  dropped?: LabellingImportNote[];
  labelStudio?: LabelStudioItemSource;
}

export interface ParsedItem {
  externalId: string;
  data: ItemData;
  gold: AnswerValue | null;
  labelStudio?: LabelStudioItemSource;
}

export const MAX_ITEMS = 20_000;
const MAX_PROBLEMS = 50;

const ITEM_FIELDS = ['text', 'image', 'width', 'height', 'audio', 'machineTranscript', 'turns', 'prompt', 'responses', 'topic', 'instruction', 'response', 'sftDirection', 'guideline', 'batch'] as const;
const CSV_ALIASES: Record<string, string> = { machine_transcript: 'machineTranscript', transcript: 'machineTranscript', item_id: 'id' };
const JSON_CELLS = new Set(['turns', 'responses', 'gold', 'batch']);

export class DatasetError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.problem}`).join('; '));
  }
}

export function readDatasetFile(fileName: string, content: Buffer): SourceRecord[] {
  let text: string;
  try {
    text = decodeText(content).text;
  } catch (e) {
    if (e instanceof TextEncodingError) throw new DatasetError([{ path: 'file', ...e.coded }]);
    throw e;
  }
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(text);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return readJsonl(text);
  throw new DatasetError([problemAt('file', 'DATASET_FILE_TYPE')]);
}

function readJsonl(text: string): SourceRecord[] {
  const out: SourceRecord[] = [];
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    try {
      const record = JSON.parse(line);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) problems.push(problemAt(where, 'NOT_JSON_OBJECT'));
      else out.push({ where, record });
    } catch (e) {
      problems.push(problemAt(where, 'NOT_JSON_DETAIL', { detail: (e as Error).message }));
    }
  });
  if (problems.length) throw new DatasetError(problems.slice(0, MAX_PROBLEMS));
  return out;
}

function readCsv(text: string): SourceRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (header: string[]) => header.map((h) => CSV_ALIASES[h.trim()] ?? h.trim()), skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DatasetError([problemAt(err.lines ? `line ${err.lines}` : 'file', 'NOT_CSV', { detail: err.message })]);
  }
  const problems: Problem[] = [];
  const out = rows.map((row, i) => {
    const where = `line ${i + 2}`; // the header is line 1
    const record: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(row)) {
      if (raw === '') continue;
      if (key === 'width' || key === 'height') record[key] = /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
      else if (JSON_CELLS.has(key) && /^\s*[[{]/.test(raw)) {
        try {
          record[key] = JSON.parse(raw);
        } catch {
          problems.push(problemAt(`${where}: ${key}`, 'NOT_JSON'));
        }
      } else record[key] = raw;
    }
    return { where, record };
  });
  if (problems.length) throw new DatasetError(problems.slice(0, MAX_PROBLEMS));
  return out;
}

/** Shorthand gold (a string) to the task type's answer shape. */
function expandGold(taskType: LabellingTaskType, gold: unknown): unknown {
  if (typeof gold !== 'string') return gold;
  const list = () => gold.split('|').map((s) => s.trim()).filter((s) => s !== '');
  switch (taskType) {
    case 'text_classification':
      return { label: gold.trim() };
    case 'multi_label_classification':
      return { labels: list() };
    case 'data_cleaning':
      return { flags: list() };
    case 'transcription':
    case 'sft_writing':
    case 'guideline_writing':
      return { text: gold };
    case 'preference_rationale':
      return { choice: gold.trim() };
    default:
      return gold;
  }
}

/**
 * Checks every record and turns it into an item. Throws DatasetError naming each problem by record and field
 * (`line 3: gold.spans[0].end`), so nothing is stored unless the whole dataset is valid.
 * @param media names of the files available to the exercise (uploaded now or before)
 */
export function toItems(taskType: LabellingTaskType, labels: ExerciseLabels, records: SourceRecord[], media: ReadonlySet<string>): ParsedItem[] {
  const { items, report } = readItems(taskType, labels, records, media);
  const problems = report.flatMap((r) => r.problems.map(({ field, ...p }) => ({ ...p, path: `${r.task}: ${field}` })));
  if (problems.length) throw new DatasetError(problems.slice(0, MAX_PROBLEMS));
  return items;
}

/**
 * Checks every record: the valid ones become items, each record gets a line of the report (imported, adapted with
 * what was changed, or refused with its problems). File-level problems (no items, too many) throw DatasetError.
 */
export function readItems(taskType: LabellingTaskType, labels: ExerciseLabels, records: SourceRecord[], media: ReadonlySet<string>): { items: ParsedItem[]; report: ImportTaskReport[] } {
  if (records.length === 0) throw new DatasetError([problemAt('file', 'NO_ITEMS')]);
  if (records.length > MAX_ITEMS) throw new DatasetError([problemAt('file', 'TOO_MANY_ITEMS', { count: records.length, max: MAX_ITEMS })]);
  const ids = new Map<string, string>();
  const items: ParsedItem[] = [];
  const report: ImportTaskReport[] = [];
  let refusedSoFar = 0;
  records.forEach(({ where, record, problems: mapped, adapted = [], dropped = [], labelStudio }, index) => {
    const problems: Problem[] = [...(mapped ?? [])];
    const rawId = record['id'];
    let externalId = String(index + 1);
    if (rawId === undefined || rawId === null || rawId === '') externalId = String(index + 1);
    else if ((typeof rawId === 'string' || typeof rawId === 'number') && String(rawId).trim() !== '' && String(rawId).length <= 191) externalId = String(rawId).trim();
    else problems.push(problemAt('id', 'ITEM_ID_FORMAT'));
    const finish = () => {
      // Past MAX_PROBLEMS refused records, the rest are listed without their problems (the file is refused anyway by default).
      if (problems.length) refusedSoFar++;
      report.push({
        task: where,
        id: externalId,
        status: problems.length ? 'refused' : adapted.length || dropped.length ? 'adapted' : 'imported',
        adapted,
        dropped,
        problems: refusedSoFar > MAX_PROBLEMS ? [] : problems.map((p) => toFieldProblem(p)),
      });
    };
    if (problems.length) return finish();
    if (ids.has(externalId)) problems.push(problemAt('id', 'ITEM_ID_USED', { value: externalId, other: String(ids.get(externalId)) }));
    else ids.set(externalId, where);
    const data: ItemData = {};
    for (const f of ITEM_FIELDS) if (record[f] !== undefined && record[f] !== null) (data as Record<string, unknown>)[f] = record[f];
    const dataProblems = itemDataProblems(taskType, data);
    problems.push(...dataProblems);
    for (const { field, name } of mediaNamesOf(data)) {
      if (!media.has(name)) problems.push(problemAt(field, 'MEDIA_NOT_UPLOADED', { name }));
    }
    let gold: AnswerValue | null = null;
    if (record['gold'] !== undefined && record['gold'] !== null && dataProblems.length === 0) {
      const expanded = expandGold(taskType, record['gold']);
      const gp = answerProblems(taskType, labels, externalId, data, expanded, 'gold');
      problems.push(...gp);
      if (gp.length === 0) gold = canonicalValue(taskType, expanded);
    }
    if (problems.length === 0) {
      if (labelStudio && labelStudio.goldIndex !== null) labelStudio.annotations[labelStudio.goldIndex].value = gold;
      items.push({ externalId, data, gold, ...(labelStudio && { labelStudio }) });
    }
    return finish();
  });
  return { items, report };
}
