import { codePointOffsetToUtf16Index, utf16IndexToCodePointOffset } from '../common/unicode';
import { scoreNamedEntities, spanOverlapRatio, validateSpanAnswer, type SpanItem } from './named-entities';

// 张三在北京大学工作: 张0 三1 在2 北3 京4 大5 学6 工7 作8
const PER = { start: 0, end: 2, type: 'PER' }; // 张三
const ORG = { start: 3, end: 7, type: 'ORG' }; // 北京大学

describe('scoreNamedEntities, exact mode', () => {
  it('wrong type and boundary: one TP, one FP, one FN -> P = R = F1 = 1/2', () => {
    const r = scoreNamedEntities([{ itemId: 's1', spans: [PER, ORG] }], [{ itemId: 's1', spans: [PER, { start: 3, end: 5, type: 'LOC' }] }]);
    expect(r.score).toBe(0.5);
    expect(r.metrics.exact).toEqual({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(r.kappa).toBeNull();
    expect(r.items[0]).toEqual({
      itemId: 's1',
      correct: false,
      score: 0.5,
      missed: [],
      wrong: [{ expected: ORG, got: { start: 3, end: 5, type: 'LOC' }, reason: 'type-and-boundary' }],
      extra: [],
    });
  });

  it('right boundaries, wrong type is FP + FN (feedback reason "type")', () => {
    const r = scoreNamedEntities([{ itemId: 's', spans: [ORG] }], [{ itemId: 's', spans: [{ ...ORG, type: 'LOC' }] }]);
    expect(r.metrics.exact).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    expect(r.items[0].wrong[0].reason).toBe('type');
  });

  it('one boundary off by one is not a match (seqeval): reason "boundary"', () => {
    const r = scoreNamedEntities([{ itemId: 's', spans: [ORG] }], [{ itemId: 's', spans: [{ start: 3, end: 6, type: 'ORG' }] }]);
    expect(r.score).toBe(0);
    expect(r.items[0].wrong[0].reason).toBe('boundary');
  });

  it('micro over items: item 1 tp 2; item 2 gold 2, answer 1 correct + 1 extra -> tp 3, fp 1, fn 1', () => {
    const gold = [
      { itemId: '1', spans: [PER, ORG] },
      { itemId: '2', spans: [PER, ORG] },
    ];
    const answers = [
      { itemId: '1', spans: [PER, ORG] },
      { itemId: '2', spans: [PER, { start: 7, end: 9, type: 'ORG' }] },
    ];
    const r = scoreNamedEntities(gold, answers);
    // P = 3/4, R = 3/4, F1 = 6/(6+1+1) = 0.75
    expect(r.metrics.exact).toEqual({ tp: 3, fp: 1, fn: 1, precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(r.items.map((i) => i.score)).toEqual([1, 0.5]);
    // the extra ORG 7-9 does not overlap the missed ORG 3-7, so it is "extra", not "wrong"
    expect(r.items[1]).toMatchObject({ missed: [ORG], wrong: [], extra: [{ start: 7, end: 9, type: 'ORG' }] });
    expect(r.metrics.perType).toMatchObject([
      { label: 'ORG', tp: 1, fp: 1, fn: 1 },
      { label: 'PER', tp: 2, fp: 0, fn: 0, f1: 1 },
    ]);
    expect(r.metrics.macroF1).toBe(0.75); // (0.5 + 1) / 2
  });

  it('duplicate spans in an answer count once', () => {
    const r = scoreNamedEntities([{ itemId: 's', spans: [PER] }], [{ itemId: 's', spans: [PER, { ...PER }, PER] }]);
    // without de-duplication this would be tp 1, fp 2 -> F1 0.5
    expect(r.score).toBe(1);
    expect(r.metrics.duplicatesIgnored).toBe(2);
    expect(r.items[0].correct).toBe(true);
  });

  it('different overlapping spans are all counted', () => {
    const r = scoreNamedEntities([{ itemId: 's', spans: [ORG] }], [{ itemId: 's', spans: [ORG, { start: 3, end: 5, type: 'ORG' }] }]);
    expect(r.metrics.exact).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });

  it.each([
    ['empty gold, empty answer', [], [], 1],
    ['empty answer', [PER], [], 0],
    ['answer on an empty gold', [], [PER], 0],
  ])('%s -> %p', (_name, goldSpans, answerSpans, score) => {
    const r = scoreNamedEntities([{ itemId: 's', spans: goldSpans }], [{ itemId: 's', spans: answerSpans }]);
    expect(r.score).toBe(score);
    expect(r.items[0].score).toBe(score);
  });

  it('unanswered item = no spans', () => {
    expect(scoreNamedEntities([{ itemId: 's', spans: [PER] }], []).items[0]).toMatchObject({ score: 0, missed: [PER] });
  });

  it('offsets are code points: 𠮷野家 as ORG is [0, 3), not [0, 4)', () => {
    const text = '𠮷野家的牛肉饭';
    const gold = [{ itemId: 's', spans: [{ start: 0, end: 3, type: 'ORG' }] }];
    // a browser selection of the whole name is UTF-16 [0, 4); converted, it matches
    const fromBrowser = { start: utf16IndexToCodePointOffset(text, 0), end: utf16IndexToCodePointOffset(text, 4), type: 'ORG' };
    expect(fromBrowser).toEqual({ start: 0, end: 3, type: 'ORG' });
    expect(scoreNamedEntities(gold, [{ itemId: 's', spans: [fromBrowser] }]).score).toBe(1);
    // the raw UTF-16 end (4) would be a different entity: 𠮷野家的
    expect(scoreNamedEntities(gold, [{ itemId: 's', spans: [{ start: 0, end: 4, type: 'ORG' }] }]).score).toBe(0);
    expect(codePointOffsetToUtf16Index(text, 3)).toBe(4);
  });
});

describe('scoreNamedEntities, partial mode', () => {
  it('same type, overlap 2 of union 4 gives credit 1/2: credit 1.5 -> P = R = F1 = 0.75 (exact 0.5)', () => {
    // PER exact (credit 1); ORG 3-7 vs answer ORG 3-5: overlap 2, union 4 -> 0.5
    const r = scoreNamedEntities([{ itemId: 's', spans: [PER, ORG] }], [{ itemId: 's', spans: [PER, { start: 3, end: 5, type: 'ORG' }] }], { mode: 'partial' });
    expect(r.metrics.partial).toMatchObject({ credit: 1.5, precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(r.score).toBe(0.75);
    expect(r.metrics.exact.f1).toBe(0.5);
    expect(r.items[0].score).toBe(0.75);
    expect(r.items[0].correct).toBe(false);
  });

  it('no credit across types', () => {
    const r = scoreNamedEntities([{ itemId: 's', spans: [ORG] }], [{ itemId: 's', spans: [{ ...ORG, type: 'LOC' }] }], { mode: 'partial' });
    expect(r.score).toBe(0);
  });

  it('one-to-one: two answer pieces of one gold entity get credit for one piece only', () => {
    // gold ORG 3-7; answers ORG 3-5 (2/4) and ORG 5-7 (2/4): best one-to-one credit 0.5
    // P = 0.5/2 = 0.25, R = 0.5/1 = 0.5, F1 = 2*0.5/(2+1) = 1/3
    const r = scoreNamedEntities([{ itemId: 's', spans: [ORG] }], [{ itemId: 's', spans: [{ start: 3, end: 5, type: 'ORG' }, { start: 5, end: 7, type: 'ORG' }] }], { mode: 'partial' });
    expect(r.metrics.partial).toMatchObject({ credit: 0.5, precision: 0.25, recall: 0.5 });
    expect(r.score).toBeCloseTo(1 / 3, 12);
  });

  it('overlap ratio is character IoU', () => {
    expect(spanOverlapRatio({ start: 0, end: 4, type: 'X' }, { start: 2, end: 6, type: 'X' })).toBe(2 / 6);
    expect(spanOverlapRatio({ start: 0, end: 2, type: 'X' }, { start: 2, end: 4, type: 'X' })).toBe(0);
  });

  it('refuses an unknown mode', () => {
    expect(() => scoreNamedEntities([{ itemId: 's', spans: [] }], [], { mode: 'fuzzy' as 'exact' })).toThrow('unknown span mode');
  });
});

describe('validateSpanAnswer', () => {
  const zh: SpanItem = { id: 'z', text: '𠮷野家的牛肉饭', entityTypes: ['ORG', 'FOOD'] }; // 7 code points, 8 UTF-16 units
  const en: SpanItem = { id: 'e', text: 'Cafe\u0301 Nero', entityTypes: ['ORG'] }; // C a f e U+0301 space N e r o: 10 code points
  it.each([
    [zh, { itemId: 'z', spans: [{ start: 0, end: 3, type: 'ORG' }, { start: 4, end: 7, type: 'FOOD' }] }, []],
    [zh, { itemId: 'z', spans: [{ start: 4, end: 8, type: 'FOOD' }] }, [{ path: 'spans[0].end', problem: 'is beyond the text, which has 7 characters (code points)', code: 'SPAN_BEYOND_TEXT', params: { length: 7 } }]],
    [zh, { itemId: 'z', spans: [{ start: 3, end: 3, type: 'ORG' }] }, [{ path: 'spans[0].end', problem: 'must be greater than start (an entity covers at least one character)', code: 'SPAN_END_BEFORE_START' }]],
    [zh, { itemId: 'z', spans: [{ start: 0, end: 3, type: 'PER' }] }, [{ path: 'spans[0].type', problem: '"PER" is not one of: ORG, FOOD', code: 'VALUE_NOT_ONE_OF', params: { value: 'PER', allowed: 'ORG, FOOD' } }]],
    [zh, { itemId: 'z', spans: [{ start: -1, end: 1.5, type: 'ORG' }] }, [
      { path: 'spans[0].start', problem: 'must be a whole number >= 0', code: 'NOT_NEGATIVE_INTEGER' },
      { path: 'spans[0].end', problem: 'must be a whole number >= 0', code: 'NOT_NEGATIVE_INTEGER' },
    ]],
    [en, { itemId: 'e', spans: [{ start: 0, end: 5, type: 'ORG' }] }, []],
    [en, { itemId: 'e', spans: [{ start: 0, end: 4, type: 'ORG' }] }, [{ path: 'spans[0].end', problem: 'splits a character (e.g. a letter from its combining accent)', code: 'SPAN_SPLITS_CHARACTER' }]],
    [en, { itemId: 'e', spans: [{ start: 4, end: 10, type: 'ORG' }] }, [{ path: 'spans[0].start', problem: 'splits a character (e.g. a letter from its combining accent)', code: 'SPAN_SPLITS_CHARACTER' }]],
  ])('%#', (item, answer, problems) => {
    expect(validateSpanAnswer(answer, item)).toEqual(problems);
  });

  it('prefixes paths with the base', () => {
    expect(validateSpanAnswer({ itemId: 'z', spans: 'x' }, zh, 'answers[2]')).toEqual([{ path: 'answers[2].spans', problem: 'must be a list', code: 'NOT_A_LIST' }]);
  });
});
