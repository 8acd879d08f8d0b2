import { scoreDataCleaning, validateDataCleaningAnswer, type DataCleaningAnswer } from './data-cleaning';

describe('scoreDataCleaning', () => {
  const gold: DataCleaningAnswer[] = [
    { itemId: '1', flags: ['duplicate'] },
    { itemId: '2', flags: ['blurred'] },
    { itemId: '3', flags: [] },
    { itemId: '4', flags: ['blurred', 'off_topic'] },
    { itemId: '5', flags: [] },
  ];
  const answers: DataCleaningAnswer[] = [
    { itemId: '1', flags: ['duplicate'] },
    // item 2 unanswered
    { itemId: '3', flags: ['off_topic'] },
    { itemId: '4', flags: ['blurred'] },
    { itemId: '5', flags: [] },
  ];
  const r = scoreDataCleaning(gold, answers);

  it('overall micro: tp 2, fp 1, fn 2 -> P 2/3, R 1/2, score = F1 = 4/7', () => {
    expect(r.metrics.overall).toMatchObject({ tp: 2, fp: 1, fn: 2, recall: 0.5 });
    expect(r.score).toBeCloseTo(4 / 7, 12);
  });

  it('per flag with kappa over the 5 items', () => {
    const [dup, blur, off] = r.metrics.perFlag;
    expect(dup).toMatchObject({ flag: 'duplicate', tp: 1, f1: 1, kappa: 1 });
    // blurred: table [[1,1],[0,3]]: agree 4, gold yes 2 no 3, answer yes 1 no 4 -> S = 2 + 12 = 14 -> (20-14)/(25-14)
    expect(blur).toMatchObject({ flag: 'blurred', tp: 1, fn: 1, precision: 1, recall: 0.5, kappa: 6 / 11 });
    // off_topic: tp 0, fn 1, fp 1, no 3: agree 3, S = 1*1 + 4*4 = 17 -> (15-17)/(25-17) = -0.25
    expect(off).toMatchObject({ flag: 'off_topic', tp: 0, fp: 1, fn: 1, f1: 0, kappa: -0.25 });
  });

  it('overall kappa over 15 decisions: (15*12 - 144)/(225 - 144) = 4/9', () => {
    // agree 2 + 10 = 12; gold yes 4 no 11, answer yes 3 no 12 -> S = 12 + 132 = 144
    expect(r.kappa).toBe(4 / 9);
  });

  it('items flagged at all: tp {1,4}, fp {3}, fn {2} -> 2/3 each', () => {
    expect(r.metrics.itemsFlagged).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(r.metrics.itemsFlagged.f1).toBeCloseTo(2 / 3, 12);
  });

  it('feedback', () => {
    expect(r.items.map(({ itemId, score, missed, extra }) => ({ itemId, score, missed, extra }))).toEqual([
      { itemId: '1', score: 1, missed: [], extra: [] },
      { itemId: '2', score: 0, missed: ['blurred'], extra: [] },
      { itemId: '3', score: 0, missed: [], extra: ['off_topic'] },
      { itemId: '4', score: 2 / 3, missed: ['off_topic'], extra: [] },
      { itemId: '5', score: 1, missed: [], extra: [] },
    ]);
  });

  it('a clean dataset left unflagged scores 1 (kappa 1, p_e = 1)', () => {
    const clean = [{ itemId: 'a', flags: [] }, { itemId: 'b', flags: [] }];
    expect(scoreDataCleaning(clean, [])).toMatchObject({ score: 1, kappa: 1 });
  });

  it('validator: unknown and repeated flags', () => {
    expect(validateDataCleaningAnswer({ itemId: 'a', flags: ['blurred', 'ugly', 'blurred'] })).toEqual([
      { path: 'flags[1]', problem: '"ugly" is not one of: duplicate, blurred, off_topic', code: 'VALUE_NOT_ONE_OF', params: { value: 'ugly', allowed: 'duplicate, blurred, off_topic' } },
      { path: 'flags[2]', problem: '"blurred" appears twice', code: 'DUPLICATE_VALUE', params: { value: 'blurred' } },
    ]);
  });
});
