import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { SheetLimits } from './upload-limits';
import { uploadInvalid, uploadTooLarge } from './upload-errors';
import { DomainError } from '../errors/domain-error';

/** One non-empty row of a worksheet: its Excel row number and its cell values from column A (index 0). */
export interface SheetRow {
  rowNumber: number;
  cells: ExcelJS.CellValue[];
}

const textLength = (v: ExcelJS.CellValue): number => {
  if (typeof v === 'string') return v.length;
  if (v && typeof v === 'object' && 'richText' in v) return v.richText.reduce((n, r) => n + r.text.length, 0);
  if (v && typeof v === 'object' && 'text' in v) return String(v.text).length;
  return 0;
};

/**
 * Reads the first worksheet of an .xlsx with exceljs's streaming reader (row by row, never the whole workbook as
 * objects), refusing it as soon as it passes a row, column, cell or cell-length limit. Run it after `inspectZip`,
 * in the parse worker.
 */
export async function readFirstSheet(bytes: Buffer, limits: SheetLimits, field = 'file'): Promise<SheetRow[]> {
  // Loaded here, not at the top: the parse worker starts faster for the files that are not workbooks.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  const rows: SheetRow[] = [];
  let cellCount = 0;
  let sawSheet = false;
  try {
    for await (const sheet of reader) {
      sawSheet = true;
      for await (const row of sheet) {
        const values = (Array.isArray(row.values) ? row.values.slice(1) : []) as ExcelJS.CellValue[];
        while (values.length && (values[values.length - 1] === null || values[values.length - 1] === undefined)) values.pop();
        if (values.length === 0) continue;
        if (values.length > limits.maxColumns) throw uploadTooLarge(field, 'SHEET_TOO_MANY_COLUMNS', `has ${values.length} columns in row ${row.number}; at most ${limits.maxColumns} are read`, { row: row.number, limit: limits.maxColumns });
        if (rows.length >= limits.maxRows) throw uploadTooLarge(field, 'SHEET_TOO_MANY_ROWS', `has more than ${limits.maxRows} rows; import at most ${limits.maxRows} at a time`, { limit: limits.maxRows });
        cellCount += values.length;
        if (cellCount > limits.maxCells) throw uploadTooLarge(field, 'SHEET_TOO_MANY_CELLS', `has more than ${limits.maxCells} cells`, { limit: limits.maxCells });
        for (let c = 0; c < values.length; c++) {
          if (textLength(values[c]) > limits.maxCellChars) {
            throw uploadTooLarge(field, 'SHEET_CELL_TOO_LONG', `has a cell longer than ${limits.maxCellChars} characters (row ${row.number})`, { row: row.number, limit: limits.maxCellChars });
          }
        }
        rows.push({ rowNumber: row.number, cells: values });
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw uploadInvalid(field, 'ZIP_UNREADABLE', 'is not a readable Excel (.xlsx) workbook');
  }
  if (!sawSheet) throw uploadInvalid(field, 'ZIP_UNREADABLE', 'has no worksheet');
  return rows;
}
