import { cohenKappa } from '../common/kappa';
import { scoreMultiLabel, validateMultiLabelAnswer } from './multi-label';
import { scoreSingleLabel, validateSingleLabelAnswer, type ClassificationItem } from './single-label';

describe('scoreSingleLabel', () => {
  // gold: 1 pos, 2 pos, 3 neg, 4 neg, 5 neu; answers: 1 pos, 2 neg, 3 neg, 4 neg, 5 unanswered
  const gold = [
    { itemId: '1', label: 'pos' },
    { itemId: '2', label: 'pos' },
    { itemId: '3', label: 'neg' },
    { itemId: '4', label: 'neg' },
    { itemId: '5', label: 'neu' },
  ];
  const answers = [
    { itemId: '1', label: 'pos' },
    { itemId: '2', label: 'neg' },
    { itemId: '3', label: 'neg' },
    { itemId: '4', label: 'neg' },
  ];
  const result = scoreSingleLabel(gold, answers, { labels: ['pos', 'neg', 'neu'] });

  it('score = accuracy = 3 correct / 5 items', () => {
    expect(result.score).toBe(0.6);
    expect(result.metrics).toMatchObject({ accuracy: 0.6, correct: 3, unanswered: 1 });
  });

  it('per-class P/R/F1 and macro-F1', () => {
    // pos: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3
    // neg: tp 2, fp 1 (item 2), fn 0 -> P 2/3, R 1, F1 4/5
    // neu: tp 0, fp 0, fn 1 (unanswered) -> 0, 0, 0
    const [pos, neg, neu] = result.metrics.perClass;
    expect(pos).toMatchObject({ label: 'pos', support: 2, tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 });
    expect(pos.f1).toBeCloseTo(2 / 3, 12);
    expect(neg).toMatchObject({ label: 'neg', support: 2, tp: 2, fp: 1, fn: 0, recall: 1, f1: 0.8 });
    expect(neg.precision).toBeCloseTo(2 / 3, 12);
    expect(neu).toMatchObject({ label: 'neu', support: 1, precision: 0, recall: 0, f1: 0 });
    expect(result.metrics.macroF1).toBeCloseTo((2 / 3 + 0.8 + 0) / 3, 12);
  });

  it('confusion matrix (rows gold, columns answer) with an unanswered column', () => {
    expect(result.metrics.confusion).toEqual({
      labels: ['pos', 'neg', 'neu'],
      counts: [
        [1, 1, 0],
        [0, 2, 0],
        [0, 0, 0],
      ],
      unanswered: [0, 0, 1],
    });
  });

  it('kappa counts "no answer" as its own category: (5*3 - 8)/(25 - 8) = 7/17', () => {
    // gold marginals pos 2, neg 2, neu 1; answer marginals pos 1, neg 3, none 1; S = 2*1 + 2*3 = 8; agreements 3
    expect(result.kappa).toBe(7 / 17);
    expect(cohenKappa(gold.map((g) => [g.label, answers.find((a) => a.itemId === g.itemId)?.label ?? '(none)'] as [string, string]))).toBe(7 / 17);
  });

  it('per-item feedback', () => {
    expect(result.items).toEqual([
      { itemId: '1', correct: true, score: 1, missed: [], wrong: [], extra: [] },
      { itemId: '2', correct: false, score: 0, missed: [], wrong: [{ expected: 'pos', got: 'neg' }], extra: [] },
      { itemId: '3', correct: true, score: 1, missed: [], wrong: [], extra: [] },
      { itemId: '4', correct: true, score: 1, missed: [], wrong: [], extra: [] },
      { itemId: '5', correct: false, score: 0, missed: ['neu'], wrong: [], extra: [] },
    ]);
  });

  it('empty answer: every item wrong, score 0', () => {
    const r = scoreSingleLabel(gold, []);
    expect(r.score).toBe(0);
    expect(r.metrics.macroF1).toBe(0);
    // answer all "none": p_o 0, S = 0 -> kappa 0
    expect(r.kappa).toBe(0);
  });

  it('all correct on one class: kappa p_e = 1 -> 1', () => {
    const g = [
      { itemId: 'a', label: 'neg' },
      { itemId: 'b', label: 'neg' },
    ];
    expect(scoreSingleLabel(g, g)).toMatchObject({ score: 1, kappa: 1, metrics: { macroF1: 1 } });
  });

  it('refuses an empty gold set', () => {
    expect(() => scoreSingleLabel([], [])).toThrow('no gold items');
  });
});

describe('validateSingleLabelAnswer', () => {
  const item: ClassificationItem = { id: 'i1', text: '服务很好', labels: ['正面', '负面'] };
  it.each([
    [{ itemId: 'i1', label: '正面' }, []],
    [{ itemId: 'i1', label: '中性' }, [{ path: 'label', problem: '"中性" is not one of: 正面, 负面', code: 'VALUE_NOT_ONE_OF', params: { value: '中性', allowed: '正面, 负面' } }]],
    [{ itemId: 'i2', label: '正面' }, [{ path: 'itemId', problem: 'must be "i1"', code: 'MUST_BE_ITEM', params: { item: 'i1' } }]],
    [{ itemId: 'i1' }, [{ path: 'label', problem: 'must be a non-empty string', code: 'REQUIRED_TEXT' }]],
    [null, [{ path: '(answer)', problem: 'must be an object', code: 'NOT_AN_OBJECT' }]],
  ])('%j', (answer, problems) => {
    expect(validateSingleLabelAnswer(answer, item)).toEqual(problems);
  });
});

describe('scoreMultiLabel', () => {
  // 1: gold {a,b}, answer {a}      -> J = 1/2, F1 = 2/3, missed b
  // 2: gold {},    answer {}       -> J = 1 (both empty), exact
  // 3: gold {c},   answer {a,c}    -> J = 1/2, F1 = 2/3, extra a
  // 4: gold {b},   unanswered      -> J = 0, F1 = 0
  const gold = [
    { itemId: '1', labels: ['a', 'b'] },
    { itemId: '2', labels: [] },
    { itemId: '3', labels: ['c'] },
    { itemId: '4', labels: ['b'] },
  ];
  const answers = [
    { itemId: '1', labels: ['a'] },
    { itemId: '2', labels: [] },
    { itemId: '3', labels: ['a', 'c'] },
  ];
  const result = scoreMultiLabel(gold, answers);

  it('score = mean Jaccard = (1/2 + 1 + 1/2 + 0)/4 = 0.5', () => {
    expect(result.score).toBe(0.5);
    expect(result.metrics.jaccard).toBe(0.5);
  });

  it('exact-set accuracy 1/4, sample-F1 (2/3 + 1 + 2/3 + 0)/4 = 7/12', () => {
    expect(result.metrics.exactMatchAccuracy).toBe(0.25);
    expect(result.metrics.sampleF1).toBeCloseTo(7 / 12, 12);
  });

  it('micro: tp 2 (a@1, c@3), fp 1 (a@3), fn 2 (b@1, b@4) -> P 2/3, R 1/2, F1 4/7', () => {
    expect(result.metrics.micro).toMatchObject({ tp: 2, fp: 1, fn: 2, recall: 0.5 });
    expect(result.metrics.micro.f1).toBeCloseTo(4 / 7, 12);
  });

  it('macro-F1 over a (2/3), b (0), c (1) = 5/9', () => {
    expect(result.metrics.perClass.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(result.metrics.macroF1).toBeCloseTo(5 / 9, 12);
  });

  it('kappa over 4 items x 3 labels = 12 decisions: (12*9 - 84)/(144 - 84) = 0.4', () => {
    // agreements 2 yes/yes + 7 no/no = 9; gold yes 4 no 8, answer yes 3 no 9 -> S = 12 + 72 = 84
    expect(result.kappa).toBe(0.4);
  });

  it('feedback lists missed and extra labels', () => {
    expect(result.items.map(({ itemId, correct, missed, extra }) => ({ itemId, correct, missed, extra }))).toEqual([
      { itemId: '1', correct: false, missed: ['b'], extra: [] },
      { itemId: '2', correct: true, missed: [], extra: [] },
      { itemId: '3', correct: false, missed: [], extra: ['a'] },
      { itemId: '4', correct: false, missed: ['b'], extra: [] },
    ]);
  });

  it('no labels anywhere: every item correct, score 1, kappa 1', () => {
    const g = [{ itemId: 'x', labels: [] }];
    expect(scoreMultiLabel(g, g)).toMatchObject({ score: 1, kappa: 1, metrics: { exactMatchAccuracy: 1, macroF1: 1, micro: { f1: 1 } } });
    // unanswered counts as the empty set, so it is also correct here
    expect(scoreMultiLabel(g, []).score).toBe(1);
  });

  it('a label repeated in one answer counts once', () => {
    expect(scoreMultiLabel([{ itemId: 'x', labels: ['a'] }], [{ itemId: 'x', labels: ['a', 'a'] }]).score).toBe(1);
  });

  it('options.labels widen the kappa universe (an unused label adds two no/no decisions)', () => {
    const g = [
      { itemId: 'x', labels: ['a'] },
      { itemId: 'y', labels: [] },
    ];
    const a = [{ itemId: 'x', labels: ['a'] }, { itemId: 'y', labels: ['a'] }];
    // universe {a}: table [[1,0],[1,0]] -> p_o 1/2, gold yes 1 no 1, answer yes 2 no 0 -> S = 2 -> (2*1 - 2)/(4 - 2) = 0
    expect(scoreMultiLabel(g, a).kappa).toBe(0);
    // universe {a, b}: 4 decisions, agree 3; gold yes 1 no 3, answer yes 2 no 2 -> S = 2 + 6 = 8 -> (12 - 8)/(16 - 8) = 0.5
    expect(scoreMultiLabel(g, a, { labels: ['a', 'b'] }).kappa).toBe(0.5);
  });
});

describe('validateMultiLabelAnswer', () => {
  const item: ClassificationItem = { id: 'i1', text: 't', labels: ['体育', '财经'] };
  it('accepts an empty set', () => expect(validateMultiLabelAnswer({ itemId: 'i1', labels: [] }, item)).toEqual([]));
  it('names unknown and repeated labels', () => {
    expect(validateMultiLabelAnswer({ itemId: 'i1', labels: ['体育', '娱乐', '体育'] }, item)).toEqual([
      { path: 'labels[1]', problem: '"娱乐" is not one of: 体育, 财经', code: 'VALUE_NOT_ONE_OF', params: { value: '娱乐', allowed: '体育, 财经' } },
      { path: 'labels[2]', problem: '"体育" appears twice', code: 'DUPLICATE_VALUE', params: { value: '体育' } },
    ]);
  });
  it('needs an array', () => expect(validateMultiLabelAnswer({ itemId: 'i1', labels: '体育' }, item)).toEqual([{ path: 'labels', problem: 'must be a list', code: 'NOT_A_LIST' }]));
});

/**
 * Macro-F1 over the task's label set (the labels shown to the student), as scikit-learn's
 * `f1_score(y_true, y_pred, labels=task_labels, average='macro', zero_division=0)`: a label nobody used (no gold, no
 * answer) is in the average with F1 0 and has its row in the per-class table.
 */
describe('macro-F1 over the task labels', () => {
  it('single-label: an unused task label counts F1 0 (sklearn labels=[a,b,c,d] gives 7/12)', () => {
    // gold a a b c, answers a b b c: a 2/3, b 2/3, c 1, d unused 0 -> (2/3 + 2/3 + 1 + 0) / 4 = 7/12
    const gold = ['a', 'a', 'b', 'c'].map((label, i) => ({ itemId: String(i), label }));
    const answers = ['a', 'b', 'b', 'c'].map((label, i) => ({ itemId: String(i), label }));
    const r = scoreSingleLabel(gold, answers, { labels: ['a', 'b', 'c', 'd'] });
    expect(r.metrics.macroF1).toBeCloseTo(7 / 12, 12);
    expect(r.metrics.perClass.map((c) => [c.label, c.support, c.f1])).toEqual([
      ['a', 2, expect.closeTo(2 / 3, 12)],
      ['b', 1, expect.closeTo(2 / 3, 12)],
      ['c', 1, 1],
      ['d', 0, 0],
    ]);
    expect(r.metrics.macroF1Average).toEqual({ over: 'task_labels', labelCount: 4 });
    // The confusion matrix lists d too (an all-zero row and column); accuracy is unchanged.
    expect(r.metrics.confusion.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(r.score).toBe(0.75);
  });

  it('single-label: a perfect answer that never needed label d still has macro-F1 3/4, not 1', () => {
    const gold = ['a', 'b', 'c'].map((label, i) => ({ itemId: String(i), label }));
    expect(scoreSingleLabel(gold, gold, { labels: ['a', 'b', 'c', 'd'] }).metrics.macroF1).toBe(0.75);
    // Without a task label set the average is over the labels seen, and says so.
    const seen = scoreSingleLabel(gold, gold);
    expect(seen.metrics.macroF1).toBe(1);
    expect(seen.metrics.macroF1Average).toEqual({ over: 'labels_seen' });
  });

  it('multi-label: unused task labels count F1 0 and are listed (sklearn labels=[x,y,z,w] gives 5/12)', () => {
    // gold {x} {x,y}, answers {x} {y}: x tp1 fn1 -> 2/3, y tp1 -> 1, z and w unused -> 0: (2/3 + 1) / 4 = 5/12
    const gold = [{ itemId: '1', labels: ['x'] }, { itemId: '2', labels: ['x', 'y'] }];
    const answers = [{ itemId: '1', labels: ['x'] }, { itemId: '2', labels: ['y'] }];
    const r = scoreMultiLabel(gold, answers, { labels: ['x', 'y', 'z', 'w'] });
    expect(r.metrics.macroF1).toBeCloseTo(5 / 12, 12);
    expect(r.metrics.perClass.map((c) => [c.label, c.f1])).toEqual([
      ['x', expect.closeTo(2 / 3, 12)],
      ['y', 1],
      ['z', 0],
      ['w', 0],
    ]);
    expect(r.metrics.macroF1Average).toEqual({ over: 'task_labels', labelCount: 4 });
  });

  it('an answer label outside the task set is listed after the task labels and counts in the average', () => {
    const gold = [{ itemId: '1', label: 'a' }];
    const r = scoreSingleLabel(gold, [{ itemId: '1', label: 'zz' }], { labels: ['a', 'b'] });
    expect(r.metrics.perClass.map((c) => c.label)).toEqual(['a', 'b', 'zz']);
    expect(r.metrics.macroF1).toBe(0);
  });
});
