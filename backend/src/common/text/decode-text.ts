import iconv from 'iconv-lite';
import { codedProblem, type CodedProblem } from '@aitrainer/contracts';

/** The encodings a text upload may be in: what Excel, Notepad and WPS write on Chinese and other Windows, and Moodle. */
export type TextEncoding = 'UTF-8' | 'UTF-8 with BOM' | 'UTF-16LE' | 'UTF-16BE' | 'GB18030';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/**
 * A file whose bytes are not in one of the accepted encodings. `found` names what the bytes look like
 * ("Windows-1252", "UTF-32LE", "UTF-16 without a byte-order mark", "an unknown encoding"), for the message.
 */
export class TextEncodingError extends Error {
  /** The problem as a code with params (the portal words it), its English text being this error's message. */
  readonly coded: CodedProblem;

  constructor(readonly found: string, damaged = false) {
    const coded = damaged ? codedProblem('TEXT_ENCODING_DAMAGED') : codedProblem('TEXT_ENCODING_GUESS', { encoding: found });
    super(coded.problem);
    this.coded = coded;
    this.name = 'TextEncodingError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * GB18030 (a superset of GBK and GB2312) when the bytes are valid GB18030 AND read as Chinese. Latin text in
 * Windows-1252 is often valid GB18030 too ("«b" is the pair AB 62), but its pairs are an accented letter followed by
 * ASCII, never two bytes from A1-FE: Chinese text is almost all GB2312 ideographs and punctuation, both bytes A1-FE.
 */
function gb18030(bytes: Buffer): string | null {
  const text = iconv.decode(bytes, 'gb18030');
  if (text.includes('\uFFFD') || !iconv.encode(text, 'gb18030').equals(bytes)) return null;
  let multi = 0;
  let gb2312 = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const next = bytes[i + 1] ?? 0;
    if (next >= 0x30 && next <= 0x39) {
      multi++; // a four-byte sequence
      i += 3;
      continue;
    }
    multi++;
    if (b >= 0xa1 && b <= 0xfe && next >= 0xa1 && next <= 0xfe) gb2312++;
    i++;
  }
  return gb2312 * 2 >= multi ? text : null;
}

/** Bytes Windows-1252 leaves undefined. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function whatItLooksLike(bytes: Buffer): string {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return 'UTF-32LE';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return 'UTF-32BE';
  const sample = bytes.subarray(0, 4096);
  const nuls = sample.filter((b) => b === 0).length;
  if (nuls * 4 >= sample.length && sample.length >= 2) return 'UTF-16 without a byte-order mark';
  if (!bytes.some((b) => CP1252_UNDEFINED.has(b))) return 'Windows-1252';
  return 'an unknown encoding';
}

/**
 * The one decoder for every text upload (question bank GIFT/XML/CSV, rosters, labelling datasets): UTF-8 with or
 * without BOM, UTF-16 LE/BE with BOM, GB18030/GBK. Anything else is refused naming what was found; a decoded text
 * never holds U+FFFD (a file already damaged by an earlier conversion is refused too). The BOM is not in `text`.
 */
export function decodeText(input: Buffer | Uint8Array): DecodedText {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let decoded: DecodedText | null = null;
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    throw new TextEncodingError(whatItLooksLike(bytes));
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    if (text === null) throw new TextEncodingError('UTF-8 with a byte-order mark but invalid UTF-8 bytes');
    decoded = { text, encoding: 'UTF-8 with BOM' };
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const le = bytes[0] === 0xff;
    if ((bytes.length - 2) % 2 !== 0) throw new TextEncodingError(`${le ? 'UTF-16LE' : 'UTF-16BE'} cut off in the middle of a character`);
    const body = Buffer.from(bytes.subarray(2));
    if (!le) body.swap16();
    const text = body.toString('utf16le');
    // Lone surrogates would be stored as U+FFFD.
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) throw new TextEncodingError(`${le ? 'UTF-16LE' : 'UTF-16BE'} with broken characters`);
    decoded = { text, encoding: le ? 'UTF-16LE' : 'UTF-16BE' };
  } else {
    if (whatItLooksLike(bytes) === 'UTF-16 without a byte-order mark') throw new TextEncodingError('UTF-16 without a byte-order mark');
    const text = strictUtf8(bytes);
    if (text !== null) decoded = { text, encoding: 'UTF-8' };
    else {
      const gb = gb18030(bytes);
      if (gb === null) throw new TextEncodingError(whatItLooksLike(bytes));
      decoded = { text: gb, encoding: 'GB18030' };
    }
  }
  if (decoded.text.includes('\uFFFD')) throw new TextEncodingError('text already damaged by an earlier conversion (it holds the replacement character U+FFFD)', true);
  return decoded;
}
