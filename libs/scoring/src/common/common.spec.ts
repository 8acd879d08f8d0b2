import { maxCountThenQualityMatching, maxWeightMatching } from './assignment';
import { byCodePoint, precisionRecallF1 } from './counts';
import { binaryKappa, cohenKappa, cohenKappaDetail, cohenKappaFromTable, kappaBand } from './kappa';
import { align, levenshtein } from './levenshtein';
import { pairByItem } from './pairing';
import { ScoringInputError } from './problems';
import { codePointLength, codePointOffsetToUtf16Index, codePoints, graphemeBoundaries, sliceCodePoints, utf16IndexToCodePointOffset } from './unicode';

describe('precisionRecallF1 (zero-division convention)', () => {
  it.each([
    // tp, fp, fn -> precision, recall, f1
    [2, 1, 1, 2 / 3, 2 / 3, 2 / 3], // F1 = 2*2 / (4 + 1 + 1)
    [3, 0, 1, 1, 0.75, 6 / 7], // F1 = 6 / (6 + 0 + 1)
    [0, 0, 0, 1, 1, 1], // nothing to find, nothing found
    [0, 0, 2, 0, 0, 0], // empty answer, non-empty gold: precision 0, not 1
    [0, 2, 0, 0, 0, 0], // answer on an empty gold
    [1.5, 0.5, 0.5, 0.75, 0.75, 0.75], // fractional (partial credit) tp
  ])('tp=%p fp=%p fn=%p', (tp, fp, fn, p, r, f) => {
    const m = precisionRecallF1(tp, fp, fn);
    expect(m.precision).toBeCloseTo(p, 12);
    expect(m.recall).toBeCloseTo(r, 12);
    expect(m.f1).toBeCloseTo(f, 12);
  });
});

describe('cohenKappa', () => {
  it('worked 2x2 example: p_o = 35/50 = 0.7, p_e = (25*30 + 25*20)/2500 = 0.5, kappa = 0.2/0.5 = 0.4', () => {
    const table = [
      [20, 5],
      [10, 15],
    ];
    expect(cohenKappaFromTable(table)).toEqual({ n: 50, observedAgreement: 0.7, expectedAgreement: 0.5, kappa: 0.4 });
    expect(binaryKappa(20, 5, 10, 15)).toBe(0.4);
    const pairs: Array<[string, string]> = [];
    for (const [a, b, count] of [['y', 'y', 20], ['y', 'n', 5], ['n', 'y', 10], ['n', 'n', 15]] as const) for (let i = 0; i < count; i++) pairs.push([a, b]);
    expect(cohenKappa(pairs)).toBe(0.4);
  });

  it('three categories: p_o = 4/5, p_e = (2*1 + 2*3 + 1*1)/25 = 9/25, kappa = (5*4 - 9)/(25 - 9) = 11/16', () => {
    const pairs: Array<[string, string]> = [['a', 'a'], ['a', 'b'], ['b', 'b'], ['b', 'b'], ['c', 'c']];
    // A: a2 b2 c1; B: a1 b3 c1 -> S = 2*1 + 2*3 + 1*1 = 9
    expect(cohenKappa(pairs)).toBe(11 / 16);
  });

  it('total disagreement on two balanced categories is -1', () => {
    expect(cohenKappa([['a', 'b'], ['b', 'a']])).toBe(-1); // p_o 0, p_e 0.5 -> -0.5/0.5
  });

  it('p_e = 1 (both raters use one same category everywhere) is defined as 1', () => {
    const d = cohenKappaDetail([['neg', 'neg'], ['neg', 'neg'], ['neg', 'neg']]);
    expect(d).toEqual({ n: 3, observedAgreement: 1, expectedAgreement: 1, kappa: 1 });
  });

  it('one rater constant, the other not: p_e < 1, kappa = 0', () => {
    // A all x; B x, y: p_o = 1/2, p_e = (2*1)/4 = 1/2 -> 0
    expect(cohenKappa([['x', 'x'], ['x', 'y']])).toBe(0);
  });

  it('no units is 1', () => {
    expect(cohenKappa([])).toBe(1);
  });

  it.each([
    [-0.1, 'poor'],
    [0.2, 'slight'],
    [0.4, 'fair'],
    [0.6, 'moderate'],
    [0.61, 'substantial'],
    [0.8, 'substantial'],
    [0.81, 'almost perfect'],
  ] as const)('kappaBand(%p) = %s', (k, band) => expect(kappaBand(k)).toBe(band));
});

describe('maxWeightMatching (Hungarian)', () => {
  function bruteForce(w: number[][]): number {
    const rows = w.length, cols = w[0]?.length ?? 0;
    let best = 0;
    const usedCols = new Array<boolean>(cols).fill(false);
    const go = (i: number, sum: number) => {
      if (i === rows) return void (best = Math.max(best, sum));
      go(i + 1, sum); // row i unmatched
      for (let j = 0; j < cols; j++) {
        if (usedCols[j] || w[i][j] <= 0) continue;
        usedCols[j] = true;
        go(i + 1, sum + w[i][j]);
        usedCols[j] = false;
      }
    };
    go(0, 0);
    return best;
  }

  it('matches brute force on 300 random integer matrices up to 6x6, rectangular both ways', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 300; t++) {
      const rows = 1 + Math.floor(rand() * 6), cols = 1 + Math.floor(rand() * 6);
      const w = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() < 0.4 ? 0 : Math.floor(rand() * 10))));
      const pairs = maxWeightMatching(rows, cols, (i, j) => w[i][j]);
      expect(new Set(pairs.map((p) => p[0])).size).toBe(pairs.length);
      expect(new Set(pairs.map((p) => p[1])).size).toBe(pairs.length);
      for (const [i, j] of pairs) expect(w[i][j]).toBeGreaterThan(0);
      expect(pairs.reduce((s, [i, j]) => s + w[i][j], 0)).toBe(bruteForce(w));
    }
  });

  it('empty sides give no pairs', () => {
    expect(maxWeightMatching(0, 3, () => 1)).toEqual([]);
    expect(maxWeightMatching(3, 0, () => 1)).toEqual([]);
  });

  it('count first: two weak pairs beat one strong pair', () => {
    // r0-c0 quality 1.0 alone, or r0-c1 (0.1) + r1-c0 (0.1): two pairs win
    const q = [
      [1, 0.1],
      [0.1, null],
    ];
    expect(maxCountThenQualityMatching(2, 2, (i, j) => q[i][j])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});

describe('code points vs UTF-16', () => {
  const text = '𠮷野家'; // U+20BB7 is a surrogate pair in UTF-16
  it('counts code points', () => {
    expect(text.length).toBe(4);
    expect(codePointLength(text)).toBe(3);
    expect(codePointLength('e\u0301')).toBe(2); // a combining mark is its own code point
    expect(codePointLength('\ud842')).toBe(1); // lone surrogate
    expect(codePoints('a𠮷')).toEqual([0x61, 0x20bb7]);
  });
  it.each([
    [0, 0],
    [2, 1],
    [3, 2],
    [4, 3],
  ])('UTF-16 index %p <-> code-point offset %p', (utf16, cp) => {
    expect(utf16IndexToCodePointOffset(text, utf16)).toBe(cp);
    expect(codePointOffsetToUtf16Index(text, cp)).toBe(utf16);
  });
  it('refuses an index inside a surrogate pair or out of range', () => {
    expect(() => utf16IndexToCodePointOffset(text, 1)).toThrow('splits a surrogate pair');
    expect(() => utf16IndexToCodePointOffset(text, 5)).toThrow(RangeError);
    expect(() => codePointOffsetToUtf16Index(text, 4)).toThrow(RangeError);
  });
  it('slices by code points', () => {
    expect(sliceCodePoints(text, 0, 1)).toBe('𠮷');
    expect(sliceCodePoints(text, 1, 3)).toBe('野家');
  });
  it('grapheme boundaries exclude the point between a letter and its combining mark', () => {
    // "Cafe\u0301!" = C a f e U+0301 ! -> code points 0..6; 4 (between e and the accent) is not a boundary
    expect([...graphemeBoundaries('Cafe\u0301!')].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 5, 6]);
    expect([...graphemeBoundaries('𠮷野')].sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });
  it('byCodePoint orders astral characters after U+FFxx (default sort does not)', () => {
    expect(['𠮷', '\uff41'].sort(byCodePoint)).toEqual(['\uff41', '𠮷']);
    expect(['𠮷', '\uff41'].sort()).toEqual(['𠮷', '\uff41']);
  });
});

describe('levenshtein', () => {
  const cp = (s: string) => codePoints(s);
  it.each([
    ['kitten', 'sitting', 3], // k->s, e->i, +g
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['𠮷野家', '吉野家', 1], // one code point substituted, not two UTF-16 units
    ['今天天气很好', '今天天汽很好', 1],
  ])('%s -> %s = %p', (a, b, d) => {
    expect(levenshtein(cp(a), cp(b))).toBe(d);
    expect(align(cp(a), cp(b)).filter((e) => e.op !== 'equal')).toHaveLength(d);
  });
});

describe('pairByItem', () => {
  it('pairs in gold order, undefined for an unanswered item', () => {
    const pairs = pairByItem([{ itemId: 'a' }, { itemId: 'b' }], [{ itemId: 'b' }]);
    expect(pairs.map((p) => [p.gold.itemId, p.answer?.itemId])).toEqual([['a', undefined], ['b', 'b']]);
  });
  it.each([
    [[], [], 'NO_ITEMS'],
    [[{ itemId: 'a' }], [{ itemId: 'a' }, { itemId: 'a' }], 'DUPLICATE_ITEM'],
    [[{ itemId: 'a' }, { itemId: 'a' }], [], 'DUPLICATE_ITEM'],
    [[{ itemId: 'a' }], [{ itemId: 'z' }], 'UNKNOWN_ITEM'],
  ])('refuses %j / %j with %s', (gold, answers, code) => {
    try {
      pairByItem(gold, answers);
      throw new Error('expected a ScoringInputError');
    } catch (e) {
      expect(e).toBeInstanceOf(ScoringInputError);
      expect((e as ScoringInputError).code).toBe(code);
    }
  });
});
