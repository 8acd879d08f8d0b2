import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { decodeText, TextEncodingError } from './decode-text';

const here = dirname(fileURLToPath(import.meta.url));
/** The cohort template as GET /cohort-imports/template.csv serves it, without its BOM, plus a rare-name row. */
const COHORT = '姓名,证件类型,证件号码,手机号,班级\r\n张三,居民身份证,11010519491231002X,13800138000,2026级人工智能训练师1班\r\n李喆,护照,E12345678,,2026级人工智能训练师1班\r\n';
/** The bank's CSV template fixture (Chinese stems, quotes, Greek kappa). */
const BANK = readFileSync(join(here, '../../../test/fixtures/exams/bank-template.csv'), 'utf8').replace(/^\uFEFF/, '');

const versions = (text: string): [string, Buffer, string][] => [
  ['UTF-8', Buffer.from(text, 'utf8'), 'UTF-8'],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'UTF-8 with BOM'],
  ['UTF-16LE with BOM (Excel "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), 'UTF-16LE'],
  ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')]), 'UTF-16BE'],
  ['GBK (Excel / Notepad on Chinese Windows)', iconv.encode(text, 'gbk'), 'GB18030'],
  ['GB18030', iconv.encode(text, 'gb18030'), 'GB18030'],
];

describe('decodeText: one decoder for every text upload', () => {
  it.each(versions(COHORT))('reads the cohort template saved as %s', (_name, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text: COHORT, encoding });
  });

  it.each(versions(BANK))('reads the bank template saved as %s', (_name, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text: BANK, encoding });
  });

  it('reads GB18030 four-byte characters that GBK does not have (Extension B names, the euro sign)', () => {
    const text = '姓名,班级\n𠀾锋,一班 €\n';
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.length).toBeGreaterThan(Buffer.from(text, 'utf8').length - 10);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'GB18030' });
  });

  it('refuses a Windows-1252 file and names the encoding, instead of storing "caf\uFFFD"', () => {
    const bytes = iconv.encode('stem\nLe café est «bon»\nNaïve Ångström\n', 'win1252');
    expect(() => decodeText(bytes)).toThrow(TextEncodingError);
    expect(() => decodeText(bytes)).toThrow(/Windows-1252/);
  });

  it('refuses Windows-1252 text whose bytes happen to be valid GBK ("«bon»" reads as two ideographs)', () => {
    const bytes = iconv.encode('«bon»s naïve', 'win1252');
    expect(iconv.decode(bytes, 'gbk')).not.toContain('\uFFFD');
    expect(() => decodeText(bytes)).toThrow(/Windows-1252/);
  });

  it('refuses UTF-16 without a byte-order mark and UTF-32, naming them', () => {
    expect(() => decodeText(iconv.encode('name,cohort\n', 'utf16le'))).toThrow(/UTF-16 without a byte-order mark/);
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toThrow(/UTF-32LE/);
  });

  it('refuses a file already holding U+FFFD (damaged earlier) rather than storing it', () => {
    expect(() => decodeText(Buffer.from('Le caf\uFFFD est bon', 'utf8'))).toThrow(/U\+FFFD/);
  });

  it('refuses a UTF-8 BOM followed by bytes that are not UTF-8', () => {
    expect(() => decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xe9, 0x20]))).toThrow(TextEncodingError);
  });
});
