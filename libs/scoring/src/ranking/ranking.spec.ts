import { ScoringInputError } from '../common/problems';
import { kendallTauB, scoreRanking, validateRankingAnswer } from './ranking';

describe('scoreRanking', () => {
  const gold = [
    { itemId: '1', ranking: [['a'], ['b'], ['c']] },
    { itemId: '2', ranking: [['x', 'y']] }, // a tie
    { itemId: '3', ranking: [['a'], ['b', 'c']] },
  ];
  const answers = [
    { itemId: '1', ranking: [['a'], ['c'], ['b']] },
    { itemId: '2', ranking: [['x'], ['y']] },
    { itemId: '3', ranking: [['a'], ['b'], ['c']] },
  ];
  const r = scoreRanking(gold, answers);

  it('item 1: pairs ab, ac agree, bc reversed -> accuracy 2/3, tau-b (2 - 1)/3 = 1/3', () => {
    expect(r.items[0].score).toBeCloseTo(2 / 3, 12);
    expect(r.items[0].kendallTauB).toBeCloseTo(1 / 3, 12);
    expect(r.items[0].wrong).toEqual([{ first: 'b', second: 'c', expected: 'first', got: 'second' }]);
  });

  it('item 2: a gold tie is matched only by a tie -> 0; tau-b: gold all tied, answer not -> 0', () => {
    expect(r.items[1]).toMatchObject({ score: 0, kendallTauB: 0, wrong: [{ first: 'x', second: 'y', expected: 'tie', got: 'first' }] });
  });

  it('item 3 (ties): accuracy 2/3; tau-b = 2 / sqrt((3 - 1)(3 - 0)) = 0.8165 (scipy kendalltau([1,2,2],[1,2,3]))', () => {
    expect(r.items[2].score).toBeCloseTo(2 / 3, 12);
    expect(r.items[2].kendallTauB).toBeCloseTo(2 / Math.sqrt(6), 12);
  });

  it('score = mean item pairwise accuracy = (2/3 + 0 + 2/3)/3 = 4/9; pooled 4/7', () => {
    expect(r.score).toBeCloseTo(4 / 9, 12);
    expect(r.metrics.pooledPairwiseAccuracy).toBeCloseTo(4 / 7, 12);
    expect(r.metrics).toMatchObject({ agreeingPairs: 4, pairs: 7 });
    expect(r.metrics.meanKendallTauB).toBeCloseTo((1 / 3 + 0 + 2 / Math.sqrt(6)) / 3, 12);
  });

  it('kappa over the 7 pair judgements: (7*4 - 30)/(49 - 30) = -2/19', () => {
    // gold: first 5, tie 2; answer: first 6, second 1 -> S = 5*6 = 30; agreements 4
    expect(r.kappa).toBe(-2 / 19);
  });

  it('pairwise preference: reversed -> 0, tau -1; same -> 1, tau 1', () => {
    const g = [{ itemId: 'p', ranking: [['a'], ['b']] }];
    expect(scoreRanking(g, [{ itemId: 'p', ranking: [['b'], ['a']] }]).items[0]).toMatchObject({ score: 0, kendallTauB: -1 });
    expect(scoreRanking(g, g)).toMatchObject({ score: 1, items: [{ kendallTauB: 1, correct: true }] });
  });

  it('both all tied: accuracy 1, tau-b defined as 1', () => {
    const g = [{ itemId: 'p', ranking: [['a', 'b', 'c']] }];
    expect(scoreRanking(g, g).items[0]).toMatchObject({ score: 1, kendallTauB: 1 });
  });

  it('unanswered item scores 0 with every pair listed as wrong', () => {
    const res = scoreRanking([{ itemId: 'p', ranking: [['a'], ['b']] }], []);
    expect(res.items[0]).toMatchObject({ score: 0, kendallTauB: 0, wrong: [{ first: 'a', second: 'b', expected: 'first', got: null }] });
  });

  it('refuses an answer that does not rank the same responses', () => {
    expect(() => scoreRanking([{ itemId: 'p', ranking: [['a'], ['b']] }], [{ itemId: 'p', ranking: [['a'], ['z']] }])).toThrow(ScoringInputError);
  });

  it('kendallTauB edge cases', () => {
    expect(kendallTauB(3, 0, 3, 0, 0)).toBe(1);
    expect(kendallTauB(0, 0, 1, 0, 1)).toBe(0); // answer all tied, gold not
  });
});

describe('validateRankingAnswer', () => {
  const item = { id: 'r', prompt: 'p', responses: [{ id: 'a', text: '' }, { id: 'b', text: '' }] };
  it.each([
    [{ itemId: 'r', ranking: [['a'], ['b']] }, []],
    [{ itemId: 'r', ranking: [['a', 'b']] }, []],
    [{ itemId: 'r', ranking: [['a'], ['a']] }, [{ path: 'ranking[1][0]', problem: 'response "a" is ranked twice', code: 'RESPONSE_RANKED_TWICE', params: { response: 'a' } }, { path: 'ranking', problem: 'response "b" is not ranked', code: 'RESPONSE_NOT_RANKED', params: { response: 'b' } }]],
    [{ itemId: 'r', ranking: [['a'], [], ['b', 'c']] }, [{ path: 'ranking[1]', problem: 'a tier must hold at least one response', code: 'RANK_TIER_EMPTY' }, { path: 'ranking', problem: 'no response "c" in this item', code: 'NO_SUCH_RESPONSE', params: { response: 'c' } }]],
  ])('%j', (answer, problems) => expect(validateRankingAnswer(answer, item)).toEqual(problems));
});
