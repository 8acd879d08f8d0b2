/**
 * Item analysis as Moodle's quiz statistics do it, over first attempts. Inputs are plain numbers so the same code
 * serves the API and any offline report.
 */
export interface ItemResponse {
  /** The candidate's total test score. */
  total: number;
  /** The candidate's score on this item. */
  itemScore: number;
  /** The option(s) the candidate chose, for choice items. */
  options?: readonly string[];
}

export interface ItemStatistics {
  responses: number;
  /** Mean item score / max item score, in %. */
  facility: number;
  /** Pearson correlation of the item score with the rest of the test (total minus the item), in %. */
  discrimination: number | null;
  /** Pearson correlation of the item score with the total score (point-biserial for a 0/1 item). */
  pointBiserial: number | null;
  itemSd: number;
  optionCounts: Record<string, number>;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

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
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export function itemStatistics(responses: readonly ItemResponse[], maxItemScore: number): ItemStatistics {
  const optionCounts: Record<string, number> = {};
  for (const r of responses) for (const o of r.options ?? []) optionCounts[o] = (optionCounts[o] ?? 0) + 1;
  if (responses.length === 0) return { responses: 0, facility: 0, discrimination: null, pointBiserial: null, itemSd: 0, optionCounts };
  const item = responses.map((r) => r.itemScore);
  const total = responses.map((r) => r.total);
  const rest = responses.map((r) => r.total - r.itemScore);
  const pct = (x: number | null) => (x === null ? null : x * 100);
  return {
    responses: responses.length,
    facility: maxItemScore > 0 ? (mean(item) / maxItemScore) * 100 : 0,
    discrimination: pct(correlation(item, rest)),
    pointBiserial: correlation(item, total),
    itemSd: maxItemScore > 0 ? (sampleSd(item) / maxItemScore) * 100 : 0,
    optionCounts,
  };
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
