import ExcelJS from 'exceljs';
import { lyingZipBombXlsx, manyRowsXlsx, zipBombXlsx } from '../../../test/support/zip-bomb';
import { DomainError } from '../errors/domain-error';
import { inspectZip } from './zip-guard';
import { readFirstSheet } from './sheet-reader';
import { UploadParser } from './upload-parser';
import { XLSX_ZIP_LIMITS } from './upload-limits';

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  const d = e as DomainError;
  return { code: d.code, field: d.fields?.[0]?.field, problem: d.fields?.[0]?.code, params: d.fields?.[0]?.params };
};

describe('inspectZip (before any parser sees the workbook)', () => {
  it('refuses a 300 MB cell packed into a few hundred KB by its declared size', async () => {
    const bomb = await zipBombXlsx(300);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refusal(inspectZip(bomb, XLSX_ZIP_LIMITS))).toEqual({ code: 'PAYLOAD_TOO_LARGE', field: 'file', problem: 'ZIP_ENTRY_TOO_LARGE', params: { name: 'xl/worksheets/sheet1.xml', limitMb: 50 } });
  });

  it('refuses an entry under the size limit compressed a thousand times (the ratio)', async () => {
    expect(await refusal(inspectZip(await zipBombXlsx(20), XLSX_ZIP_LIMITS))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', problem: 'ZIP_RATIO_TOO_HIGH', params: { limit: 200 } });
  });

  it('refuses a bomb whose directory lies about its size, stopping once it unpacks past what it declared', async () => {
    const bomb = await lyingZipBombXlsx(300);
    const started = Date.now();
    expect(await refusal(inspectZip(bomb, XLSX_ZIP_LIMITS))).toMatchObject({ code: 'VALIDATION_FAILED', problem: 'ZIP_UNREADABLE' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses too many entries, and a file that is no zip', async () => {
    expect(await refusal(inspectZip(manyRowsXlsx(3), { ...XLSX_ZIP_LIMITS, maxEntries: 4 }))).toMatchObject({ problem: 'ZIP_TOO_MANY_ENTRIES', params: { count: 5, limit: 4 } });
    expect(await refusal(inspectZip(Buffer.from('id,text\n1,x\n'), XLSX_ZIP_LIMITS))).toMatchObject({ code: 'VALIDATION_FAILED', problem: 'ZIP_UNREADABLE' });
  });

  it('passes a workbook exceljs wrote', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['a', 'b']);
    const result = await inspectZip(Buffer.from(await wb.xlsx.writeBuffer()), XLSX_ZIP_LIMITS);
    expect(result.entries).toBeGreaterThan(3);
  });
});

describe('readFirstSheet (streaming, with limits)', () => {
  const limits = { maxRows: 10, maxColumns: 5, maxCells: 100, maxCellChars: 20 };

  it('reads the rows of the first sheet with their Excel row numbers', async () => {
    const rows = await readFirstSheet(manyRowsXlsx(10), limits);
    expect(rows.map((r) => [r.rowNumber, r.cells])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, [`r${i}`]]));
  });

  it('stops at the row, column and cell-length limits', async () => {
    expect(await refusal(readFirstSheet(manyRowsXlsx(11), limits))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', problem: 'SHEET_TOO_MANY_ROWS', params: { limit: 10 } });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(await refusal(readFirstSheet(Buffer.from(await wb.xlsx.writeBuffer()), limits))).toMatchObject({ problem: 'SHEET_TOO_MANY_COLUMNS', params: { row: 1, limit: 5 } });
    const wb2 = new ExcelJS.Workbook();
    wb2.addWorksheet('s').addRow(['x'.repeat(21)]);
    expect(await refusal(readFirstSheet(Buffer.from(await wb2.xlsx.writeBuffer()), limits))).toMatchObject({ problem: 'SHEET_CELL_TOO_LONG', params: { row: 1, limit: 20 } });
  });
});

describe('UploadParser (a worker thread per parse, with resource limits)', () => {
  const parser = new UploadParser();
  const csv = (rows: number) =>
    Buffer.from(
      'type,stem,options,correct\n' + Array.from({ length: rows }, (_, i) => `single_choice,第 ${i} 题：哪个对？${'题干'.repeat(40)},A. 对|B. 错,A`).join('\n') + '\n',
      'utf8',
    );

  it('parses in the worker and hands the result back', async () => {
    const report = await parser.parse('bank-file', { bytes: csv(3), format: 'csv' });
    expect(report.questions).toHaveLength(3);
  });

  it('a refusal made in the worker comes back as the same 4xx', async () => {
    expect(await refusal(parser.parse('bank-xlsx', { bytes: await zipBombXlsx(300) }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', problem: 'ZIP_ENTRY_TOO_LARGE' });
  });

  it('a worker that runs out of its heap is a 413 FILE_TOO_COMPLEX, and the process carries on', async () => {
    const bytes = csv(20_000);
    expect(await refusal(parser.parse('bank-file', { bytes, format: 'csv' }, 'file', { maxOldGenerationSizeMb: 12, maxYoungGenerationSizeMb: 4 }))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      field: 'file',
      problem: 'FILE_TOO_COMPLEX',
      params: { limitMb: 12 },
    });
    // The same file within the normal limits is read.
    expect((await parser.parse('bank-file', { bytes, format: 'csv' })).questions).toHaveLength(20_000);
  }, 60_000);
});
