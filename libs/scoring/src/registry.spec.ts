import { ScoringInputError, scoreSubmission, scorers, TASK_TYPES, validateSubmission } from './index';

describe('scorers registry', () => {
  it('has a scorer for every task type name', () => {
    expect(Object.keys(scorers).sort()).toEqual([...TASK_TYPES].sort());
    for (const t of TASK_TYPES) expect(scorers[t].taskType).toBe(t);
  });

  it('scores by task type name', () => {
    const gold = [{ itemId: 'a', label: 'x' }, { itemId: 'b', label: 'y' }];
    expect(scorers.text_classification.score(gold, [{ itemId: 'a', label: 'x' }]).score).toBe(0.5);
    expect(scoreSubmission('text_classification', gold, [{ itemId: 'a', label: 'x' }]).score).toBe(0.5);
  });

  it.each([
    ['multi_label_classification', [{ itemId: 'a', labels: [] }], [{ itemId: 'a', labels: [] }]],
    ['named_entity_spans', [{ itemId: 'a', spans: [] }], []],
    ['image_bounding_boxes', [{ itemId: 'a', boxes: [] }], []],
    ['transcription', [{ itemId: 'a', text: '好' }], [{ itemId: 'a', text: '好' }]],
    ['dialogue_intent_slots', [{ itemId: 'a', intent: 'i', slots: [] }], [{ itemId: 'a', intent: 'i', slots: [] }]],
    ['response_ranking', [{ itemId: 'a', ranking: [['p'], ['q']] }], [{ itemId: 'a', ranking: [['p'], ['q']] }]],
    ['data_cleaning', [{ itemId: 'a', flags: [] }], []],
  ] as const)('%s: perfect answer scores 1', (type, gold, answers) => {
    expect(scoreSubmission(type, gold, answers).score).toBe(1);
  });

  it('scoreSubmission refuses malformed input with every problem named', () => {
    try {
      scoreSubmission('named_entity_spans', [{ itemId: 'a', spans: [{ start: 2, end: 1, type: 'PER' }] }], [{ itemId: 'a' }]);
      throw new Error('expected a ScoringInputError');
    } catch (e) {
      expect(e).toBeInstanceOf(ScoringInputError);
      expect((e as ScoringInputError).code).toBe('INVALID_INPUT');
      expect((e as ScoringInputError).problems).toEqual([
        { path: 'gold[0].spans[0].end', problem: 'must be greater than start (an entity covers at least one character)', code: 'SPAN_END_BEFORE_START' },
        { path: 'answers[0].spans', problem: 'must be a list', code: 'NOT_A_LIST' },
      ]);
    }
  });

  it('validateSubmission: duplicate and unknown items, per-item checks', () => {
    const items = [{ id: 'a', text: 't', labels: ['x', 'y'] }];
    expect(validateSubmission('text_classification', [{ itemId: 'a', label: 'z' }, { itemId: 'a', label: 'x' }, { itemId: 'q', label: 'x' }], items)).toEqual([
      { path: 'answers[0].label', problem: '"z" is not one of: x, y', code: 'VALUE_NOT_ONE_OF', params: { value: 'z', allowed: 'x, y' } },
      { path: 'answers[1].itemId', problem: 'item "a" is answered twice', code: 'ITEM_ANSWERED_TWICE', params: { item: 'a' } },
      { path: 'answers[2].itemId', problem: 'no such item "q"', code: 'NO_SUCH_ITEM', params: { item: 'q' } },
    ]);
    expect(validateSubmission('text_classification', {})).toEqual([{ path: 'answers', problem: 'must be a list', code: 'NOT_A_LIST' }]);
    expect(validateSubmission('essay' as 'text_classification', [])).toEqual([{ path: 'taskType', problem: 'unknown task type "essay"', code: 'UNKNOWN_TASK_TYPE', params: { taskType: 'essay' } }]);
  });
});
