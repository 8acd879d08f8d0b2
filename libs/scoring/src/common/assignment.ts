/**
 * Exact maximum-weight bipartite matching (Hungarian algorithm, Kuhn-Munkres with potentials, O(n^2 m)).
 *
 * `weight(row, col)` returns the weight of an allowed pair (> 0) or 0 / a negative number when the pair may not
 * be matched. Returns the one-to-one set of allowed pairs with the largest total weight. Non-edges are given
 * weight 0 in the square-ish assignment problem, which cannot change the optimum because all real weights are
 * positive; they are dropped from the result.
 */
export function maxWeightMatching(rows: number, cols: number, weight: (row: number, col: number) => number): Array<[number, number]> {
  if (rows === 0 || cols === 0) return [];
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const w = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const x = transpose ? weight(j, i) : weight(i, j);
      w[i * m + j] = x > 0 ? x : 0;
    }
  }
  // Minimise cost = -weight (1-based arrays as in the classic formulation; index 0 is the virtual column).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = -w[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: Array<[number, number]> = [];
  for (let j = 1; j <= m; j++) {
    const i = p[j];
    if (i === 0 || w[(i - 1) * m + (j - 1)] <= 0) continue;
    pairs.push(transpose ? [j - 1, i - 1] : [i - 1, j - 1]);
  }
  return pairs.sort((x, y) => x[0] - y[0]);
}

/**
 * Matching that maximises the NUMBER of matched pairs first and the total `quality` (each in [0, 1]) second:
 * weight = K + quality with K = min(rows, cols) + 1 > any possible sum of qualities, so one more pair always wins.
 * `quality` returns null for a pair that may not be matched.
 */
export function maxCountThenQualityMatching(rows: number, cols: number, quality: (row: number, col: number) => number | null): Array<[number, number]> {
  const k = Math.min(rows, cols) + 1;
  return maxWeightMatching(rows, cols, (i, j) => {
    const q = quality(i, j);
    return q === null ? 0 : k + q;
  });
}
