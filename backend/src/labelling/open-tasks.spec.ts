import type { OpenTaskGrading } from '@aitrainer/contracts';
import { exactPart, openGradingProblems, openItemScore } from './open-tasks';

const grading: OpenTaskGrading = { rubric: [{ id: 'r', name: 'r', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: 'x' }] }], weights: { exact: 40, judged: 60 }, passMark: 60 };

describe('open-ended task rules', () => {
  it('scores the preference choice exactly', () => {
    expect(exactPart('preference_rationale', { choice: 'A', rationale: '' }, { choice: 'A', rationale: 'x' })).toBe(1);
    expect(exactPart('preference_rationale', { choice: 'A', rationale: '' }, { choice: 'B', rationale: 'x' })).toBe(0);
    expect(exactPart('preference_rationale', { choice: 'A', rationale: '' }, null)).toBe(0);
  });

  it('scores error-review corrections as F1 on (item, corrected label)', () => {
    const gold = { corrections: [{ id: '1', label: 'neg' }, { id: '3', label: 'pos' }] };
    expect(exactPart('error_review', gold, { corrections: [{ id: '1', label: 'neg' }, { id: '3', label: 'pos' }] })).toBe(1);
    // one right, one wrong label, one extra: tp 1, 3 flagged, 2 gold -> 2/5
    expect(exactPart('error_review', gold, { corrections: [{ id: '1', label: 'neg' }, { id: '3', label: 'neu' }, { id: '2', label: 'pos' }] })).toBeCloseTo(0.4);
    expect(exactPart('error_review', { corrections: [] }, { corrections: [] })).toBe(1);
    expect(exactPart('sft_writing', { text: 'ref' }, { text: 'x' })).toBeNull();
  });

  it('combines the exact and judged parts by the weights, judged alone when there is no exact part', () => {
    expect(openItemScore(grading, 1, 0.5)).toBe(70);
    expect(openItemScore(grading, null, 0.5)).toBe(50);
  });

  it('names each problem of a rubric', () => {
    expect(openGradingProblems(undefined)[0].path).toBe('scoring.openGrading');
    const bad = { rubric: [{ id: '', name: '', weight: 0, maxScore: 4, levels: [{ score: 9, descriptor: 'x' }] }], weights: { exact: 0, judged: 0 }, passMark: 120 } as OpenTaskGrading;
    expect(openGradingProblems(bad).map((p) => p.path)).toEqual([
      'scoring.openGrading.rubric[0].id',
      'scoring.openGrading.rubric[0].name',
      'scoring.openGrading.rubric[0].weight',
      'scoring.openGrading.rubric[0].levels[0].score',
      'scoring.openGrading.weights',
      'scoring.openGrading.passMark',
    ]);
    expect(openGradingProblems(grading)).toEqual([]);
  });
});
