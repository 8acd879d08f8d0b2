import { parse as parseCsv } from 'csv-parse/sync';
import { codePointLength, problemAt, sliceCodePoints, utf16IndexToCodePointOffset } from '@aitrainer/scoring';
import {
  isOpenTaskType,
  type AnswerValue,
  type ExerciseLabels,
  type GoldRule,
  type LabellingImportNote,
  type ItemData,
  type LabellingTaskType,
  type LabelStudioFormat,
} from '@aitrainer/contracts';
import { DatasetError, type SourceRecord } from './dataset-parser';
import { control, object, type LsConfig, type LsControl } from './label-studio-config';
import { answerProblems, canonicalValue, isExternalUrl, type Problem } from './task-definitions';

/**
 * Label Studio exports <-> dataset items, keeping what came in.
 *
 * Read: the JSON export (a list of tasks, or one task; with or without the `data` wrapper), JSON-MIN (one flat
 * record per annotation: data keys, the task `id`, one key per control) and CSV (JSON-MIN as a table, non-string
 * values JSON-encoded). JSON-MIN and CSV name their controls only through the labelling config, which then is
 * required. With a config, control names, their types and the data keys come from it and every result's
 * `from_name`/`to_name` is checked against it; without one, the results' own types are used.
 *
 * Kept: every annotation (gold = the one marked `ground_truth`, else by the instructor's rule; a cancelled one is
 * never gold), the predictions, the task id, all data keys and results we do not use. Each task's source is stored
 * with its item, so the export writes it back as it came, with only the gold annotation's results rewritten when
 * the instructor has changed the gold since.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the item keeps of its Label Studio task. */
export interface LabelStudioItemSource {
  format: LabelStudioFormat;
  /** JSON: the task object as read. JSON-MIN and CSV: the task's records (one per annotation), as read. */
  raw: unknown;
  /** Index in the raw annotations (JSON) or records (JSON-MIN, CSV) of the gold annotation. */
  goldIndex: number | null;
  annotations: KeptAnnotation[];
  predictions: KeptAnnotation[];
}

export interface KeptAnnotation {
  ref: string;
  by: string | null;
  cancelled: boolean;
  value: AnswerValue | null;
}

/** What the exercise keeps of the file as a whole. */
export interface LabelStudioFileSource {
  format: LabelStudioFormat;
  /** A JSON file holding one task object rather than a list. */
  single: boolean;
  config: string | null;
  /** CSV: the header, in order. */
  columns?: string[];
}

export interface LabelStudioRead {
  file: LabelStudioFileSource;
  records: SourceRecord[];
}

const TASK_META = new Set([
  'id', 'annotations', 'completions', 'predictions', 'drafts', 'meta', 'created_at', 'updated_at', 'inner_id', 'total_annotations',
  'cancelled_annotations', 'total_predictions', 'comment_count', 'unresolved_comment_count', 'last_comment_updated_at', 'project',
  'updated_by', 'file_upload', 'comment_authors', 'annotators', 'is_labeled', 'overlap', 'agreement',
]);
const MIN_META = new Set(['id', 'annotator', 'annotation_id', 'created_at', 'updated_at', 'lead_time', 'agreement']);

/** The result types each task type reads; results of other types are kept for the export but not used. */
const USED_TYPES: Record<string, string[]> = {
  text_classification: ['choices'],
  multi_label_classification: ['choices'],
  data_cleaning: ['choices'],
  named_entity_spans: ['labels'],
  image_bounding_boxes: ['rectanglelabels'],
  transcription: ['textarea'],
  dialogue_intent_slots: ['choices', 'textarea'],
  response_ranking: ['ranker', 'pairwise'],
};

const CONTROL_OF_TYPE: Record<string, string> = {
  choices: 'choices', labels: 'labels', rectanglelabels: 'rectanglelabels', textarea: 'textarea', ranker: 'ranker', pairwise: 'pairwise',
};

/** Reads the file's bytes as Label Studio wrote them. */
export function readLabelStudioFile(fileName: string, text: string, config: LsConfig | undefined): { format: LabelStudioFormat; single: boolean; rows: Obj[]; columns?: string[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (fileName.toLowerCase().endsWith('.csv')) {
    if (!config) throw new DatasetError([problemAt('config', 'LS_CONFIG_REQUIRED_CSV')]);
    let table: string[][];
    try {
      table = parseCsv(body, { skip_empty_lines: true, relax_column_count: false });
    } catch (e) {
      throw new DatasetError([problemAt('file', 'NOT_CSV', { detail: (e as Error).message })]);
    }
    const [columns, ...lines] = table;
    if (!columns) throw new DatasetError([problemAt('file', 'NO_ITEMS')]);
    return { format: 'csv', single: false, columns, rows: lines.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i]]))) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new DatasetError([problemAt('file', 'NOT_JSON_DETAIL', { detail: (e as Error).message })]);
  }
  const single = isObj(parsed);
  const rows = single ? [parsed] : parsed;
  if (!Array.isArray(rows)) throw new DatasetError([problemAt('tasks', 'LS_TASKS_FORMAT')]);
  const looksMin = rows.length > 0 && rows.every((r) => isObj(r) && !('data' in r) && !('annotations' in r) && ('annotation_id' in r || 'annotator' in r));
  if (looksMin && !config) throw new DatasetError([problemAt('config', 'LS_CONFIG_REQUIRED_MIN')]);
  return { format: looksMin ? 'json-min' : 'json', single, rows: rows as Obj[] };
}

interface TaskView {
  where: string;
  id: unknown;
  data: Obj;
  annotations: { raw: Obj; results: unknown[]; cancelled: boolean; groundTruth: boolean; by: string | null; ref: string; at: string; time: string }[];
  predictions: { raw: Obj; results: unknown[]; by: string | null; ref: string; at: string }[];
  raw: unknown;
  wrapped: boolean;
}

/** The Label Studio tasks of a file as a list of records for {@link toItems}, each with its source and notes. */
export function fromLabelStudio(
  taskType: LabellingTaskType,
  labels: ExerciseLabels,
  file: { fileName: string; text: string },
  config: LsConfig | undefined,
  media: ReadonlySet<string>,
  goldRule: GoldRule = 'first',
): LabelStudioRead {
  if (isOpenTaskType(taskType)) throw new DatasetError([problemAt('file', 'LS_OPEN_TASK', { taskType })]);
  const read = readLabelStudioFile(file.fileName, file.text, config);
  const tasks = read.format === 'json' || !config ? read.rows.map((t, i) => jsonTask(t, i)) : minTasks(read.rows, read.format, config);
  const records = tasks.map((task) => mapTask(taskType, labels, task, read.format, config, media, goldRule));
  return { file: { format: read.format, single: read.single, config: config?.xml ?? null, ...(read.columns && { columns: read.columns }) }, records };
}

function jsonTask(task: unknown, i: number): TaskView {
  const where = `tasks[${i}]`;
  if (!isObj(task)) return { where, id: undefined, data: {}, annotations: [], predictions: [], raw: task, wrapped: true };
  const wrapped = isObj(task['data']);
  const data = wrapped ? (task['data'] as Obj) : Object.fromEntries(Object.entries(task).filter(([k]) => !TASK_META.has(k)));
  const list = (k: string) => (Array.isArray(task[k]) ? (task[k] as unknown[]) : []);
  const annotations = (list('annotations').length ? list('annotations') : list('completions')).map((a, j) => {
    const o = isObj(a) ? a : {};
    return {
      raw: o,
      results: Array.isArray(o['result']) ? (o['result'] as unknown[]) : [],
      cancelled: o['was_cancelled'] === true || o['skipped'] === true,
      groundTruth: o['ground_truth'] === true,
      by: annotatorOf(o['completed_by'] ?? o['created_username']),
      ref: String(o['id'] ?? j + 1),
      at: `annotations[${j}]`,
      time: String(o['updated_at'] ?? o['created_at'] ?? ''),
    };
  });
  const predictions = list('predictions').map((p, j) => {
    const o = isObj(p) ? p : {};
    return { raw: o, results: Array.isArray(o['result']) ? (o['result'] as unknown[]) : [], by: o['model_version'] == null ? null : String(o['model_version']), ref: String(o['id'] ?? j + 1), at: `predictions[${j}]` };
  });
  return { where, id: data['item_id'] ?? task['id'], data, annotations, predictions, raw: task, wrapped };
}

function annotatorOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (isObj(v)) return String(v['email'] ?? v['id'] ?? '') || null;
  return String(v);
}

/** JSON-MIN / CSV: one record per annotation, grouped by task id in the order they come. */
function minTasks(rows: Obj[], format: LabelStudioFormat, config: LsConfig): TaskView[] {
  const controls = new Map(config.controls.map((c) => [c.name, c]));
  const byId = new Map<string, TaskView>();
  const out: TaskView[] = [];
  rows.forEach((row, i) => {
    const where = format === 'csv' ? `line ${i + 2}` : `records[${i}]`;
    const key = String(row['id'] ?? `#${i}`);
    let task = byId.get(key);
    if (!task) {
      const data: Obj = {};
      for (const [k, v] of Object.entries(row)) if (!controls.has(k) && !MIN_META.has(k)) data[k] = format === 'csv' ? csvData(v) : v;
      task = { where, id: row['id'], data, annotations: [], predictions: [], raw: [], wrapped: true };
      byId.set(key, task);
      out.push(task);
    }
    (task.raw as Obj[]).push(row);
    const results: unknown[] = [];
    for (const [k, v] of Object.entries(row)) {
      const c = controls.get(k);
      if (!c || v === undefined || v === null || v === '') continue;
      results.push(...minValueToResults(c, format === 'csv' ? csvValue(v) : v));
    }
    const j = (task.raw as Obj[]).length - 1;
    task.annotations.push({
      raw: row,
      results,
      cancelled: false,
      groundTruth: false,
      by: annotatorOf(row['annotator']),
      ref: String(row['annotation_id'] ?? j + 1),
      at: where,
      time: String(row['updated_at'] ?? row['created_at'] ?? ''),
    });
  });
  return out;
}

function csvValue(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
function csvData(v: unknown): unknown {
  const parsed = csvValue(v);
  return parsed;
}

/** JSON-MIN's prettified value of one control back to results (the inverse of the converter's `_prettify`). */
function minValueToResults(c: LsControl, v: unknown): Obj[] {
  const toName = c.toName.join(',');
  const result = (value: Obj): Obj => {
    const { original_width, original_height, ...rest } = value;
    return { from_name: c.name, to_name: toName, type: c.type, value: rest, ...(original_width !== undefined && { original_width }), ...(original_height !== undefined && { original_height }) };
  };
  if (c.type === 'choices' && typeof v === 'string') return [result({ choices: [v] })];
  if (c.type === 'textarea' && typeof v === 'string') return [result({ text: [v] })];
  if (Array.isArray(v)) return v.filter(isObj).map(result);
  if (isObj(v)) return [result(v)];
  return [{ from_name: c.name, to_name: toName, type: c.type, value: v }];
}

/** The results a result list holds for our task type, checked against the config. */
interface Ctx {
  taskType: LabellingTaskType;
  config: LsConfig | undefined;
  record: Obj;
  adapted: LabellingImportNote[];
  dropped: LabellingImportNote[];
}

function mapTask(
  taskType: LabellingTaskType,
  labels: ExerciseLabels,
  task: TaskView,
  format: LabelStudioFormat,
  config: LsConfig | undefined,
  media: ReadonlySet<string>,
  goldRule: GoldRule,
): SourceRecord {
  const { where } = task;
  const problems: Problem[] = [];
  const adapted: LabellingImportNote[] = [];
  const dropped: LabellingImportNote[] = [];
  if (!isObj(task.raw) && format === 'json') {
    problems.push(problemAt('task', 'NOT_AN_OBJECT'));
    return { where, record: {}, problems, adapted, dropped };
  }
  if (!task.wrapped) adapted.push({ code: 'data_without_wrapper', params: {} });
  const record: Obj = { id: task.id };
  const d = task.data;
  const key = (types: string[], fallback: string[]): string => {
    const used = config?.controls.filter((c) => (USED_TYPES[taskType] ?? []).includes(c.type)).flatMap((c) => c.toName) ?? [];
    const obj = config?.objects.find((o) => used.includes(o.name) && types.includes(o.type) && o.dataKey);
    return obj?.dataKey ?? fallback.find((k) => d[k] !== undefined) ?? fallback[0];
  };
  const mediaOf = (field: string, value: unknown) => {
    const m = mediaName(value, media);
    if (m.matched) adapted.push({ code: 'media_matched', params: { field, from: String(value), to: m.value as string } });
    return m.value;
  };
  switch (taskType) {
    case 'image_bounding_boxes': {
      const k = key(['image'], ['image', 'img', 'url']);
      Object.assign(record, { image: mediaOf(k, d[k]), width: d['width'], height: d['height'] });
      break;
    }
    case 'transcription': {
      const k = key(['audio', 'audioplus'], ['audio', 'url']);
      Object.assign(record, { audio: mediaOf(k, d[k]), machineTranscript: d['transcript'] });
      break;
    }
    case 'dialogue_intent_slots': {
      const para = config?.objects.find((o) => o.type === 'paragraphs');
      const k = para?.dataKey ?? 'dialogue';
      const nameKey = para?.attrs['nameKey'] ?? 'author';
      const textKey = para?.attrs['textKey'] ?? 'text';
      record['turns'] = Array.isArray(d[k]) ? (d[k] as unknown[]).map((t) => (isObj(t) ? { speaker: t[nameKey], text: t[textKey] } : t)) : d[k];
      break;
    }
    case 'response_ranking':
      Object.assign(record, rankingData(d, config));
      break;
    case 'data_cleaning':
      Object.assign(record, { text: d['text'], image: mediaOf('image', d['image']), topic: d['topic'] });
      break;
    default: {
      const k = key(['text', 'hypertext', 'paragraphs'], ['text']);
      record['text'] = d[k];
    }
  }

  const ctx: Ctx = { taskType, config, record, adapted, dropped };
  // Structural checks on every annotation and prediction: a result that names no control of the config refuses the task.
  const unsupported = new Map<string, string>();
  const check = (results: unknown[], at: string) =>
    results.forEach((r, i) => {
      const path = `${at}.result[${i}]`;
      if (!isObj(r)) return problems.push(problemAt(path, 'NOT_AN_OBJECT'));
      const from = String(r['from_name'] ?? ''), to = String(r['to_name'] ?? ''), type = String(r['type'] ?? '');
      if (config) {
        const c = control(config, from);
        if (!c) return problems.push(problemAt(`${path}.from_name`, 'LS_NOT_A_CONTROL', { name: from }));
        if (c.type !== type && !(c.type === 'rectangle' && type === 'rectanglelabels')) problems.push(problemAt(`${path}.type`, 'LS_CONTROL_TYPE', { type, control: from, controlType: c.type }));
        const targets = to.split(',').map((s) => s.trim()).filter(Boolean);
        if (targets.length === 0 || targets.some((t) => !c.toName.includes(t))) problems.push(problemAt(`${path}.to_name`, 'LS_WRONG_TARGET', { target: to, control: from, targets: c.toName.join(', ') }));
        else if (targets.some((t) => !object(config, t))) problems.push(problemAt(`${path}.to_name`, 'LS_NOT_AN_OBJECT_TAG', { target: to }));
      }
      if (!(USED_TYPES[taskType] ?? []).includes(type)) unsupported.set(`${from}|${type}`, from);
      return undefined;
    });
  task.annotations.forEach((a) => check(a.results, a.at));
  task.predictions.forEach((p) => check(p.results, p.at));
  for (const [k, from] of unsupported) dropped.push({ code: 'result_unsupported', params: { control: from, type: k.split('|')[1] } });
  if (problems.length) return { where, record, problems, adapted, dropped };

  // Gold: ground_truth, else the rule; never a cancelled annotation.
  const usable = task.annotations.map((a, i) => ({ a, i })).filter(({ a }) => !a.cancelled);
  let gold = usable.find(({ a }) => a.groundTruth);
  if (!gold && usable.length && goldRule !== 'none') {
    gold = goldRule === 'latest' ? usable.reduce((best, x) => (x.a.time > best.a.time ? x : best)) : usable[0];
    if (task.annotations.length > 1 || goldRule === 'latest') adapted.push({ code: 'gold_by_rule', params: { rule: goldRule, annotation: gold.a.ref } });
  }
  const cancelledTruth = task.annotations.filter((a) => a.cancelled);
  if (cancelledTruth.length) adapted.push({ code: 'cancelled_not_gold', params: { count: cancelledTruth.length, annotations: cancelledTruth.map((a) => a.ref).join(', ') } });
  if (!gold && task.annotations.length) dropped.push({ code: 'no_gold', params: { rule: goldRule } });

  const kept: KeptAnnotation[] = [];
  task.annotations.forEach((a, i) => {
    if (gold && i === gold.i) {
      const value = answerFromResults(ctx, a.results, `${a.at}.result`, (p) => problems.push(p), a.ref);
      if (value !== undefined) record['gold'] = value;
      kept.push({ ref: a.ref, by: a.by, cancelled: false, value: null }); // the gold, once toItems has checked it
      return;
    }
    kept.push({ ref: a.ref, by: a.by, cancelled: a.cancelled, value: a.cancelled ? null : readOther(ctx, labels, a.results, a.at, a.ref, 'annotation_unreadable') });
  });
  const predictions: KeptAnnotation[] = task.predictions.map((p) => ({ ref: p.ref, by: p.by, cancelled: false, value: readOther(ctx, labels, p.results, p.at, p.ref, 'prediction_unreadable') }));
  const others = kept.filter((k, i) => !(gold && i === gold.i)).length;
  if (others) adapted.push({ code: 'annotations_kept', params: { count: others } });
  if (predictions.length) adapted.push({ code: 'predictions_kept', params: { count: predictions.length } });

  const source: LabelStudioItemSource = { format, raw: task.raw, goldIndex: gold ? gold.i : null, annotations: kept, predictions };
  return { where, record, problems, adapted, dropped, labelStudio: source };
}

/** A non-gold annotation or a prediction: read and checked like gold, but a problem only drops it from use. */
function readOther(ctx: Ctx, labels: ExerciseLabels, results: unknown[], at: string, ref: string, code: 'annotation_unreadable' | 'prediction_unreadable'): AnswerValue | null {
  const local: Problem[] = [];
  const sub: Ctx = { ...ctx, record: { ...ctx.record }, adapted: [], dropped: [] };
  const value = answerFromResults(sub, results, `${at}.result`, (p) => local.push(p), ref);
  if (value !== undefined && local.length === 0) {
    local.push(...answerProblems(ctx.taskType, labels, String(ctx.record['id'] ?? ''), itemDataOf(ctx.record), value, `${at}.result`));
  }
  if (value === undefined || local.length) {
    ctx.dropped.push({ code, params: { ref, problem: local.length ? `${local[0].path}: ${local[0].problem}` : 'no result' } });
    return null;
  }
  ctx.adapted.push(...sub.adapted.filter((n) => !ctx.adapted.some((m) => JSON.stringify(m) === JSON.stringify(n))));
  return canonicalValue(ctx.taskType, value);
}

function itemDataOf(record: Obj): ItemData {
  const { id: _id, gold: _gold, ...data } = record;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null)) as ItemData;
}

function mediaName(value: unknown, media: ReadonlySet<string>): { value: unknown; matched: boolean } {
  if (typeof value !== 'string') return { value, matched: false };
  // An export names files by URL (…/media/<name>, /data/upload/<project>/<8 hex>-<name>); match the uploaded file by name.
  let base: string;
  try {
    base = decodeURIComponent(value.split('?')[0].split('/').pop() ?? '');
  } catch {
    base = value.split('?')[0].split('/').pop() ?? '';
  }
  const fromQuery = /[?&]d=([^&]+)/.exec(value);
  const candidates = [base, base.replace(/^[0-9a-f]{8}-/i, '')];
  if (fromQuery) candidates.push(decodeURIComponent(fromQuery[1]).split('/').pop() ?? '');
  for (const c of candidates) if (c && media.has(c)) return { value: c, matched: c !== value && !(value.endsWith(`/media/${encodeURIComponent(c)}`) || value === c) };
  return { value, matched: false };
}

function rankingData(d: Obj, config: LsConfig | undefined): Obj {
  const ranker = config?.controls.find((c) => c.type === 'ranker');
  const pairwise = config?.controls.find((c) => c.type === 'pairwise');
  const textOf = (o: Obj) => String(o['body'] ?? o['text'] ?? o['html'] ?? o['title'] ?? '');
  const promptKey = () => {
    const used = new Set([...(ranker?.toName ?? []), ...(pairwise?.toName ?? [])]);
    return config?.objects.find((o) => !used.has(o.name) && (o.type === 'text' || o.type === 'hypertext') && o.dataKey)?.dataKey ?? 'prompt';
  };
  if (pairwise || (!ranker && d['responses'] === undefined && d['items'] === undefined && ('text1' in d || 'left' in d))) {
    const [l, r] = pairwise ? pairwise.toName.map((n) => object(config, n)?.dataKey ?? n) : 'text1' in d ? ['text1', 'text2'] : ['left', 'right'];
    return { prompt: d[promptKey()] ?? '', responses: [{ id: 'left', text: d[l] }, { id: 'right', text: d[r] }] };
  }
  if (ranker || Array.isArray(d['items'])) {
    const listKey = ranker ? (object(config, ranker.toName[0])?.dataKey ?? 'items') : 'items';
    const list = d[listKey];
    return { prompt: d[promptKey()] ?? '', responses: Array.isArray(list) ? list.map((x) => (isObj(x) ? { id: String(x['id'] ?? ''), text: textOf(x) } : x)) : list };
  }
  return { prompt: d['prompt'], responses: d['responses'] };
}

/** Results to our answer value; `fail` records a problem under `at`. Undefined when there is nothing to read. */
function answerFromResults(ctx: Ctx, results: unknown[], at: string, fail: (problem: Problem) => void, ref: string): AnswerValue | undefined {
  const { taskType, record, config } = ctx;
  const of = (type: string, pred: (from: string) => boolean = () => true) =>
    results.map((r, i) => ({ r, i })).filter(({ r }) => isObj(r) && r['type'] === type && pred(String(r['from_name'] ?? ''))) as { r: Obj; i: number }[];
  const value = (r: Obj, i: number): Obj | undefined => {
    if (isObj(r['value'])) return r['value'];
    fail(problemAt(`${at}[${i}].value`, 'NOT_AN_OBJECT'));
    return undefined;
  };
  const choicesOf = (pred?: (from: string) => boolean): string[] =>
    of('choices', pred).flatMap(({ r, i }) => {
      const v = value(r, i);
      if (!v) return [];
      if (!Array.isArray(v['choices'])) {
        fail(problemAt(`${at}[${i}].value.choices`, 'NOT_A_LIST'));
        return [];
      }
      return v['choices'] as string[];
    });
  // With several Choices controls (say, sentiment and a rating of confidence), the task's own is the first of the config.
  const firstChoices = config?.controls.find((c) => c.type === 'choices' && (taskType !== 'dialogue_intent_slots' || !c.name.startsWith('slot:')))?.name;
  const mainChoices = (from: string) => (firstChoices ? from === firstChoices : true);
  switch (taskType) {
    case 'text_classification': {
      const c = choicesOf(mainChoices);
      if (c.length !== 1) {
        fail(problemAt(at, 'LS_ONE_CHOICE', { count: c.length }));
        return undefined;
      }
      return { label: c[0] };
    }
    case 'multi_label_classification':
      return { labels: choicesOf(mainChoices) };
    case 'data_cleaning':
      return { flags: choicesOf(mainChoices) };
    case 'named_entity_spans': {
      const text = typeof record['text'] === 'string' ? record['text'] : '';
      return {
        spans: of('labels').flatMap(({ r, i }) => {
          const v = value(r, i);
          if (!v) return [];
          const types = v['labels'];
          if (!Array.isArray(types) || types.length !== 1) {
            fail(problemAt(`${at}[${i}].value.labels`, 'LS_ONE_ENTITY_TYPE'));
            return [];
          }
          const span = spanOffsets(text, v, (code, params) => ctx.adapted.push({ code, params: { ...params, annotation: ref } }));
          if (!span) {
            fail(problemAt(`${at}[${i}].value.text`, 'LS_SPAN_TEXT', { text: String(v['text']) }));
            return [];
          }
          return [{ ...span, type: types[0] as string }];
        }),
      };
    }
    case 'image_bounding_boxes':
      return {
        boxes: of('rectanglelabels').flatMap(({ r, i }) => {
          const v = value(r, i);
          if (!v) return [];
          const labels = v['rectanglelabels'];
          if (!Array.isArray(labels) || labels.length !== 1) {
            fail(problemAt(`${at}[${i}].value.rectanglelabels`, 'LS_ONE_BOX_LABEL'));
            return [];
          }
          if (record['width'] === undefined && typeof r['original_width'] === 'number') record['width'] = r['original_width'];
          if (record['height'] === undefined && typeof r['original_height'] === 'number') record['height'] = r['original_height'];
          const box = clampBox(v, (sides) => ctx.adapted.push({ code: 'box_clamped', params: { annotation: ref, result: i, sides } }));
          return [{ ...box, label: labels[0] as string }];
        }),
      };
    case 'transcription': {
      const texts = of('textarea').flatMap(({ r, i }) => {
        const v = value(r, i);
        return v && Array.isArray(v['text']) ? (v['text'] as string[]) : [];
      });
      return { text: texts.join('\n') };
    }
    case 'dialogue_intent_slots': {
      const intentControl = config?.controls.find((c) => c.type === 'choices')?.name ?? 'intent';
      const c = choicesOf((from) => from === intentControl);
      if (c.length !== 1) {
        fail(problemAt(at, 'LS_ONE_INTENT', { count: c.length }));
        return undefined;
      }
      const slots = of('textarea').flatMap(({ r, i }) => {
        const name = String(r['from_name'] ?? '');
        if (!name.startsWith('slot:')) return [];
        const v = value(r, i);
        return v && Array.isArray(v['text']) ? (v['text'] as string[]).map((t) => ({ name: name.slice(5), value: t })) : [];
      });
      return { intent: c[0], slots };
    }
    case 'response_ranking': {
      const ids = Array.isArray(record['responses']) ? (record['responses'] as Obj[]).map((x) => String(isObj(x) ? x['id'] : '')) : [];
      const pair = of('pairwise')[0];
      if (pair) {
        const v = value(pair.r, pair.i);
        const selected = v?.['selected'];
        if (selected !== 'left' && selected !== 'right') {
          fail(problemAt(`${at}[${pair.i}].value.selected`, 'LS_LEFT_OR_RIGHT'));
          return undefined;
        }
        return { ranking: [[selected], [selected === 'left' ? 'right' : 'left']] };
      }
      const ranker = of('ranker')[0];
      if (!ranker) return undefined;
      const v = value(ranker.r, ranker.i);
      const lists = v && isObj(v['ranker']) ? (v['ranker'] as Record<string, unknown>) : undefined;
      if (!lists) {
        fail(problemAt(`${at}[${ranker.i}].value.ranker`, 'LS_RANKER_FORMAT'));
        return undefined;
      }
      const c = control(config, String(ranker.r['from_name'] ?? ''));
      let ranking: string[][];
      if (Array.isArray(lists['rank'])) ranking = (lists['rank'] as string[]).map((id) => [id]);
      else if (Object.keys(lists).some((k) => /^tier_\d+$/.test(k)))
        ranking = Object.keys(lists)
          .filter((k) => /^tier_\d+$/.test(k))
          .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
          .map((k) => lists[k] as string[]);
      else if (c?.buckets.length) ranking = c.buckets.map((b) => (Array.isArray(lists[b]) ? (lists[b] as string[]) : []));
      else {
        const keys = Object.keys(lists).filter((k) => k !== '_');
        // One list (the List tag's name): a strict order. Several: buckets, best first, in the order written.
        ranking = keys.length === 1 ? (lists[keys[0]] as string[]).map((id) => [id]) : keys.map((k) => lists[k] as string[]);
      }
      ranking = ranking.filter((t) => Array.isArray(t) && t.length > 0).map((t) => t.map(String));
      const placed = new Set(ranking.flat());
      const unplaced = ids.filter((id) => !placed.has(id));
      if (unplaced.length && ranking.length) {
        ranking.push(unplaced);
        ctx.adapted.push({ code: 'ranker_unplaced', params: { annotation: ref, responses: unplaced.join(', ') } });
      }
      return { ranking };
    }
    default:
      return undefined;
  }
}

/** Code-point offsets of a span; the stored `text` confirms them, converts UTF-16 offsets of older versions, or (multi-line) differs only in whitespace. */
function spanOffsets(text: string, v: Obj, note: (code: 'span_text_differs' | 'span_utf16_offsets', params: Record<string, string | number>) => void): { start: number; end: number } | null {
  const start = v['start'], end = v['end'];
  if (!Number.isInteger(start) || !Number.isInteger(end)) return { start: start as number, end: end as number }; // the validator names it
  const s = start as number, e = end as number;
  if (typeof v['text'] !== 'string') return { start: s, end: e };
  const given = v['text'];
  // Label Studio stores the text as the browser serialised the selection: line breaks may come back as spaces or not at all.
  const squash = (x: string) => x.replace(/\s+/g, '');
  const byCodePoint = e <= codePointLength(text) && s >= 0 && s < e ? sliceCodePoints(text, s, e) : null;
  const byUnit = e <= text.length && s >= 0 && s < e ? text.slice(s, e) : null;
  if (byCodePoint === given) return { start: s, end: e };
  if (byUnit === given) {
    note('span_utf16_offsets', { start: s, end: e });
    return { start: utf16IndexToCodePointOffset(text, s), end: utf16IndexToCodePointOffset(text, e) };
  }
  if (byCodePoint !== null && squash(byCodePoint) === squash(given)) {
    note('span_text_differs', { start: s, end: e });
    return { start: s, end: e };
  }
  if (byUnit !== null && squash(byUnit) === squash(given)) {
    note('span_utf16_offsets', { start: s, end: e });
    return { start: utf16IndexToCodePointOffset(text, s), end: utf16IndexToCodePointOffset(text, e) };
  }
  return null;
}

/** Floating-point overshoot of the image (up to half a percent, as Label Studio writes it) is clamped; more is left for the validator to refuse. */
const OVERSHOOT = 0.5;
function clampBox(v: Obj, note: (sides: string) => void): { x: number; y: number; width: number; height: number; rotation?: number } {
  let x = v['x'] as number, y = v['y'] as number, width = v['width'] as number, height = v['height'] as number;
  const rotation = typeof v['rotation'] === 'number' && v['rotation'] % 360 !== 0 ? v['rotation'] : undefined;
  const nums = [x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n));
  if (nums && rotation === undefined) {
    const sides: string[] = [];
    if (x < 0 && x >= -OVERSHOOT) {
      width += x;
      x = 0;
      sides.push('left');
    }
    if (y < 0 && y >= -OVERSHOOT) {
      height += y;
      y = 0;
      sides.push('top');
    }
    if (x + width > 100 && x + width <= 100 + OVERSHOOT) {
      width = 100 - x;
      sides.push('right');
    }
    if (y + height > 100 && y + height <= 100 + OVERSHOOT) {
      height = 100 - y;
      sides.push('bottom');
    }
    if (sides.length) note(sides.join(', '));
  }
  return { x, y, width, height, ...(rotation !== undefined && { rotation }) };
}

// ---------------------------------------------------------------- export

export interface ExportItem {
  externalId: string;
  position: number;
  data: ItemData;
  gold: AnswerValue | null;
  labelStudio: LabelStudioItemSource | null;
}

interface Names {
  from: string;
  to: string;
}

/** The export as a file: the form that came in (JSON by default), each task as it came with the gold brought up to date. */
export function toLabelStudioFile(
  taskType: LabellingTaskType,
  file: LabelStudioFileSource | null,
  config: LsConfig | undefined,
  mediaUrl: (name: string) => string,
  items: ExportItem[],
): { body: string; contentType: string; fileName: string } {
  const format = file?.format ?? 'json';
  if (format === 'json') {
    const tasks = items.map((item) => jsonTaskOf(taskType, config, mediaUrl, item));
    const body = JSON.stringify(file?.single && tasks.length === 1 ? tasks[0] : tasks, null, 2);
    return { body, contentType: 'application/json; charset=utf-8', fileName: 'label-studio-tasks.json' };
  }
  const records = items.flatMap((item) => minRecordsOf(taskType, config, mediaUrl, item, format));
  if (format === 'json-min') return { body: JSON.stringify(records, null, 2), contentType: 'application/json; charset=utf-8', fileName: 'label-studio-tasks.min.json' };
  const columns = [...(file?.columns ?? [])];
  for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const body = [columns.map(cell).join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
  return { body, contentType: 'text/csv; charset=utf-8', fileName: 'label-studio-tasks.csv' };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The gold as it was read (to tell whether the instructor changed it since). */
const importedGold = (src: LabelStudioItemSource): AnswerValue | null => (src.goldIndex === null ? null : (src.annotations[src.goldIndex]?.value ?? null));

function jsonTaskOf(taskType: LabellingTaskType, config: LsConfig | undefined, mediaUrl: (name: string) => string, item: ExportItem): Obj {
  const src = item.labelStudio;
  if (src?.format === 'json' && isObj(src.raw)) {
    const task = structuredClone(src.raw);
    if (!item.gold || sameValue(importedGold(src), item.gold)) return task;
    const key = Array.isArray(task['annotations']) ? 'annotations' : Array.isArray(task['completions']) ? 'completions' : 'annotations';
    const list = (task[key] ?? []) as Obj[];
    const old = src.goldIndex !== null ? list[src.goldIndex] : undefined;
    const oldResults = (Array.isArray(old?.['result']) ? old['result'] : []) as Obj[];
    const results = goldToResults(taskType, item.gold, namesFor(taskType, config, oldResults), item.data);
    const keep = oldResults.filter((r) => !(USED_TYPES[taskType] ?? []).includes(String(r['type'])));
    if (old) old['result'] = [...results, ...keep];
    else list.push({ id: `gold-${item.externalId}`, ground_truth: true, result: results });
    task[key] = list;
    return task;
  }
  return generatedTask(taskType, config, mediaUrl, item);
}

function minRecordsOf(taskType: LabellingTaskType, config: LsConfig | undefined, mediaUrl: (name: string) => string, item: ExportItem, format: LabelStudioFormat): Obj[] {
  const src = item.labelStudio;
  const controls = config?.controls ?? [];
  if (src && src.format === format && Array.isArray(src.raw)) {
    const records = structuredClone(src.raw) as Obj[];
    if (!item.gold || sameValue(importedGold(src), item.gold)) return records;
    const results = goldToResults(taskType, item.gold, namesFor(taskType, config, []), item.data);
    const pretty = prettify(results, controls);
    if (src.goldIndex !== null) {
      const r = records[src.goldIndex];
      for (const c of controls) if ((USED_TYPES[taskType] ?? []).includes(c.type)) delete r[c.name];
      Object.assign(r, format === 'csv' ? stringifyCells(pretty) : pretty);
    } else records.push({ ...records[0], ...(format === 'csv' ? stringifyCells(pretty) : pretty), annotator: '', annotation_id: '' });
    return records;
  }
  const task = generatedTask(taskType, config, mediaUrl, item);
  const annotation = (task['annotations'] as Obj[])[0];
  const pretty = annotation ? prettify(annotation['result'] as Obj[], controls) : {};
  const record: Obj = { ...(task['data'] as Obj), id: task['id'], ...(format === 'csv' ? stringifyCells(pretty) : pretty) };
  return [record];
}

const stringifyCells = (o: Obj): Obj => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

/** The converter's `_prettify`: one choice or one text as a plain string, otherwise the list of values. */
function prettify(results: Obj[], controls: LsControl[]): Obj {
  const by = new Map<string, Obj[]>();
  for (const r of results) {
    const name = String(r['from_name']);
    const v: Obj = { ...(r['value'] as Obj) };
    if (r['original_width'] !== undefined) v['original_width'] = r['original_width'];
    if (r['original_height'] !== undefined) v['original_height'] = r['original_height'];
    by.set(name, [...(by.get(name) ?? []), v]);
  }
  const out: Obj = {};
  for (const [name, values] of by) {
    const type = controls.find((c) => c.name === name)?.type ?? '';
    const flat = values.map((v) => (type === 'choices' && Array.isArray(v['choices']) && v['choices'].length === 1 ? v['choices'][0] : type === 'textarea' && Array.isArray(v['text']) && v['text'].length === 1 ? v['text'][0] : v));
    out[name] = (type === 'choices' || type === 'textarea') && flat.length === 1 ? flat[0] : flat;
  }
  return out;
}

/** The control names to write a gold with: those the annotation used, else the config's, else ours. */
function namesFor(taskType: LabellingTaskType, config: LsConfig | undefined, results: Obj[]): Record<string, Names> {
  const out: Record<string, Names> = {};
  const defaults: Record<string, Names> = {
    choices: { from: taskType === 'data_cleaning' ? 'flags' : taskType === 'dialogue_intent_slots' ? 'intent' : 'label', to: 'text' },
    labels: { from: 'label', to: 'text' },
    rectanglelabels: { from: 'label', to: 'image' },
    textarea: { from: 'transcription', to: 'audio' },
    ranker: { from: 'rank', to: 'responses' },
    pairwise: { from: 'pairwise', to: 'left,right' },
  };
  for (const type of Object.keys(CONTROL_OF_TYPE)) {
    const r = results.find((x) => x['type'] === type && !(type === 'textarea' && taskType === 'dialogue_intent_slots'));
    const c = config?.controls.find((x) => x.type === type);
    out[type] = r ? { from: String(r['from_name']), to: String(r['to_name']) } : c ? { from: c.name, to: c.toName.join(',') } : defaults[type];
  }
  return out;
}

function generatedTask(taskType: LabellingTaskType, config: LsConfig | undefined, mediaUrl: (name: string) => string, item: ExportItem): Obj {
  const d = item.data;
  const url = (v: string | undefined) => (v === undefined ? undefined : isExternalUrl(v) ? v : mediaUrl(v));
  const names = namesFor(taskType, config, []);
  const dataKey = (type: string, fallback: string) => {
    const to = names[type]?.to.split(',')[0];
    return object(config, to ?? '')?.dataKey ?? fallback;
  };
  let data: Obj;
  switch (taskType) {
    case 'image_bounding_boxes':
      data = { [dataKey('rectanglelabels', 'image')]: url(d.image), width: d.width, height: d.height };
      break;
    case 'transcription':
      data = { [dataKey('textarea', 'audio')]: url(d.audio), transcript: d.machineTranscript };
      break;
    case 'dialogue_intent_slots':
      data = { dialogue: (d.turns ?? []).map((t) => ({ author: t.speaker, text: t.text })) };
      break;
    case 'response_ranking':
      data = { prompt: d.prompt, responses: d.responses };
      break;
    case 'data_cleaning':
      data = { text: d.text, image: url(d.image), topic: d.topic };
      break;
    case 'sft_writing':
    case 'preference_rationale':
    case 'guideline_writing':
    case 'error_review':
      // Open-ended work has no Label Studio control to carry its gold: the data is exported, the references are not.
      data = { ...d };
      break;
    default:
      data = { [dataKey(taskType === 'named_entity_spans' ? 'labels' : 'choices', 'text')]: d.text };
  }
  data = Object.fromEntries(Object.entries({ ...data, item_id: item.externalId }).filter(([, v]) => v !== undefined));
  const task: Obj = { id: item.position + 1, data, annotations: [] };
  if (item.gold && !isOpenTaskType(taskType)) task['annotations'] = [{ id: item.position + 1, ground_truth: true, result: goldToResults(taskType, item.gold, names, d) }];
  return task;
}

function goldToResults(taskType: LabellingTaskType, gold: AnswerValue, names: Record<string, Names>, d: ItemData): Obj[] {
  const g = gold as Obj;
  let n = 0;
  const r = (type: string, value: Obj, extra: Obj = {}, from = names[type].from): Obj => ({ id: `r${++n}`, from_name: from, to_name: names[type].to, type, value, ...extra });
  switch (taskType) {
    case 'text_classification':
      return [r('choices', { choices: [g['label']] })];
    case 'multi_label_classification':
      return (g['labels'] as string[]).length ? [r('choices', { choices: g['labels'] })] : [];
    case 'data_cleaning':
      return (g['flags'] as string[]).length ? [r('choices', { choices: g['flags'] })] : [];
    case 'named_entity_spans':
      return (g['spans'] as { start: number; end: number; type: string }[]).map((s) => r('labels', { start: s.start, end: s.end, text: sliceCodePoints(d.text ?? '', s.start, s.end), labels: [s.type] }));
    case 'image_bounding_boxes':
      return (g['boxes'] as { x: number; y: number; width: number; height: number; label: string; rotation?: number }[]).map((b) =>
        r('rectanglelabels', { x: b.x, y: b.y, width: b.width, height: b.height, rotation: b.rotation ?? 0, rectanglelabels: [b.label] }, {
          ...(d.width !== undefined && { original_width: d.width }),
          ...(d.height !== undefined && { original_height: d.height }),
          image_rotation: 0,
        }),
      );
    case 'transcription':
      return [r('textarea', { text: [g['text']] })];
    case 'dialogue_intent_slots': {
      const bySlot = new Map<string, string[]>();
      for (const s of g['slots'] as { name: string; value: string }[]) bySlot.set(s.name, [...(bySlot.get(s.name) ?? []), s.value]);
      return [r('choices', { choices: [g['intent']] }), ...[...bySlot].map(([name, values]) => ({ ...r('textarea', { text: values }, {}, `slot:${name}`), to_name: 'dialogue' }))];
    }
    case 'response_ranking': {
      const tiers = g['ranking'] as string[][];
      const ids = tiers.flat();
      if (ids.length === 2 && ids.every((id) => id === 'left' || id === 'right') && tiers.length === 2) return [r('pairwise', { selected: tiers[0][0] })];
      const strict = tiers.every((t) => t.length === 1);
      const ranker = strict ? { rank: tiers.map((t) => t[0]) } : Object.fromEntries(tiers.map((t, i) => [`tier_${i + 1}`, t]));
      return [r('ranker', { ranker })];
    }
    default:
      return [];
  }
}
