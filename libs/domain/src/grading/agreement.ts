/**
 * Agreement between two markers on an ordinal scale (e.g. a rubric criterion scored 0-4): how far an LLM judge
 * can be trusted on a task, compared with humans who double-marked the same answers. Framework-free.
 * Scores are rounded to whole points first (a judge's mean of two runs may be x.5).
 */

export interface Agreement {
  n: number;
  /** Quadratic weighted kappa (Cohen); null when it is undefined (no pairs, or no spread to agree on). */
  qwk: number | null;
  /** Share of pairs with the same score. */
  exact: number;
  /** Share of pairs at most one point apart. */
  adjacent: number;
}

const round = (x: number) => Math.round(x);

/**
 * Quadratic weighted kappa over the categories min..max: 1 - Σ w·O / Σ w·E with w_ij = (i-j)² / (k-1)²,
 * O the observed pair counts and E the counts expected from the two markers' marginals.
 */
export function quadraticWeightedKappa(a: number[], b: number[], min: number, max: number): number | null {
  if (a.length !== b.length) throw new Error('both markers must score the same answers');
  const n = a.length;
  const k = max - min + 1;
  if (n === 0 || k < 2) return null;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const ra = new Array<number>(k).fill(0);
  const rb = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const x = Math.min(k - 1, Math.max(0, round(a[i]) - min));
    const y = Math.min(k - 1, Math.max(0, round(b[i]) - min));
    observed[x][y] += 1;
    ra[x] += 1;
    rb[y] += 1;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const w = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      num += w * observed[i][j];
      den += (w * ra[i] * rb[j]) / n;
    }
  if (den === 0) return null;
  return 1 - num / den;
}

export function agreement(a: number[], b: number[], min: number, max: number): Agreement {
  const n = a.length;
  const diffs = a.map((x, i) => Math.abs(round(x) - round(b[i])));
  return {
    n,
    qwk: quadraticWeightedKappa(a, b, min, max),
    exact: n ? diffs.filter((d) => d === 0).length / n : 0,
    adjacent: n ? diffs.filter((d) => d <= 1).length / n : 0,
  };
}
