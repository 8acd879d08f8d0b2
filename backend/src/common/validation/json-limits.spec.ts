import { MAX_JSON_DEPTH, jsonTooDeep } from './json-limits';

describe('jsonTooDeep', () => {
  const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  it('accepts the deepest allowed body and refuses one level more', () => {
    expect(jsonTooDeep(nest(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep(nest(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep('['.repeat(5000) + ']'.repeat(5000))).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(JSON.stringify({ text: '{'.repeat(1000), quoted: '"[[[[' + '['.repeat(100) }))).toBe(false);
    expect(jsonTooDeep(JSON.stringify({ text: 'a\\"' + '{'.repeat(100) }))).toBe(false);
  });
});
