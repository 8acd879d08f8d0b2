import { normaliseSlotValue, scoreDialogue, validateDialogueAnswer } from './intent-slots';

describe('scoreDialogue', () => {
  // 1: intent right; slots from=北京 (matches after trim), to=上海 vs 广州 (wrong) -> slot tp 1 fp 1 fn 1, F1 1/2, item 0.75
  // 2: intent wrong; slot city "New York" vs "new  york" matches after normalisation -> item 0.5*0 + 0.5*1 = 0.5
  // 3: unanswered; no gold slots -> slot F1 1, intent wrong -> item 0.5
  const gold = [
    { itemId: '1', intent: 'book_flight', slots: [{ name: 'from', value: '北京' }, { name: 'to', value: '上海' }] },
    { itemId: '2', intent: 'weather', slots: [{ name: 'city', value: 'New York' }] },
    { itemId: '3', intent: 'greet', slots: [] },
  ];
  const answers = [
    { itemId: '1', intent: 'book_flight', slots: [{ name: 'from', value: '北京 ' }, { name: 'to', value: '广州' }] },
    { itemId: '2', intent: 'book_flight', slots: [{ name: 'city', value: 'new  york' }] },
  ];
  const r = scoreDialogue(gold, answers);

  it('intent accuracy 1/3; slots tp 2, fp 1, fn 1 -> F1 4/6; score = 0.5/3 + 0.5 * 2/3 = 0.5', () => {
    expect(r.metrics.intentAccuracy).toBeCloseTo(1 / 3, 12);
    expect(r.metrics.slots).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(r.metrics.slots.f1).toBeCloseTo(2 / 3, 12);
    expect(r.score).toBeCloseTo(0.5, 12);
    expect(r.items.map((i) => i.score)).toEqual([0.75, 0.5, 0.5]);
  });

  it('kappa over intents: (3*1 - 2)/(9 - 2) = 1/7', () => {
    // gold book 1, weather 1, greet 1; answer book 2, none 1 -> S = 1*2 = 2; agreements 1
    expect(r.kappa).toBe(1 / 7);
  });

  it('feedback: wrong slot value, wrong intent, unanswered', () => {
    expect(r.items[0]).toEqual({ itemId: '1', correct: false, score: 0.75, missed: [], wrong: [{ kind: 'slot-value', name: 'to', expected: '上海', got: '广州' }], extra: [] });
    expect(r.items[1].wrong).toEqual([{ kind: 'intent', expected: 'weather', got: 'book_flight' }]);
    expect(r.items[2].wrong).toEqual([{ kind: 'intent', expected: 'greet', got: null }]);
  });

  it('weights are configurable', () => {
    expect(scoreDialogue(gold, answers, { intentWeight: 1, slotWeight: 0 }).score).toBeCloseTo(1 / 3, 12);
    expect(scoreDialogue(gold, answers, { intentWeight: 0, slotWeight: 2 }).score).toBeCloseTo(2 / 3, 12);
    expect(() => scoreDialogue(gold, answers, { intentWeight: 0, slotWeight: 0 })).toThrow('weights');
  });

  it('correct means exact even when a zero weight makes the score 1', () => {
    const res = scoreDialogue([gold[1]], [answers[1]], { intentWeight: 0, slotWeight: 1 });
    expect(res.items[0]).toMatchObject({ score: 1, correct: false });
  });

  it('a repeated slot counts once; a missing slot is "missed"', () => {
    const g = [{ itemId: 'x', intent: 'i', slots: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }];
    const a = [{ itemId: 'x', intent: 'i', slots: [{ name: 'a', value: '1' }, { name: 'a', value: '1' }] }];
    const res = scoreDialogue(g, a);
    expect(res.metrics.slots).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(res.items[0].missed).toEqual([{ name: 'b', value: '2' }]);
  });

  it('normaliseSlotValue: NFKC, trim, collapse, lower-case', () => {
    expect(normaliseSlotValue('  ＮＥＷ\u3000 York ')).toBe('new york');
  });

  it('validator names bad fields', () => {
    const item = { id: 'x', turns: [], intents: ['book'], slotNames: ['from'] };
    expect(validateDialogueAnswer({ itemId: 'x', intent: 'buy', slots: [{ name: 'to', value: ' ' }] }, item)).toEqual([
      { path: 'intent', problem: '"buy" is not one of: book', code: 'VALUE_NOT_ONE_OF', params: { value: 'buy', allowed: 'book' } },
      { path: 'slots[0].name', problem: '"to" is not one of: from', code: 'VALUE_NOT_ONE_OF', params: { value: 'to', allowed: 'from' } },
      { path: 'slots[0].value', problem: 'is required', code: 'REQUIRED' },
    ]);
  });
});
