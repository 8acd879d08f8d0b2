// Builds hostile .xlsx files in memory for the upload tests (nothing binary is committed). A real zip: local headers,
// raw-deflate data, a central directory, CRC-32s, readable by yauzl and exceljs. Only erasable TypeScript, so the
// process tests (plain Node, type stripping) import this file too.
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  data: Buffer;
}

/** Deflates `repeat` copies of `chunk` between `head` and `tail` without ever holding the inflated text. */
async function deflateRepeated(head: string, chunk: Buffer, repeat: number, tail: string): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', () => resolve());
    deflate.on('error', reject);
  });
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  await write(Buffer.from(head, 'utf8'));
  for (let i = 0; i < repeat; i++) await write(chunk);
  await write(Buffer.from(tail, 'utf8'));
  deflate.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

const plain = (name: string, text: string): ZipEntry => {
  const raw = Buffer.from(text, 'utf8');
  return { name, crc: crc32(raw), size: raw.length, data: deflateRawSync(raw) };
};

/** A zip of deflated entries (no zip64: each entry below 4 GB). */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/**
 * An .xlsx whose first sheet holds, after a header row, one inline-string cell of `cellMb` megabytes of "A": a few
 * hundred kilobytes on the wire (300 MB deflate to about 300 KB).
 */
export async function zipBombXlsx(cellMb = 300): Promise<Buffer> {
  const head = `${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>`;
  const sheet = await deflateRepeated(head, Buffer.alloc(1024 * 1024, 'A'), cellMb, `</t></is></c></row>${SHEET_TAIL}`);
  return zip([plain('[Content_Types].xml', CONTENT_TYPES), plain('_rels/.rels', RELS), plain('xl/workbook.xml', WORKBOOK), plain('xl/_rels/workbook.xml.rels', WORKBOOK_RELS), { name: 'xl/worksheets/sheet1.xml', ...sheet }]);
}

/** The same bomb with a central directory that lies: it declares the sheet 1 KB unpacked. */
export async function lyingZipBombXlsx(cellMb = 300): Promise<Buffer> {
  const head = `${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>`;
  const sheet = await deflateRepeated(head, Buffer.alloc(1024 * 1024, 'A'), cellMb, `</t></is></c></row>${SHEET_TAIL}`);
  return zip([plain('[Content_Types].xml', CONTENT_TYPES), plain('_rels/.rels', RELS), plain('xl/workbook.xml', WORKBOOK), plain('xl/_rels/workbook.xml.rels', WORKBOOK_RELS), { name: 'xl/worksheets/sheet1.xml', ...sheet, size: 1024 }]);
}

/** A well-formed workbook over the sheet limits: `rows` rows of one short inline-string cell each. */
export function manyRowsXlsx(rows: number): Buffer {
  const body = Array.from({ length: rows }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>r${i}</t></is></c></row>`).join('');
  return zip([plain('[Content_Types].xml', CONTENT_TYPES), plain('_rels/.rels', RELS), plain('xl/workbook.xml', WORKBOOK), plain('xl/_rels/workbook.xml.rels', WORKBOOK_RELS), plain('xl/worksheets/sheet1.xml', `${SHEET_HEAD}${body}${SHEET_TAIL}`)]);
}
