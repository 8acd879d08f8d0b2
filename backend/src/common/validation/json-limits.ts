/** Objects and arrays nested deeper than this are refused before any parsing or transformation. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether raw JSON nests objects/arrays deeper than `max`: one pass over the bytes, brackets inside strings
 * ignored, no recursion (class-transformer and validators recurse; a 5,000-deep body would overflow their stack).
 */
export function jsonTooDeep(raw: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The error body-parser passes on when `verify` refuses a body (status and type kept). */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
