import type { AttemptState, ExamAnswerValue, ExamPart, ItemFlag, ItemResponseCountView, QuestionContent, QuestionType } from '@aitrainer/contracts';
import { normaliseBlank } from './objective-scoring';

/**
 * Item analysis as Moodle's quiz statistics compute it (question/classes/statistics/questions/calculator.php), over
 * each candidate's earliest finished attempt. Inputs are plain numbers so the same code serves the API and any offline
 * report. Notation as in Moodle: s attempts, x the item mark, y the rest of the test (total minus the item), T the
 * total (Moodle's summarks, the sum of the attempt's item marks).
 */
export interface ItemResponse {
  /** The attempt's total: the sum of its item marks. */
  total: number;
  /** The attempt's mark on this item. */
  itemScore: number;
}

export interface ItemStatistics {
  /** s */
  responses: number;
  /** % : 100 · mean(x) / maxMark. Moodle initial_question_walker: facility = markaverage / maxmark. */
  facility: number | null;
  /** % : 100 · sqrt(Σ(x - x̄)² / (s - 1)) / maxMark. Moodle: sd = sqrt(markvariancesum / (s - 1)), shown as sd / maxmark. */
  sd: number | null;
  /** % : 100 · cov(x, y) / sqrt(var(x) · var(y)). Moodle secondary_question_walker: discriminationindex. */
  discriminationIndex: number | null;
  /** % : 100 · cov(x, y) / covmax, covmax pairing x and y each sorted ascending. Moodle: discriminativeefficiency. */
  discriminativeEfficiency: number | null;
  /** r : correlation of x with T (not a Moodle column; Moodle's discrimination index is the item-rest form). */
  pointBiserial: number | null;
  /** cov(x, T) with divisor s - 1 (Moodle's covariancewithoverallmark), the input of the effective weight. */
  covarianceWithTotal: number | null;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const mean = (xs: readonly number[]) => sum(xs) / xs.length;
/** Variances this small relative to the max mark squared are rounding noise of identical marks (e.g. 1/3 point each). */
const NOISE = 1e-12;

/** Sample standard deviation (n - 1), as Moodle uses. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Pearson correlation; null when either side has no variance. */
export function correlation(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length || xs.length < 2) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const scale = xs.reduce((m, v) => Math.max(m, Math.abs(v)), 1) ** 2 * xs.length * NOISE;
  return sxx <= scale || syy <= scale ? null : sxy / Math.sqrt(sxx * syy);
}

/**
 * Moodle's per-question statistics, walker by walker: the averages (initial_question_walker), the sums of squares and
 * products (secondary_steps_walker) and the ratios (secondary_question_walker), with "other marks" = total - item (a
 * statistic of position). Nothing with fewer than two attempts, as Moodle.
 */
export function itemStatistics(responses: readonly ItemResponse[], maxMark: number): ItemStatistics {
  const s = responses.length;
  const x = responses.map((r) => r.itemScore);
  const y = responses.map((r) => r.total - r.itemScore);
  const t = responses.map((r) => r.total);
  const facility = s === 0 || maxMark === 0 ? null : (100 * mean(x)) / maxMark;
  const none = { responses: s, facility, sd: null, discriminationIndex: null, discriminativeEfficiency: null, pointBiserial: null, covarianceWithTotal: null };
  if (s < 2) return none;
  const mx = mean(x);
  const my = mean(y);
  const mt = mean(t);
  const sortedX = x.slice().sort((a, b) => a - b);
  const sortedY = y.slice().sort((a, b) => a - b);
  let markVarianceSum = 0;
  let otherVarianceSum = 0;
  let covarianceSum = 0;
  let covarianceMaxSum = 0;
  let covarianceWithTotalSum = 0;
  for (let i = 0; i < s; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    markVarianceSum += dx * dx;
    otherVarianceSum += dy * dy;
    covarianceSum += dx * dy;
    covarianceMaxSum += ((sortedX[i] as number) - mx) * ((sortedY[i] as number) - my);
    covarianceWithTotalSum += dx * ((t[i] as number) - mt);
  }
  const markVariance = markVarianceSum / (s - 1);
  const otherVariance = otherVarianceSum / (s - 1);
  const covariance = covarianceSum / (s - 1);
  const covarianceMax = covarianceMaxSum / (s - 1);
  const noise = Math.max(1, maxMark) ** 2 * NOISE;
  const varies = markVariance > noise && otherVariance > noise;
  return {
    responses: s,
    facility,
    sd: maxMark === 0 ? null : (100 * Math.sqrt(markVariance)) / maxMark,
    discriminationIndex: varies ? (100 * covariance) / Math.sqrt(markVariance * otherVariance) : null,
    discriminativeEfficiency: varies && Math.abs(covarianceMax) > noise ? (100 * covariance) / covarianceMax : null,
    pointBiserial: correlation(x, t),
    covarianceWithTotal: covarianceWithTotalSum / (s - 1),
  };
}

/**
 * Effective weights of a part's items (Moodle calculator::calculate): 100 · sqrt(cov(x, T)) / Σ sqrt(cov(x, T)), the
 * sum over the items whose covariance is not negative. An item with a negative covariance has none (Moodle shows
 * "negative covariance"), as has every item when the sum is 0; an item with fewer than two attempts has none either.
 */
export function effectiveWeights(covariances: readonly (number | null)[]): (number | null)[] {
  const total = covariances.reduce<number>((acc, c) => (c !== null && c >= 0 ? acc + Math.sqrt(c) : acc), 0);
  return covariances.map((c) => (c === null || c < 0 || total === 0 ? null : (100 * Math.sqrt(c)) / total));
}

/**
 * The mark a random guess earns on average, in % (Moodle's get_random_guess_score of the question type): true/false 50;
 * single choice the mean of the options' fractions (1 / options with one correct option); fill-in 0 (Moodle's short
 * answer without a '*' answer); multiple response and items graded on a scale: not defined (null), as Moodle.
 */
export function randomGuessScore(type: QuestionType, content: QuestionContent): number | null {
  switch (type) {
    case 'true_false':
      return 50;
    case 'single_choice': {
      const options = content.options ?? [];
      if (!options.length) return null;
      const correct = new Set(content.correctKeys ?? []);
      return (100 * options.filter((o) => correct.has(o.key)).length) / options.length;
    }
    case 'fill_blank':
      return 0;
    default:
      return null;
  }
}

/** Is this stored answer a blank (nothing chosen or typed)? */
export function isBlankAnswer(type: QuestionType, value: ExamAnswerValue | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return type === 'fill_blank' || type === 'short_answer' ? normaliseBlank(value) === '' : value === '';
  return false;
}

export interface ResponseCounts {
  counts: ItemResponseCountView[];
  /** Wrong fill-in groups beyond the `limit` listed. */
  otherWrong: number;
  blanks: number;
}

/**
 * Responses per class, as Moodle's response analysis lists them. Choice items: every option (a multiple-response
 * candidate counts once per option picked). True/false: 'true' and 'false'. Fill-in: the answers the scorer accepts form
 * one group; wrong answers are grouped by the scorer's own normalisation ({@link normaliseBlank}: width, case, spaces),
 * each group named by its most frequent spelling, most frequent first, `limit` of them listed. Blanks are counted apart.
 */
export function responseCounts(type: QuestionType, content: QuestionContent, answers: readonly (ExamAnswerValue | null | undefined)[], limit = 10): ResponseCounts {
  const blanks = answers.filter((a) => isBlankAnswer(type, a)).length;
  const given = answers.filter((a) => !isBlankAnswer(type, a)) as ExamAnswerValue[];
  if (type === 'true_false') {
    return {
      counts: [true, false].map((v) => ({ response: String(v), count: given.filter((a) => a === v).length, correct: content.answer === v })),
      otherWrong: 0,
      blanks,
    };
  }
  if (type === 'single_choice' || type === 'multiple_choice') {
    const correct = new Set(content.correctKeys ?? []);
    const counts = new Map<string, number>((content.options ?? []).map((o) => [o.key, 0]));
    for (const a of given) for (const key of Array.isArray(a) ? a : [String(a)]) counts.set(key, (counts.get(key) ?? 0) + 1);
    return { counts: [...counts].map(([response, count]) => ({ response, count, correct: correct.has(response) })), otherWrong: 0, blanks };
  }
  if (type === 'fill_blank') {
    const accepted = new Set((content.acceptedAnswers ?? []).map(normaliseBlank).filter((a) => a !== ''));
    let right = 0;
    const wrong = new Map<string, { count: number; spellings: Map<string, number> }>();
    for (const a of given) {
      const text = String(a);
      const key = normaliseBlank(text);
      if (accepted.has(key)) {
        right++;
        continue;
      }
      const group = wrong.get(key) ?? { count: 0, spellings: new Map<string, number>() };
      group.count++;
      const spelling = text.trim();
      group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);
      wrong.set(key, group);
    }
    const groups = [...wrong.values()]
      .map((g) => ({ response: [...g.spellings].reduce((best, cur) => (cur[1] > best[1] ? cur : best))[0], count: g.count, correct: false }))
      .sort((a, b) => b.count - a.count || (a.response < b.response ? -1 : a.response > b.response ? 1 : 0));
    return {
      counts: [{ response: (content.acceptedAnswers ?? []).join(' / '), count: right, correct: true }, ...groups.slice(0, limit)],
      otherWrong: groups.slice(limit).reduce((n, g) => n + g.count, 0),
      blanks,
    };
  }
  return { counts: [], otherWrong: 0, blanks };
}

/** Marks of an item graded on a scale, per fifth of the max mark: [0-20 %), [20-40 %), ..., [80-100 %]. */
export function scoreBands(marks: readonly number[], maxMark: number): number[] {
  const bands = [0, 0, 0, 0, 0];
  if (maxMark <= 0) return bands;
  for (const m of marks) {
    const k = Math.min(4, Math.max(0, Math.floor((5 * m) / maxMark)));
    bands[k] = (bands[k] ?? 0) + 1;
  }
  return bands;
}

/** Thresholds of the flags, from the interpretation tables of Moodle's quiz statistics documentation. */
export const ITEM_FLAG_THRESHOLDS = {
  /** Facility at or below: "very difficult" (6-10 %) or "extremely difficult or something wrong" (5 % or less). */
  veryHard: 10,
  /** Facility at or above: "very easy" (90-94 %) or "extremely easy" (95-100 %). */
  veryEasy: 90,
  /** Discrimination index below: "very weak" (0-19 %). Below 0: the item is probably invalid. */
  weakDiscrimination: 20,
  /** Discriminative efficiency below: Moodle's "dubious" question. */
  lowEfficiency: 15,
} as const;

/** The flags test developers read off the figures; see ITEM_FLAGS in the contracts for their meaning. */
export function itemFlags(stats: Pick<ItemStatistics, 'responses' | 'facility' | 'discriminationIndex' | 'discriminativeEfficiency'>): ItemFlag[] {
  const flags: ItemFlag[] = [];
  const th = ITEM_FLAG_THRESHOLDS;
  if (stats.facility !== null && stats.facility <= th.veryHard) flags.push('very_hard');
  if (stats.facility !== null && stats.facility >= th.veryEasy) flags.push('very_easy');
  const di = stats.discriminationIndex;
  if (di === null) {
    if (stats.responses >= 2) flags.push('no_spread');
  } else if (di < 0) flags.push('negative_discrimination');
  else if (di < th.weakDiscrimination) flags.push('weak_discrimination');
  else if (stats.discriminativeEfficiency !== null && stats.discriminativeEfficiency < th.lowEfficiency) flags.push('low_efficiency');
  return flags;
}

export interface PartItemInput<K> {
  key: K;
  maxMark: number;
  responses: readonly ItemResponse[];
}

export interface PartItemStatistics<K> extends ItemStatistics {
  key: K;
  /** % : maxMark / the part's max score. */
  intendedWeight: number | null;
  effectiveWeight: number | null;
  negativeCovariance: boolean;
  flags: ItemFlag[];
}

/** All items of one part (one test): each item's statistics, its intended and effective weight, and its flags. */
export function analysePart<K>(items: readonly PartItemInput<K>[], partMaxScore: number): PartItemStatistics<K>[] {
  const stats = items.map((i) => itemStatistics(i.responses, i.maxMark));
  const weights = effectiveWeights(stats.map((s) => s.covarianceWithTotal));
  return items.map((item, k) => {
    const st = stats[k] as ItemStatistics;
    return {
      key: item.key,
      ...st,
      intendedWeight: partMaxScore > 0 ? (100 * item.maxMark) / partMaxScore : null,
      effectiveWeight: weights[k] ?? null,
      negativeCovariance: st.covarianceWithTotal !== null && st.covarianceWithTotal < 0,
      flags: itemFlags(st),
    };
  });
}

export interface AttemptForSelection {
  id: number;
  userId: number;
  part: ExamPart;
  state: AttemptState;
  startedAtMs: number;
}

export interface PartSelection<A> {
  part: ExamPart;
  /** The analysed attempts: one per candidate, their earliest finished one. */
  selected: A[];
  registered: number;
  candidates: number;
  attempts: number;
  laterAttempts: number;
  inProgress: number;
  notStarted: number;
}

/**
 * Which attempts item analysis uses, as Moodle's "first attempt" (quiz_report_grade_method_sql, QUIZ_ATTEMPTFIRST: a
 * finished attempt with no earlier finished attempt by the same user): per part, each candidate's earliest finished
 * attempt (by start, then id), whichever session or registration it belongs to. A candidate who registered for a
 * session, never started, and sat a later one is analysed with the later attempt; later finished attempts (resits)
 * are left out and counted; attempts still in progress and registered candidates without an attempt (no-shows) are
 * counted, not analysed.
 */
export function firstFinishedAttempts<A extends AttemptForSelection>(parts: readonly ExamPart[], registeredUserIds: readonly number[], attempts: readonly A[]): PartSelection<A>[] {
  const registered = new Set(registeredUserIds);
  return parts.map((part) => {
    const mine = attempts.filter((a) => a.part === part).sort((a, b) => a.startedAtMs - b.startedAtMs || a.id - b.id);
    const first = new Map<number, A>();
    let laterAttempts = 0;
    for (const a of mine) {
      if (a.state !== 'submitted') continue;
      if (first.has(a.userId)) laterAttempts++;
      else first.set(a.userId, a);
    }
    const started = new Set(mine.map((a) => a.userId));
    const inProgress = new Set(mine.filter((a) => a.state !== 'submitted' && !first.has(a.userId)).map((a) => a.userId)).size;
    const selected = [...first.values()];
    return {
      part,
      selected,
      registered: registered.size,
      candidates: selected.length,
      attempts: selected.length,
      laterAttempts,
      inProgress,
      notStarted: [...registered].filter((u) => !started.has(u)).length,
    };
  });
}

export interface ScoreDistribution {
  count: number;
  mean: number;
  median: number;
  sd: number;
  /** Counts per 10-point band of a 0-100 score: [0-10), [10-20), ..., [90-100]. */
  bands: number[];
}

export function scoreDistribution(scores: readonly number[]): ScoreDistribution {
  const bands = new Array<number>(10).fill(0);
  for (const s of scores) bands[Math.min(9, Math.max(0, Math.floor(s / 10)))]! += 1;
  if (!scores.length) return { count: 0, mean: 0, median: 0, sd: 0, bands };
  const sorted = scores.slice().sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { count: scores.length, mean: mean(scores), median, sd: sampleSd(scores), bands };
}
