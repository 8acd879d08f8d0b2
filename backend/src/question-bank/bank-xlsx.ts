import type ExcelJS from 'exceljs';
import type { QuestionContent, QuestionTags, QuestionType } from '@aitrainer/contracts';
import { BANK_CSV_COLUMNS, bankCsv, parseBankCsv, parseCsv, type ImportReport } from '@aitrainer/domain';
import { inspectZip } from '../common/uploads/zip-guard';
import { readFirstSheet, type SheetRow } from '../common/uploads/sheet-reader';
import { XLSX_ZIP_LIMITS } from '../common/uploads/upload-limits';

type ExportedQuestion = { type: QuestionType; content: QuestionContent; tags: QuestionTags };

/**
 * The bank's template as an Excel workbook: the same columns and cells as the CSV template (`bank-csv.ts` in
 * libs/domain), one question per row on the first sheet. Both directions go through the CSV template's own writer and
 * reader, so the two files can never disagree on a column.
 */
export async function bankXlsx(questions: readonly ExportedQuestion[]): Promise<Buffer> {
  const rows = parseCsv(bankCsv(questions)).filter((r) => r.some((c) => c !== ''));
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet('questions');
  sheet.columns = BANK_CSV_COLUMNS.map((key) => ({ header: key, key, width: key === 'stem' || key === 'options' ? 40 : 16 }));
  for (const cells of rows.slice(1)) {
    const row = sheet.addRow(cells);
    // Text cells: Excel must not turn `true`, `4|5` or long numbers into other values.
    row.eachCell((cell) => (cell.numFmt = '@'));
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** What the bank's Excel template may hold (one question per row). */
export const BANK_SHEET_LIMITS = { maxRows: 10_001, maxColumns: 64, maxCells: 200_000, maxCellChars: 32_767 };

/**
 * Reads the template from an .xlsx workbook (first sheet, header row first) with the CSV template's reader; every row
 * that cannot become a question is reported with its Excel row number and why. The workbook is inspected as a zip
 * first and read with the streaming reader (`common/uploads`); throws a DomainError naming `file` when it is refused.
 */
export async function parseBankXlsx(content: Buffer): Promise<ImportReport> {
  await inspectZip(content, XLSX_ZIP_LIMITS, 'file');
  return bankReportFromRows(await readFirstSheet(content, BANK_SHEET_LIMITS, 'file'));
}

export function bankReportFromRows(rows: SheetRow[]): ImportReport {
  const records: string[] = [];
  const excelRowOfLine = new Map<number, number>();
  let line = 1;
  for (const row of rows) {
    const cells: string[] = [];
    for (let c = 0; c < Math.max(row.cells.length, BANK_CSV_COLUMNS.length); c++) cells.push(cellText(row.cells[c] ?? null));
    const record = cells.map(csvCell).join(',');
    excelRowOfLine.set(line, row.rowNumber);
    line += record.split(/\r\n|\r|\n/).length; // a cell with line breaks spans several CSV lines
    records.push(record);
  }
  if (records.length === 0) return { questions: [], skipped: [] };
  const report = parseBankCsv(records.join('\n') + '\n');
  const row = (l: number) => excelRowOfLine.get(l) ?? l;
  return { questions: report.questions.map((q) => ({ ...q, line: row(q.line) })), skipped: report.skipped.map((s) => ({ ...s, line: row(s.line) })) };
}
