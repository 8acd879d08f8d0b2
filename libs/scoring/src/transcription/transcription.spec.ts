import { cerToScore, characterErrorRate, normaliseTranscript, scoreTranscription, validateTranscriptionAnswer } from './transcription';

const one = (gold: string, answer: string | undefined, options = {}) =>
  scoreTranscription([{ itemId: 't', text: gold }], answer === undefined ? [] : [{ itemId: 't', text: answer }], options);

describe('cerToScore (1 at <= 5 %, 0 at >= 50 %, linear between)', () => {
  it.each([
    [0, 1],
    [0.05, 1],
    [0.275, 0.5], // (0.5 - 0.275) / 0.45
    [0.5, 0],
    [1.2, 0],
  ])('CER %p -> %p', (cer, score) => expect(cerToScore(cer)).toBeCloseTo(score, 12));
  it('configurable thresholds', () => expect(cerToScore(0.2, 0.1, 0.3)).toBeCloseTo(0.5, 12));
});

describe('scoreTranscription', () => {
  it('one substituted character of six: CER 1/6, score (0.5 - 1/6)/0.45 = 0.7407', () => {
    // punctuation is ignored by default: 今天天气很好。 -> 今天天气很好 (6 code points)
    const r = one('今天天气很好。', '今天天汽很好');
    expect(r.metrics).toMatchObject({ edits: 1, goldCharacters: 6 });
    expect(r.metrics.cer).toBeCloseTo(1 / 6, 12);
    expect(r.score).toBeCloseTo((0.5 - 1 / 6) / 0.45, 12);
    expect(r.items[0]).toMatchObject({ correct: false, edits: 1, missed: [], wrong: [{ expected: '气', got: '汽' }], extra: [] });
    expect(r.kappa).toBeNull();
  });

  it('CER exactly 5 % scores 1 (1 edit over 20 characters)', () => {
    const gold = '一二三四五六七八九十甲乙丙丁戊己庚辛壬癸';
    const r = one(gold, gold.slice(0, 19));
    expect(r.metrics.cer).toBe(0.05);
    expect(r.score).toBe(1);
    expect(r.items[0]).toMatchObject({ correct: false, score: 1, missed: ['癸'] });
  });

  it('CER exactly 50 % scores 0', () => {
    expect(one('abcd', 'abxy').score).toBe(0);
  });

  it('surrogate pairs are one character: 𠮷野家 -> 吉野家 is CER 1/3, not 2/4', () => {
    const r = one('𠮷野家', '吉野家');
    expect(r.metrics.cer).toBe(1 / 3);
    expect(r.items[0].wrong).toEqual([{ expected: '𠮷', got: '吉' }]);
  });

  it('NFC: a precomposed é equals e + combining acute', () => {
    expect(one('Café', 'Cafe\u0301').metrics.cer).toBe(0);
  });

  it('default ignores punctuation and whitespace, keeps case', () => {
    expect(one('你好，世界！', '你 好 世 界').score).toBe(1);
    expect(one('Hello', 'hello').metrics.edits).toBe(1);
  });

  it.each([
    [{ punctuation: 'keep' }, '你好，世界', '你好世界', 1, 5], // one deletion of ， over 5
    [{ whitespace: 'collapse' }, 'new  york', 'newyork', 1, 8], // "new york" (8) vs "newyork"
    [{ whitespace: 'keep' }, 'a  b', 'a b', 1, 4],
    [{ caseFold: true }, 'Hello', 'hello', 0, 5],
    [{ form: 'NFKC' }, 'ＡＢＣ１２３', 'ABC123', 0, 6], // full-width folds
  ] as const)('normalisation %j: %s vs %s -> %p edits over %p', (normalisation, gold, answer, edits, length) => {
    expect(one(gold, answer, { normalisation }).metrics).toMatchObject({ edits, goldCharacters: length });
  });

  it('empty gold: empty answer CER 0 (score 1), any answer CER 1 (score 0)', () => {
    expect(one('', '').metrics.cer).toBe(0);
    expect(one('。', '').score).toBe(1); // punctuation-only gold normalises to empty
    expect(one('', '嗯').metrics.cer).toBe(1);
    expect(one('', '嗯').score).toBe(0);
    expect(characterErrorRate(3, 0)).toBe(1);
  });

  it('empty or missing answer: every gold character deleted, CER 1', () => {
    expect(one('你好', '')).toMatchObject({ score: 0, metrics: { cer: 1 } });
    expect(one('你好', undefined).items[0]).toMatchObject({ score: 0, missed: ['你好'] });
  });

  it('insertions can push CER above 1', () => {
    const r = one('好', '好好好');
    expect(r.metrics.cer).toBe(2);
    expect(r.items[0].extra).toEqual(['好好']);
  });

  it("corpus CER (default) vs mean of item scores", () => {
    const gold = [
      { itemId: '1', text: 'abcdefghij' },
      { itemId: '2', text: 'abcdefghij' },
    ];
    const answers = [
      { itemId: '1', text: 'abcdefghij' },
      { itemId: '2', text: 'abcdeVWXYZ' },
    ];
    // corpus: 5 edits / 20 = 0.25 -> (0.5 - 0.25)/0.45 = 5/9
    expect(scoreTranscription(gold, answers).score).toBeCloseTo(5 / 9, 12);
    // item-mean: item 1 CER 0 -> 1; item 2 CER 0.5 -> 0; mean 0.5
    const m = scoreTranscription(gold, answers, { aggregate: 'item-mean' });
    expect(m.score).toBe(0.5);
    expect(m.metrics.meanItemCer).toBe(0.25);
    expect(m.items[1].wrong).toEqual([{ expected: 'fghij', got: 'VWXYZ' }]);
  });

  it('refuses inverted thresholds', () => {
    expect(() => one('a', 'a', { fullMarksAtOrBelow: 0.5, zeroAtOrAbove: 0.5 })).toThrow('fullMarksAtOrBelow');
  });

  it('normaliseTranscript removes Chinese and ASCII punctuation', () => {
    expect(normaliseTranscript('“你好”，他说：“Hi, there!”')).toBe('你好他说Hithere');
  });

  it('validator wants a string text', () => {
    expect(validateTranscriptionAnswer({ itemId: 't', text: 5 })).toEqual([{ path: 'text', problem: 'must be text', code: 'NOT_TEXT' }]);
    expect(validateTranscriptionAnswer({ itemId: 't', text: '' })).toEqual([]);
  });
});
