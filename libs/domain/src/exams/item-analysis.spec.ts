import type { QuestionContent } from '@aitrainer/contracts';
import { analysePart, effectiveWeights, firstFinishedAttempts, itemFlags, itemStatistics, randomGuessScore, responseCounts, scoreBands, scoreDistribution, type ItemResponse } from './item-analysis';
import { scoreObjective } from './objective-scoring';

/*
 * Every expected figure below is worked by hand from Moodle's formulas (question/classes/statistics/questions/
 * calculator.php; the display in mod/quiz/report/statistics/statistics_table.php), never read off this code:
 *   facility  = 100 · x̄ / maxmark                                  (initial_question_walker)
 *   sd        = 100 · sqrt(Σ(x - x̄)² / (s - 1)) / maxmark            (secondary_question_walker; col_sd)
 *   DI        = 100 · cov(x, y) / sqrt(var(x) · var(y)), y = T - x     (discriminationindex)
 *   DE        = 100 · cov(x, y) / covmax, covmax = Σ(x₍ᵢ₎ - x̄)(y₍ᵢ₎ - ȳ) / (s - 1), both sorted ascending
 *   EW        = 100 · sqrt(cov(x, T)) / Σ over items with cov ≥ 0 of sqrt(cov(x, T)); none when cov < 0 (negcovar)
 *   r_pb      = cov(x, T) / sqrt(var(x) · var(T))   (the uncorrected item-total correlation; not a Moodle column)
 * All variances and covariances divide by s - 1, as Moodle's walkers do.
 *
 * The test: five candidates A-E, four items of one part (max 5 points).
 *   Q1 true/false, 1 point:        1, 1, 0, 1, 0
 *   Q2 single choice, 1 point:     1, 1, 1, 1, 1      (everyone right: zero variance)
 *   Q3 multiple, partial, 2 points: 2, 1.5, 0.5, 1, 0 (partial credit)
 *   Q4 single choice, 1 point:     0, 0, 1, 0, 0      (only a weak candidate right: negative discrimination)
 *   totals T:                      4, 3.5, 2.5, 3, 1  (mean 2.8; dT = 1.2, .7, -.3, .2, -1.8; Σ dT² = 5.3)
 */
const marks = {
  q1: [1, 1, 0, 1, 0],
  q2: [1, 1, 1, 1, 1],
  q3: [2, 1.5, 0.5, 1, 0],
  q4: [0, 0, 1, 0, 0],
};
const totals = [0, 1, 2, 3, 4].map((i) => marks.q1[i]! + marks.q2[i]! + marks.q3[i]! + marks.q4[i]!);
const responses = (xs: number[]): ItemResponse[] => xs.map((itemScore, i) => ({ itemScore, total: totals[i]! }));

describe('item statistics, hand-worked against Moodle calculator.php', () => {
  it('the totals are the sums of the item marks (Moodle summarks)', () => {
    expect(totals).toEqual([4, 3.5, 2.5, 3, 1]);
  });

  it('Q1 (0/1 item): facility, SD, discrimination index, discriminative efficiency, point-biserial', () => {
    // x̄ = .6; dx = .4, .4, -.6, .4, -.6; Σdx² = 1.2, var = .3, sd = .547723 of 1 point.
    // y = 3, 2.5, 2.5, 2, 1, ȳ = 2.2; dy = .8, .3, .3, -.2, -1.2; Σdy² = 2.3, var = .575.
    // Σdx·dy = .32 + .12 - .18 - .08 + .72 = .9, cov = .225; DI = 22.5 / sqrt(.3 · .575) = 22.5 / .415331 = 54.1736 %.
    // Sorted: dx -.6, -.6, .4, .4, .4 with dy (y 1, 2, 2.5, 2.5, 3) -1.2, -.2, .3, .3, .8: Σ = .72 + .12 + .12 + .12 + .32 = 1.4,
    // covmax = .35; DE = 22.5 / .35 = 64.2857 %. Σdx·dT = .48 + .28 + .18 + .08 + 1.08 = 2.1: cov(x, T) = .525,
    // r_pb = 2.1 / sqrt(1.2 · 5.3) = .832704.
    const s = itemStatistics(responses(marks.q1), 1);
    expect(s.responses).toBe(5);
    expect(s.facility).toBeCloseTo(60, 10);
    expect(s.sd).toBeCloseTo(54.77226, 4);
    expect(s.discriminationIndex).toBeCloseTo(54.17363, 4);
    expect(s.discriminativeEfficiency).toBeCloseTo(64.28571, 4);
    expect(s.pointBiserial).toBeCloseTo(0.832704, 5);
    expect(s.covarianceWithTotal).toBeCloseTo(0.525, 10);
  });

  it('Q2 (zero variance): facility 100 %, SD 0, and no discrimination, efficiency or correlation at all', () => {
    // Every dx = 0: var(x) = 0, so Moodle's "if (markvariance * othermarkvariance)" and "if (covariancemax)" both fail.
    const s = itemStatistics(responses(marks.q2), 1);
    expect(s).toMatchObject({ facility: 100, sd: 0, discriminationIndex: null, discriminativeEfficiency: null, pointBiserial: null, covarianceWithTotal: 0 });
  });

  it('Q3 (partial credit, 2 points): SD as a share of the max mark; DE 100 % when item and rest are in the same order', () => {
    // x̄ = 1 of 2: facility 50 %. dx = 1, .5, -.5, 0, -1; Σdx² = 2.5, var = .625, sd = .790569 / 2 = 39.5285 %.
    // y = 2, 2, 2, 2, 1, ȳ = 1.8; dy = .2, .2, .2, .2, -.8; Σdy² = .8, var = .2. Σdx·dy = .2 + .1 - .1 + 0 + .8 = 1, cov = .25.
    // DI = 25 / sqrt(.625 · .2) = 25 / .353553 = 70.7107 %. Sorted: dx -1, -.5, 0, .5, 1 with dy -.8, .2, .2, .2, .2:
    // Σ = .8 - .1 + 0 + .1 + .2 = 1 = Σdx·dy, so DE = 100 %. Σdx·dT = 1.2 + .35 + .15 + 0 + 1.8 = 3.5: cov(x, T) = .875,
    // r_pb = 3.5 / sqrt(2.5 · 5.3) = .961524.
    const s = itemStatistics(responses(marks.q3), 2);
    expect(s.facility).toBeCloseTo(50, 10);
    expect(s.sd).toBeCloseTo(39.52847, 4);
    expect(s.discriminationIndex).toBeCloseTo(70.71068, 4);
    expect(s.discriminativeEfficiency).toBeCloseTo(100, 8);
    expect(s.pointBiserial).toBeCloseTo(0.961524, 5);
    expect(s.covarianceWithTotal).toBeCloseTo(0.875, 10);
  });

  it('Q4 (only a weak candidate right): negative discrimination index and efficiency, negative covariance', () => {
    // x̄ = .2: facility 20 %. dx = -.2, -.2, .8, -.2, -.2; Σdx² = .8, var = .2, sd = 44.7214 %.
    // y = 4, 3.5, 1.5, 3, 1, ȳ = 2.6; dy = 1.4, .9, -1.1, .4, -1.6; Σdy² = 6.7, var = 1.675.
    // Σdx·dy = -.28 - .18 - .88 - .08 + .32 = -1.1, cov = -.275; DI = -27.5 / sqrt(.2 · 1.675) = -47.5128 %.
    // Sorted: dx -.2 ×4, .8 with dy (y 1, 1.5, 3, 3.5, 4) -1.6, -1.1, .4, .9, 1.4: Σ = .32 + .22 - .08 - .18 + 1.12 = 1.4,
    // covmax = .35, DE = -27.5 / .35 = -78.5714 %. Σdx·dT = -.24 - .14 - .24 - .04 + .36 = -.3: cov(x, T) = -.075,
    // r_pb = -.3 / sqrt(.8 · 5.3) = -.145693.
    const s = itemStatistics(responses(marks.q4), 1);
    expect(s.facility).toBeCloseTo(20, 10);
    expect(s.sd).toBeCloseTo(44.72136, 4);
    expect(s.discriminationIndex).toBeCloseTo(-47.51276, 4);
    expect(s.discriminativeEfficiency).toBeCloseTo(-78.57143, 4);
    expect(s.pointBiserial).toBeCloseTo(-0.145693, 5);
    expect(s.covarianceWithTotal).toBeCloseTo(-0.075, 10);
  });

  it('effective weight over the part: 100 · sqrt(cov) / Σ sqrt(cov), none for the negative covariance', () => {
    // sqrt(.525) = .724569, sqrt(0) = 0, sqrt(.875) = .935414; Q4 (-.075) is left out of the sum: Σ = 1.659983.
    // Q1 43.6492 %, Q2 0 %, Q3 56.3508 %, Q4 none ("negative covariance").
    const w = effectiveWeights([0.525, 0, 0.875, -0.075]);
    expect(w[0]).toBeCloseTo(43.64917, 4);
    expect(w[1]).toBe(0);
    expect(w[2]).toBeCloseTo(56.35083, 4);
    expect(w[3]).toBeNull();
    // With no positive covariance at all Moodle gives no effective weight to anyone.
    expect(effectiveWeights([0, -0.1])).toEqual([null, null]);
  });

  it('the whole part: intended weights, effective weights and flags together', () => {
    const part = analysePart(
      [
        { key: 'q1', maxMark: 1, responses: responses(marks.q1) },
        { key: 'q2', maxMark: 1, responses: responses(marks.q2) },
        { key: 'q3', maxMark: 2, responses: responses(marks.q3) },
        { key: 'q4', maxMark: 1, responses: responses(marks.q4) },
      ],
      5,
    );
    // Intended weight = maxmark / the part's max (5): 20 %, 20 %, 40 %, 20 %.
    expect(part.map((p) => p.intendedWeight)).toEqual([20, 20, 40, 20]);
    expect(part[0]!.effectiveWeight).toBeCloseTo(43.64917, 4);
    expect(part[3]).toMatchObject({ effectiveWeight: null, negativeCovariance: true });
    expect(part.map((p) => p.flags)).toEqual([[], ['very_easy', 'no_spread'], [], ['negative_discrimination']]);
  });

  it('fewer than two attempts: only a facility (Moodle leaves every variance null when s ≤ 1); none at all with no attempt', () => {
    expect(itemStatistics([{ itemScore: 1, total: 3 }], 2)).toMatchObject({ responses: 1, facility: 50, sd: null, discriminationIndex: null, discriminativeEfficiency: null, pointBiserial: null });
    expect(itemStatistics([], 1)).toMatchObject({ responses: 0, facility: null, sd: null });
  });

  it('identical fractional marks are zero variance, not rounding noise', () => {
    // 1/3 point each: the mean is not exactly 1/3 in floating point, yet the item has no spread.
    const third = 1 / 3;
    const s = itemStatistics([0, 1, 2, 3, 4, 5, 6].map((k) => ({ itemScore: third, total: third + k })), 1);
    expect(s.discriminationIndex).toBeNull();
    expect(s.discriminativeEfficiency).toBeNull();
    expect(s.sd).toBeCloseTo(0, 8);
  });

  it('the earlier hand-worked example: point-biserial is item-total, discrimination item-rest', () => {
    // x 1, 1, 0, 0; T 10, 8, 6, 4; y 9, 7, 6, 4. Sxx = 1, Sxy(rest) = 3, Syy(rest) = 13: DI = 100 · 3 / sqrt(13) = 83.205 %.
    // Sxy(total) = 4, Syy(total) = 20: r_pb = 4 / sqrt(20) = .894427. SD = sqrt(1/3) = 57.735 % of 1 point.
    const s = itemStatistics([{ itemScore: 1, total: 10 }, { itemScore: 1, total: 8 }, { itemScore: 0, total: 6 }, { itemScore: 0, total: 4 }], 1);
    expect(s.discriminationIndex).toBeCloseTo(83.205, 3);
    expect(s.pointBiserial).toBeCloseTo(0.894427, 5);
    expect(s.sd).toBeCloseTo(57.735, 3);
  });
});

describe('random guess score (Moodle get_random_guess_score per question type), in %', () => {
  const options = ['A', 'B', 'C', 'D'].map((key) => ({ key, text: key }));
  it('true/false 50; single choice 1 / options; fill-in 0; multiple response and scale items not defined', () => {
    expect(randomGuessScore('true_false', { stem: 's', answer: true })).toBe(50);
    // Moodle multichoice single: the mean of the options' fractions, (1 + 0 + 0 + 0) / 4.
    expect(randomGuessScore('single_choice', { stem: 's', options, correctKeys: ['B'] })).toBe(25);
    expect(randomGuessScore('single_choice', { stem: 's', options: options.slice(0, 3), correctKeys: ['A'] })).toBeCloseTo(33.3333, 3);
    expect(randomGuessScore('fill_blank', { stem: 's', acceptedAnswers: ['kappa'] })).toBe(0);
    expect(randomGuessScore('multiple_choice', { stem: 's', options, correctKeys: ['A', 'B'] })).toBeNull();
    expect(randomGuessScore('labelling', { stem: 's', labellingExerciseId: 1 })).toBeNull();
    expect(randomGuessScore('prompt_task', { stem: 's', promptTaskId: 1 })).toBeNull();
  });
});

describe('response counts', () => {
  const fill: QuestionContent = { stem: 'Cohen 系数记作 ____。', acceptedAnswers: ['kappa', 'κ'] };
  const answers = ['kappa', ' Kappa', 'ＫＡＰＰＡ', 'κ', '', undefined, '　 ', 'alpha', 'Alpha ', 'ａｌｐｈａ', 'beta', 'Beta', 'gamma'];

  it('fill-in: what the scorer accepts is one group; wrong answers grouped by its normalisation; blanks apart', () => {
    // Accepted: kappa, " Kappa", ＫＡＰＰＡ, κ = 4. Blanks: '', no answer, a full-width space = 3.
    // Wrong: alpha ×3 (three spellings), beta ×2, gamma ×1, most frequent first.
    const r = responseCounts('fill_blank', fill, answers);
    expect(r.blanks).toBe(3);
    expect(r.counts).toEqual([
      { response: 'kappa / κ', count: 4, correct: true },
      { response: 'alpha', count: 3, correct: false },
      { response: 'beta', count: 2, correct: false },
      { response: 'gamma', count: 1, correct: false },
    ]);
    expect(r.otherWrong).toBe(0);
    // The grouping agrees with the scorer: every answer in the accepted group scores, no other does.
    const scored = answers.filter((a) => a !== undefined && scoreObjective('fill_blank', fill, a, 1)!.correct);
    expect(scored).toHaveLength(4);
  });

  it('fill-in: only the most frequent wrong groups are listed; the rest are counted', () => {
    const r = responseCounts('fill_blank', fill, answers, 2);
    expect(r.counts.map((c) => c.response)).toEqual(['kappa / κ', 'alpha', 'beta']);
    expect(r.otherWrong).toBe(1);
  });

  it('a wrong group is named by its most frequent spelling', () => {
    const r = responseCounts('fill_blank', fill, ['Alpha', 'ａｌｐｈａ', 'Alpha', 'alpha']);
    expect(r.counts[1]).toEqual({ response: 'Alpha', count: 4, correct: false });
  });

  it('choice items list every option, chosen or not, with the correct ones marked; no choice is a blank', () => {
    const content: QuestionContent = { stem: 's', options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: key })), correctKeys: ['A', 'C'] };
    const r = responseCounts('multiple_choice', content, [['A', 'C'], ['A'], ['B', 'C'], [], undefined]);
    expect(r.counts).toEqual([
      { response: 'A', count: 2, correct: true },
      { response: 'B', count: 1, correct: false },
      { response: 'C', count: 2, correct: true },
      { response: 'D', count: 0, correct: false },
    ]);
    expect(r.blanks).toBe(2);
    const single = responseCounts('single_choice', { ...content, correctKeys: ['B'] }, ['B', 'B', '', 'D']);
    expect(single.counts.find((c) => c.response === 'B')).toEqual({ response: 'B', count: 2, correct: true });
    expect(single.blanks).toBe(1);
  });

  it('true/false: both answers, the right one marked', () => {
    const r = responseCounts('true_false', { stem: 's', answer: false }, [true, false, false, undefined]);
    expect(r.counts).toEqual([
      { response: 'true', count: 1, correct: false },
      { response: 'false', count: 2, correct: true },
    ]);
    expect(r.blanks).toBe(1);
  });
});

describe('items graded on a scale (labelling, prompt, short answer)', () => {
  it('marks per fifth of the max mark', () => {
    // 10 points: 0 and 1.9 in [0, 2); 2 in [2, 4); 5 in [4, 6); 7.9 in [6, 8); 8 and 10 in [8, 10].
    expect(scoreBands([0, 1.9, 2, 5, 7.9, 8, 10], 10)).toEqual([2, 1, 1, 1, 2]);
  });

  it('get the same statistics as objective items', () => {
    // A 10-point labelling item scored 9, 6, 3 by the scorer; totals 50, 40, 20: rest 41, 34, 17.
    // x̄ = 6, facility 60 %; dx = 3, 0, -3, Σdx² = 18, var 9, sd 3 = 30 % of 10. ȳ = 30.667; dy = 10.333, 3.333, -13.667:
    // Σdx·dy = 31 + 0 + 41 = 72, cov = 36; Σdy² = 106.778 + 11.111 + 186.778 = 304.667, var = 152.333;
    // DI = 100 · 36 / sqrt(9 · 152.333) = 3600 / 37.0270 = 97.2263 %. Item and rest already in the same order: DE = 100 %.
    const s = itemStatistics([{ itemScore: 9, total: 50 }, { itemScore: 6, total: 40 }, { itemScore: 3, total: 20 }], 10);
    expect(s.facility).toBeCloseTo(60, 10);
    expect(s.sd).toBeCloseTo(30, 10);
    expect(s.discriminationIndex).toBeCloseTo(97.2263, 3);
    expect(s.discriminativeEfficiency).toBeCloseTo(100, 8);
  });
});

describe('flags, at the thresholds of Moodle’s interpretation tables', () => {
  const base = { responses: 30, facility: 50, discriminationIndex: 40, discriminativeEfficiency: 60 };
  it.each([
    [{ facility: 10 }, ['very_hard']],
    [{ facility: 10.01 }, []],
    [{ facility: 90 }, ['very_easy']],
    [{ facility: 89.99 }, []],
    [{ discriminationIndex: -0.5 }, ['negative_discrimination']],
    [{ discriminationIndex: 0 }, ['weak_discrimination']],
    [{ discriminationIndex: 19.99 }, ['weak_discrimination']],
    [{ discriminationIndex: 20, discriminativeEfficiency: 14 }, ['low_efficiency']],
    [{ discriminationIndex: null, discriminativeEfficiency: null }, ['no_spread']],
    [{ responses: 1, discriminationIndex: null, discriminativeEfficiency: null }, []],
    [{ facility: 100, discriminationIndex: null, discriminativeEfficiency: null }, ['very_easy', 'no_spread']],
  ])('%j → %j', (change, flags) => {
    expect(itemFlags({ ...base, ...change })).toEqual(flags);
  });
});

describe('which attempts are analysed (Moodle "first attempt": the earliest finished one per candidate)', () => {
  const a = (id: number, userId: number, part: 'theory' | 'practical', state: 'submitted' | 'in_progress', startedAtMs: number) => ({ id, userId, part, state, startedAtMs });
  // Candidates 1-6 registered (some in two sessions; registrations do not matter, attempts do):
  // 1: registered for session 1, never started, sat session 2 (attempt 10)         → attempt 10 (not dropped)
  // 2: sat session 1 (attempt 3) and resat session 2 (attempt 11)                  → attempt 3; 1 later attempt
  // 3: registered, never started anything                                          → a no-show
  // 4: only an attempt still in progress (attempt 12)                              → in progress, not analysed
  // 5: a session-1 attempt still in progress (4), a finished session-2 one (13)    → attempt 13
  // 6: two finished attempts whose ids run against their start times (20 at 100, 15 at 200) → attempt 20
  const attempts = [a(10, 1, 'theory', 'submitted', 5000), a(3, 2, 'theory', 'submitted', 1000), a(11, 2, 'theory', 'submitted', 6000), a(12, 4, 'theory', 'in_progress', 7000), a(4, 5, 'theory', 'in_progress', 900), a(13, 5, 'theory', 'submitted', 8000), a(20, 6, 'theory', 'submitted', 100), a(15, 6, 'theory', 'submitted', 200), a(30, 1, 'practical', 'submitted', 9000)];
  const [theory, practical] = firstFinishedAttempts(['theory', 'practical'], [1, 2, 3, 4, 5, 6, 2, 1], attempts);

  it('each candidate once, with their earliest finished attempt at the part', () => {
    expect(theory!.selected.map((x) => x.id).sort((p, q) => p - q)).toEqual([3, 10, 13, 20]);
  });

  it('counts what is covered and what is left out', () => {
    expect(theory).toMatchObject({ registered: 6, candidates: 4, attempts: 4, laterAttempts: 2, inProgress: 1, notStarted: 1 });
    // Practical: only candidate 1 sat it; the other five never started it.
    expect(practical).toMatchObject({ candidates: 1, attempts: 1, laterAttempts: 0, inProgress: 0, notStarted: 5 });
    expect(practical!.selected.map((x) => x.id)).toEqual([30]);
  });

  it('taking the first registration instead would have changed the figures (the bug this rule fixes)', () => {
    // Candidate 1 right (1 of 1) on an item, candidate 2 wrong: with candidate 1 dropped the facility would be 0 %, not 50 %.
    const chosen = theory!.selected.filter((x) => x.userId === 1 || x.userId === 2);
    const marksBy = new Map([[1, 1], [2, 0]]);
    expect(itemStatistics(chosen.map((x) => ({ itemScore: marksBy.get(x.userId)!, total: 10 })), 1).facility).toBe(50);
  });
});

describe('score distribution', () => {
  it('mean, median and 10-point bands', () => {
    const d = scoreDistribution([55, 65, 75, 100]);
    expect(d.median).toBe(70);
    expect(d.mean).toBe(73.75);
    expect(d.bands[5]).toBe(1);
    expect(d.bands[9]).toBe(1);
  });
});
