import type { QuestionContent } from '@aitrainer/contracts';
import { answerFeedback } from './objective-scoring';

/** Moodle's specific feedback: only the feedback of what the candidate answered, never another option's. */
describe('answerFeedback', () => {
  const choice: QuestionContent = {
    stem: '?',
    options: [{ key: 'A', text: '甲', feedback: '对' }, { key: 'B', text: '乙', feedback: '错：乙不对' }, { key: 'C', text: '丙' }],
    correctKeys: ['A'],
  };

  it('gives the chosen option\'s feedback, none for an option without it or a blank', () => {
    expect(answerFeedback('single_choice', choice, 'B')).toEqual([{ key: 'B', text: '错：乙不对' }]);
    expect(answerFeedback('single_choice', choice, 'C')).toEqual([]);
    expect(answerFeedback('single_choice', choice, '')).toEqual([]);
    expect(answerFeedback('single_choice', choice, null)).toEqual([]);
  });

  it('gives each chosen option\'s feedback in option order for multiple choice', () => {
    expect(answerFeedback('multiple_choice', choice, ['C', 'B', 'A'])).toEqual([{ key: 'A', text: '对' }, { key: 'B', text: '错：乙不对' }]);
    expect(answerFeedback('multiple_choice', choice, 'A')).toEqual([]);
  });

  it('gives the true/false answer\'s feedback', () => {
    const tf: QuestionContent = { stem: '?', answer: true, trueFeedback: '是的', falseFeedback: '再想想' };
    expect(answerFeedback('true_false', tf, false)).toEqual([{ key: 'false', text: '再想想' }]);
    expect(answerFeedback('true_false', tf, true)).toEqual([{ key: 'true', text: '是的' }]);
  });

  it('gives the matched fill-in answer\'s feedback, normalised as the scorer compares (full credit first, else the best partial)', () => {
    const fb: QuestionContent = { stem: '?', acceptedAnswers: ['kappa', 'κ'], acceptedFeedback: ['好', ''], partialAnswers: [{ text: '卡帕', weight: 50, feedback: '写英文' }, { text: '卡*', weight: 20, feedback: '太宽' }] };
    expect(answerFeedback('fill_blank', fb, ' ＫＡＰＰＡ')).toEqual([{ key: 'answer', text: '好' }]);
    expect(answerFeedback('fill_blank', fb, 'κ')).toEqual([]);
    expect(answerFeedback('fill_blank', fb, '卡帕')).toEqual([{ key: 'answer', text: '写英文' }]);
    expect(answerFeedback('fill_blank', fb, 'alpha')).toEqual([]);
    expect(answerFeedback('fill_blank', { ...fb, wildcards: true }, '卡片')).toEqual([{ key: 'answer', text: '太宽' }]);
  });

  it('gives the first numerical answer within tolerance, as Moodle grades it', () => {
    const num: QuestionContent = { stem: '?', numericAnswers: [{ value: 3.14, tolerance: 0.01, weight: 100, feedback: '精确' }, { value: 3, tolerance: 0.5, weight: 50, feedback: '接近' }] };
    expect(answerFeedback('numerical', num, '3.145')).toEqual([{ key: 'answer', text: '精确' }]);
    expect(answerFeedback('numerical', num, '2.7')).toEqual([{ key: 'answer', text: '接近' }]);
    expect(answerFeedback('numerical', num, 'abc')).toEqual([]);
  });
});
