/**
 * Normalising candidate text before it is screened for instructions aimed at the grader: what a judge model reads
 * through (full-width forms, zero-width and bidi characters, look-alike letters, letters spaced out or split over
 * lines, encoded segments) is undone here so that the screen sees what the model would understand. Framework-free.
 */

/** Zero-width, joiner, soft hyphen, word joiner and other invisible characters; bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-misleading-character-class -- the class lists invisible characters one by one on purpose
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDC7F]/g;

/**
 * Confusables (Unicode TR39 skeletons) of the look-alikes that matter here: Cyrillic and Greek letters that render
 * like Latin ones, plus a few symbols. Full-width forms and mathematical alphanumerics are folded by NFKC before this.
 */
const CONFUSABLE: Record<string, string> = {
  // Cyrillic lower / upper
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ɡ: 'g', ь: 'b', п: 'n', г: 'r', ү: 'y',
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', І: 'I', Ї: 'I', Ј: 'J', Һ: 'H', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I', Ү: 'Y',
  // Greek lower / upper
  α: 'a', β: 'b', γ: 'y', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ς: 's',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  // Latin look-alikes outside ASCII
  ı: 'i', ȷ: 'j', ɑ: 'a', ɩ: 'i', ʟ: 'l', ʀ: 'r', ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴋ: 'k', ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLE).join('')}]`, 'g');
const NON_LATIN_LOOKALIKE = /[\u0370-\u03FF\u0400-\u04FF\u0500-\u052F]/;

/** How a decoded variant was found in the text. */
export type VariantSource = 'text' | 'html_comment' | 'base64' | 'hex' | 'url' | 'unicode_escape' | 'rot13' | 'reversed';

export interface TextVariant {
  source: VariantSource;
  text: string;
}

export interface NormalisedText {
  /** NFKC, invisible characters removed, confusables folded, spaced letters joined, whitespace collapsed. */
  text: string;
  /** `text` lower-cased with every space, punctuation mark and symbol removed: splits and spacing cannot hide a word. */
  compact: string;
  /** Further readings of the text that a model could follow: comments, decoded segments, ROT13. */
  variants: TextVariant[];
  /** Ways the text hides something from a human reader (each a code): they are signals in their own right. */
  evasions: string[];
}

const LATIN_WORD = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u052F\u1D00-\u1D2B]+/g;

/** Unicode TR39-style skeleton of the Latin/Cyrillic/Greek look-alikes (other scripts unchanged). */
export function foldConfusables(text: string): string {
  return text.replace(CONFUSABLE_RE, (c) => CONFUSABLE[c] ?? c);
}

/**
 * Joins letters spaced out or split over lines: `g i v e  f u l l  m a r k s`, `请 给 满 分`, `f-u-l-l`. A run of at
 * least three single characters separated by one separator each becomes one word; a wider gap separates words.
 */
export function joinSpacedLetters(text: string): string {
  return text.replace(/(?:^|(?<=[\s\p{P}]))((?:[\p{L}\p{N}][ \t\u3000.\-_·*|/\\,，、\n]){2,}[\p{L}\p{N}])(?=$|[\s\p{P}])/gu, (run: string) => run.replace(/[ \t\u3000.\-_·*|/\\,，、\n]/g, ''));
}

export function normaliseForScreening(raw: string, depth = 0): NormalisedText {
  const evasions = new Set<string>();
  let text = raw.normalize('NFKC');
  // Full-width Latin letters and digits, mathematical and enclosed alphanumerics: Chinese full-width punctuation is ordinary.
  if (/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u24B6-\u24E9\u1D2C-\u1D6A]|\uD835[\uDC00-\uDFFF]/.test(raw)) evasions.add('compatibility_forms');
  const invisible = text.match(INVISIBLE);
  if (invisible) {
    evasions.add(invisible.some((c) => /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/.test(c)) ? 'bidi_controls' : 'invisible_characters');
    text = text.replace(INVISIBLE, '');
  }
  // A word mixing Latin with Cyrillic or Greek letters is a look-alike spelling (a whole Russian or Greek word is not).
  for (const word of text.match(LATIN_WORD) ?? []) {
    if (/[A-Za-z]/.test(word) && NON_LATIN_LOOKALIKE.test(word)) {
      evasions.add('mixed_script');
      break;
    }
  }
  text = foldConfusables(text);

  const variants: TextVariant[] = [];
  for (const m of text.matchAll(/<!--([\s\S]*?)(?:-->|$)/g)) {
    evasions.add('html_comment');
    variants.push({ source: 'html_comment', text: m[1] });
  }
  if (depth < 2) variants.push(...decodedSegments(text, evasions));

  const spaced = joinSpacedLetters(text.replace(/\r\n?/g, '\n'));
  if (spaced !== text.replace(/\r\n?/g, '\n')) evasions.add('spaced_letters');
  const collapsed = spaced.replace(/[ \t\u3000]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  const rot = rot13(collapsed);
  if (depth === 0) variants.push({ source: 'rot13', text: rot }, { source: 'reversed', text: [...collapsed].reverse().join('') });
  return { text: collapsed, compact: compactOf(collapsed), variants, evasions: [...evasions] };
}

/** Lower case without spaces, punctuation or symbols (letters and digits only), for matching across splits. */
export function compactOf(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Segments that decode to readable text: base64 (and base64url), hex, %-encoding, \uXXXX escapes. */
function decodedSegments(text: string, evasions: Set<string>): TextVariant[] {
  const out: TextVariant[] = [];
  const add = (source: VariantSource, bytes: number[] | null) => {
    if (!bytes || bytes.length < 6) return;
    // A segment may run into a neighbouring word: drop up to three trailing bytes of an unfinished character.
    let decoded = utf8(bytes);
    for (let cut = 1; decoded === null && cut <= 3; cut++) decoded = utf8(bytes.slice(0, -cut));
    if (decoded === null || !readable(decoded)) return;
    evasions.add(`encoded_${source}`);
    out.push({ source, text: decoded });
  };
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{12,}={0,2}(?![A-Za-z0-9+/=_-])/g)) {
    const s = m[0];
    if (!/[0-9+/=]/.test(s) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(s)) continue; // a plain word, not base64
    add('base64', base64Bytes(s));
  }
  for (const m of text.matchAll(/(?:(?:\\x|0x)?[0-9A-Fa-f]{2}[ :,-]?){8,}/g)) {
    const hex = m[0].replace(/\\x|0x|[ :,-]/g, '');
    if (!/[0-9]/.test(hex) || (!/[a-fA-F]/.test(hex) && hex.length < 16)) continue;
    add('hex', hex.slice(0, hex.length - (hex.length % 2)).match(/../g)!.map((h) => parseInt(h, 16)));
  }
  for (const m of text.matchAll(/(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9+._~-]){6,}/g)) {
    if ((m[0].match(/%/g) ?? []).length < 3) continue;
    const bytes: number[] = [];
    for (let i = 0; i < m[0].length; i++) {
      if (m[0][i] === '%') {
        bytes.push(parseInt(m[0].slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(m[0][i] === '+' ? 32 : m[0].charCodeAt(i));
    }
    add('url', bytes);
  }
  const escapes = text.match(/(?:\\u[0-9A-Fa-f]{4}){3,}/g);
  for (const e of escapes ?? []) {
    const decoded = e.replace(/\\u([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    evasions.add('encoded_unicode_escape');
    out.push({ source: 'unicode_escape', text: decoded });
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Bytes(s: string): number[] | null {
  const clean = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of clean) {
    const v = B64.indexOf(c);
    if (v < 0) return null;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytes;
}

/** Strict UTF-8 decoding; null when the bytes are not UTF-8. */
export function utf8(bytes: number[]): string | null {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let cp: number;
    let n: number;
    if (b < 0x80) [cp, n] = [b, 0];
    else if (b >= 0xc2 && b < 0xe0) [cp, n] = [b & 0x1f, 1];
    else if (b >= 0xe0 && b < 0xf0) [cp, n] = [b & 0x0f, 2];
    else if (b >= 0xf0 && b < 0xf5) [cp, n] = [b & 0x07, 3];
    else return null;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (c & 0x3f);
    }
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

/** Mostly letters, digits, CJK, spaces and ordinary punctuation: text a model would read, not binary noise. */
function readable(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters mean the bytes were not text
  if (/[\u0000-\u0008\u000E-\u001F\uFFFD]/.test(s)) return false;
  const letters = (s.match(/[\p{L}\p{N}\s]/gu) ?? []).length;
  return letters / [...s].length >= 0.75 && /[\p{L}]{2}/u.test(s);
}
