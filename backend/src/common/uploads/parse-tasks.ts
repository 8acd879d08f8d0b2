import { parse as parseCsvSync } from 'csv-parse/sync';
import type { ExerciseLabels, GoldRule, LabellingTaskType } from '@aitrainer/contracts';
import { parseBankCsv, type ImportReport } from '@aitrainer/domain';
import { DomainError } from '../errors/domain-error';
import { decodeUpload } from '../text/decode-upload';
import { parseBankXlsx } from '../../question-bank/bank-xlsx';
import { readMoodleXml } from '../../question-bank/moodle-xml';
import { readGift } from '../../question-bank/moodle/gift-reader';
import { toImportReport, type MoodleFile } from '../../question-bank/moodle/moodle-question';
import { parseRosterFile, type RosterRow } from '../../courses/roster-file';
import { DatasetError, readDatasetFile, type SourceRecord } from '../../labelling/dataset-parser';
import { fromLabelStudio, type LabelStudioFileSource } from '../../labelling/label-studio';
import { parseLabelConfig } from '../../labelling/label-studio-config';

/**
 * Everything that parses an uploaded file, by name: these run in the parse worker (`upload.worker.ts`), never on the
 * API's event loop. Inputs and results cross the thread boundary by structured clone (Buffers arrive as Uint8Array).
 */
export const PARSE_TASKS = {
  /** The question bank's Excel template. */
  'bank-xlsx': async (i: { bytes: Uint8Array }): Promise<ImportReport> => parseBankXlsx(toBuffer(i.bytes)),

  /** A GIFT, Moodle XML or bank CSV file; Moodle's embedded files come back per question index. */
  'bank-file': async (i: { bytes: Uint8Array; format: 'gift' | 'moodle_xml' | 'csv' }): Promise<ImportReport & { files?: [number, MoodleFile[]][] }> => {
    const text = decodeUpload(toBuffer(i.bytes), 'file');
    let report: ImportReport & { files?: Map<number, MoodleFile[]> };
    try {
      report = i.format === 'gift' ? toImportReport(readGift(text)) : i.format === 'csv' ? parseBankCsv(text) : toImportReport(readMoodleXml(text));
    } catch (e) {
      throw DomainError.validation('file', 'FILE_UNREADABLE_AS', { format: i.format === 'gift' ? 'GIFT' : i.format === 'csv' ? 'CSV' : 'Moodle XML', detail: (e as Error).message });
    }
    return { questions: report.questions, skipped: report.skipped, ...(report.files && { files: [...report.files.entries()] }) };
  },

  /** A school's roster, CSV or .xlsx. */
  roster: async (i: { bytes: Uint8Array; fileName: string }): Promise<RosterRow[]> => parseRosterFile(toBuffer(i.bytes), i.fileName),

  /** A labelling dataset, JSONL or CSV. */
  'labelling-dataset': async (i: { bytes: Uint8Array; fileName: string }): Promise<SourceRecord[]> => readDatasetFile(i.fileName, toBuffer(i.bytes)),

  /** A Label Studio export with, optionally, the project's labelling config. */
  'label-studio': async (i: {
    taskType: LabellingTaskType;
    labels: ExerciseLabels;
    fileName: string;
    bytes: Uint8Array;
    config?: Uint8Array;
    media: string[];
    goldRule: GoldRule;
  }): Promise<{ file: LabelStudioFileSource; records: SourceRecord[] }> => {
    let config;
    if (i.config) {
      const parsed = parseLabelConfig(decodeUpload(toBuffer(i.config), 'config'));
      if (!parsed.config) throw new DatasetError(parsed.problems);
      config = parsed.config;
    }
    return fromLabelStudio(i.taskType, i.labels, { fileName: i.fileName, text: decodeUpload(toBuffer(i.bytes)) }, config, new Set(i.media), i.goldRule);
  },

  /** A CSV with a header row, as records (calibration files). */
  'csv-records': async (i: { bytes: Uint8Array }): Promise<Record<string, string>[]> => {
    try {
      return parseCsvSync(toBuffer(i.bytes).toString('utf8').replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((x) => x.trim()), skip_empty_lines: true });
    } catch (e) {
      throw DomainError.validation('file', 'NOT_CSV', { detail: (e as Error).message.split('\n')[0] });
    }
  },
} satisfies Record<string, (input: never) => Promise<unknown>>;

export type ParseTaskName = keyof typeof PARSE_TASKS;
export type ParseTaskInput<K extends ParseTaskName> = Parameters<(typeof PARSE_TASKS)[K]>[0];
export type ParseTaskResult<K extends ParseTaskName> = Awaited<ReturnType<(typeof PARSE_TASKS)[K]>>;

export const toBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

/** An error as it crosses back from the worker. */
export type SerialisedError =
  | { kind: 'domain'; code: DomainError['code']; message: string; fields?: DomainError['fields'] }
  | { kind: 'dataset'; problems: DatasetError['problems'] }
  | { kind: 'error'; message: string };

export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof DomainError) return { kind: 'domain', code: e.code, message: e.message, fields: e.fields };
  if (e instanceof DatasetError) return { kind: 'dataset', problems: e.problems };
  return { kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

export function reviveError(e: SerialisedError): Error {
  if (e.kind === 'domain') return new DomainError(e.code, e.message, e.fields);
  if (e.kind === 'dataset') return new DatasetError(e.problems);
  return new Error(`upload parse failed in the worker: ${e.message}`);
}
