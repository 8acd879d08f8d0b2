/**
 * Span offsets in this library count Unicode CODE POINTS, not UTF-16 code units (JavaScript string indices).
 * `'𠮷'` (U+20BB7) is 1 code point but `'𠮷'.length === 2`; `'é'` written as `e` + U+0301 is 2 code points.
 * These helpers convert between the two, so a browser selection (UTF-16) and Python/Label Studio offsets
 * (code points) can be compared exactly.
 */

/** Number of code points in `text` (a lone surrogate counts as one). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * Converts a UTF-16 index (0..text.length) to a code-point offset.
 * @throws RangeError when the index is out of range or falls between the two halves of a surrogate pair.
 */
export function utf16IndexToCodePointOffset(text: string, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > text.length) throw new RangeError(`index ${index} is outside 0..${text.length}`);
  if (index > 0 && index < text.length && isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index))) {
    throw new RangeError(`index ${index} splits a surrogate pair`);
  }
  return codePointLength(text.slice(0, index));
}

/**
 * Converts a code-point offset (0..codePointLength(text)) to a UTF-16 index.
 * @throws RangeError when the offset is out of range.
 */
export function codePointOffsetToUtf16Index(text: string, offset: number): number {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset ${offset} is not a non-negative integer`);
  let index = 0;
  for (let cp = 0; cp < offset; cp++) {
    if (index >= text.length) throw new RangeError(`offset ${offset} is beyond the text (${codePointLength(text)} code points)`);
    index += isHigh(text.charCodeAt(index)) && index + 1 < text.length && isLow(text.charCodeAt(index + 1)) ? 2 : 1;
  }
  return index;
}

/** `text` between code-point offsets [start, end). */
export function sliceCodePoints(text: string, start: number, end: number): string {
  return text.slice(codePointOffsetToUtf16Index(text, start), codePointOffsetToUtf16Index(text, end));
}

/**
 * Code-point offsets where a user-perceived character (extended grapheme cluster) starts, plus the end offset.
 * A span boundary outside this set splits a character, e.g. between `e` and a combining U+0301.
 */
export function graphemeBoundaries(text: string): Set<number> {
  const out = new Set<number>();
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let offset = 0;
  for (const { segment } of segmenter.segment(text)) {
    out.add(offset);
    offset += codePointLength(segment);
  }
  out.add(offset);
  return out;
}

/** The code points of `text` as numbers. */
export function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
