import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { ID_DOCUMENT_TYPES, type IdDocumentType, type ImportColumn } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import { decodeUpload } from '../common/text/decode-upload';
import { rosterProblem, type RosterProblem } from './roster-problems';
import { inspectZip } from '../common/uploads/zip-guard';
import { readFirstSheet } from '../common/uploads/sheet-reader';
import { XLSX_ZIP_LIMITS } from '../common/uploads/upload-limits';

/** One data row of a roster file, as text, before validation. */
export interface RosterRow {
  line: number;
  name: string;
  idDocumentType: string;
  idNumber: string;
  phone: string;
  cohort: string;
  /** Problems found while reading the cell (e.g. an ID number Excel stored as a number). */
  readProblems: RosterProblem[];
}

export const MAX_ROSTER_ROWS = 5000;

/** Accepted header names per column: Chinese as schools write them, and English. */
const HEADERS: Record<Exclude<ImportColumn, 'file'>, string[]> = {
  name: ['姓名', 'name', 'realname', '学员姓名'],
  idDocumentType: ['证件类型', 'iddocumenttype', 'id document type', 'idtype', 'id type'],
  idNumber: ['证件号码', 'idnumber', 'id number', '身份证号', '身份证号码'],
  phone: ['手机号', '手机号码', '电话', 'phone', 'mobile'],
  cohort: ['班级', 'cohort', 'class'],
};
const REQUIRED_COLUMNS = ['name', 'idDocumentType', 'idNumber', 'cohort'] as const;

/** ID document types by the words a school may use in the file. */
const ID_TYPE_WORDS: Record<string, IdDocumentType> = {
  居民身份证: 'resident_id',
  身份证: 'resident_id',
  港澳台居民居住证: 'hmt_residence_permit',
  港澳居民来往内地通行证: 'hk_macao_permit',
  台湾居民来往大陆通行证: 'taiwan_permit',
  护照: 'passport',
  外国人永久居留身份证: 'foreign_permanent_resident',
  ...Object.fromEntries(ID_DOCUMENT_TYPES.map((t) => [t, t])),
};

export function idDocumentTypeFromCell(value: string): IdDocumentType | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'resident_id'; // the usual case, left blank by many schools
  return ID_TYPE_WORDS[trimmed] ?? ID_TYPE_WORDS[trimmed.toLowerCase()] ?? null;
}

const normaliseHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[_*（）()]/g, '').trim();

function columnIndexes(header: string[]): Record<Exclude<ImportColumn, 'file'>, number> {
  const normalised = header.map(normaliseHeader);
  const indexes = {} as Record<Exclude<ImportColumn, 'file'>, number>;
  for (const [column, names] of Object.entries(HEADERS) as [Exclude<ImportColumn, 'file'>, string[]][]) {
    indexes[column] = normalised.findIndex((h) => names.includes(h));
  }
  const missing = REQUIRED_COLUMNS.filter((c) => indexes[c] < 0);
  if (missing.length) {
    throw DomainError.validation('file', 'ROSTER_MISSING_COLUMNS', { columns: missing.map((c) => HEADERS[c][0]).join(', ') });
  }
  return indexes;
}

function toRows(table: { line: number; cells: string[]; problems?: RosterRow['readProblems'] }[]): RosterRow[] {
  if (table.length === 0) throw DomainError.validation('file', 'FILE_EMPTY');
  const [header, ...data] = table;
  const ix = columnIndexes(header.cells);
  const cell = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
  const rows = data
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({
      line: r.line,
      name: cell(r.cells, ix.name),
      idDocumentType: cell(r.cells, ix.idDocumentType),
      idNumber: cell(r.cells, ix.idNumber),
      phone: cell(r.cells, ix.phone),
      cohort: cell(r.cells, ix.cohort),
      readProblems: r.problems ?? [],
    }));
  if (rows.length === 0) throw DomainError.validation('file', 'ROSTER_NO_STUDENTS');
  if (rows.length > MAX_ROSTER_ROWS) throw DomainError.validation('file', 'TOO_MANY_ROWS', { count: rows.length, max: MAX_ROSTER_ROWS });
  return rows;
}

function parseCsv(content: Buffer): RosterRow[] {
  const text = decodeUpload(content);
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: false });
  } catch (e) {
    throw DomainError.validation('file', 'NOT_CSV', { detail: (e as Error).message.split('\n')[0] });
  }
  return toRows(records.map((cells, i) => ({ line: i + 1, cells: cells.map(String) })));
}

/** What a roster workbook may hold: a header row and MAX_ROSTER_ROWS students, a few columns each. */
export const ROSTER_SHEET_LIMITS = { maxRows: MAX_ROSTER_ROWS + 1, maxColumns: 64, maxCells: 200_000, maxCellChars: 32_767 };

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** The workbook is inspected as a zip, then read row by row with exceljs's streaming reader, within limits. */
async function parseXlsx(content: Buffer): Promise<RosterRow[]> {
  await inspectZip(content, XLSX_ZIP_LIMITS, 'file');
  const sheet = await readFirstSheet(content, ROSTER_SHEET_LIMITS, 'file');
  const table: { line: number; cells: string[]; problems: RosterRow['readProblems'] }[] = [];
  let idColumn = -1;
  for (const row of sheet) {
    const cells: string[] = [];
    const problems: RosterRow['readProblems'] = [];
    for (let c = 0; c < Math.max(row.cells.length, 5); c++) {
      const value = row.cells[c] ?? null;
      if (table.length > 0 && c === idColumn && typeof value === 'number' && !Number.isSafeInteger(value)) {
        problems.push(rosterProblem('idNumber', 'ROSTER_EXCEL_NUMBER'));
      }
      cells.push(cellText(value));
    }
    if (table.length === 0) idColumn = cells.map(normaliseHeader).findIndex((h) => HEADERS.idNumber.includes(h));
    table.push({ line: row.rowNumber, cells, problems });
  }
  return toRows(table);
}

/** Reads a CSV or .xlsx roster; a file that cannot be read at all is a 400 naming `file`. */
export async function parseRosterFile(content: Buffer, fileName: string): Promise<RosterRow[]> {
  const lower = fileName.toLowerCase();
  const isZip = content.length >= 4 && content[0] === 0x50 && content[1] === 0x4b;
  if (lower.endsWith('.xlsx') || isZip) return parseXlsx(content);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return parseCsv(content);
  if (lower.endsWith('.xls')) throw DomainError.validation('file', 'OLD_EXCEL');
  throw DomainError.validation('file', 'ROSTER_FILE_TYPE');
}
