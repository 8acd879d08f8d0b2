/**
 * Cohen's kappa for two raters over categorical labels (DOMAIN.md): kappa = (p_o - p_e) / (1 - p_e), where
 * p_o is the share of units both raters labelled the same and p_e = sum over categories k of p_a(k) * p_b(k).
 *
 * Computed from integer counts as (n * agree - S) / (n^2 - S) with S = sum_k a_k * b_k, which is the same
 * formula multiplied through by n^2, so no rounding happens before the final division.
 *
 * Edge cases (defined, not NaN):
 * - p_e = 1 happens only when both raters put every unit in one and the same category; then they agree on
 *   every unit (p_o = 1) and kappa is defined as 1.
 * - no units (n = 0): kappa is 1 (nothing to disagree on), the same convention as the F1 of two empty sets.
 */
export interface KappaDetail {
  n: number;
  observedAgreement: number;
  expectedAgreement: number;
  kappa: number;
}

/** Kappa over (rater A label, rater B label) pairs, e.g. (gold, answer). */
export function cohenKappa(pairs: Iterable<readonly [string, string]>): number {
  return cohenKappaDetail(pairs).kappa;
}

export function cohenKappaDetail(pairs: Iterable<readonly [string, string]>): KappaDetail {
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let n = 0;
  let agree = 0;
  for (const [x, y] of pairs) {
    n++;
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  let s = 0;
  for (const [k, ak] of a) s += ak * (b.get(k) ?? 0);
  return fromCounts(n, agree, s);
}

/**
 * Kappa from a square contingency table: `table[i][j]` = units rater A put in category i and rater B in category j.
 */
export function cohenKappaFromTable(table: readonly (readonly number[])[]): KappaDetail {
  const k = table.length;
  let n = 0, agree = 0, s = 0;
  const colSums = new Array<number>(k).fill(0);
  const rowSums = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    if (table[i].length !== k) throw new RangeError('kappa table must be square');
    for (let j = 0; j < k; j++) {
      n += table[i][j];
      rowSums[i] += table[i][j];
      colSums[j] += table[i][j];
    }
    agree += table[i][i];
  }
  for (let i = 0; i < k; i++) s += rowSums[i] * colSums[i];
  return fromCounts(n, agree, s);
}

/** Kappa of two binary raters from the 2x2 counts (yes/yes, yes/no, no/yes, no/no). */
export function binaryKappa(bothYes: number, aYesBNo: number, aNoBYes: number, bothNo: number): number {
  return cohenKappaFromTable([
    [bothYes, aYesBNo],
    [aNoBYes, bothNo],
  ]).kappa;
}

function fromCounts(n: number, agree: number, s: number): KappaDetail {
  if (n === 0) return { n, observedAgreement: 1, expectedAgreement: 1, kappa: 1 };
  const n2 = n * n;
  const kappa = s === n2 ? 1 : (n * agree - s) / (n2 - s);
  return { n, observedAgreement: agree / n, expectedAgreement: s / n2, kappa };
}

export type KappaBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect';

/** Landis & Koch bands; DOMAIN.md: 0.61-0.80 substantial, > 0.80 almost perfect. Upper bounds are inclusive. */
export function kappaBand(kappa: number): KappaBand {
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
