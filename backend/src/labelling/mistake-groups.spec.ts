import { mistakeGroups } from './mistake-groups';

describe('mistakeGroups', () => {
  it('groups by kind and label, most frequent first, with example items', () => {
    const groups = mistakeGroups([
      { itemId: 'a', correct: false, score: 0, missed: [{ start: 0, end: 2, type: 'PER' }], wrong: [], extra: [{ start: 3, end: 5, type: 'LOC' }] },
      { itemId: 'b', correct: false, score: 0.5, missed: [{ start: 1, end: 2, type: 'PER' }], wrong: [], extra: [] },
      { itemId: 'c', correct: false, score: 0, missed: [], wrong: [{ expected: '正面', got: '负面' }], extra: [] },
      { itemId: 'd', correct: true, score: 1, missed: [], wrong: [], extra: [] },
    ]);
    expect(groups).toEqual([
      { key: 'missed PER', count: 2, examples: ['a', 'b'] },
      { key: 'extra LOC', count: 1, examples: ['a'] },
      { key: 'wrong 正面 -> 负面', count: 1, examples: ['c'] },
    ]);
  });

  it('names a wrong item without details and ignores correct ones', () => {
    expect(mistakeGroups([{ itemId: 'x', correct: false, score: 0, missed: [], wrong: [], extra: [] }])).toEqual([{ key: 'incorrect item', count: 1, examples: ['x'] }]);
    expect(mistakeGroups([])).toEqual([]);
  });
});
