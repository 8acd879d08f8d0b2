/** Levenshtein distance (unit-cost insert, delete, substitute) between two code-point arrays, O(n m) time, O(m) memory. */
export function levenshtein(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      const sub = diag + (ai === b[j - 1] ? 0 : 1);
      const del = up + 1;
      const ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      diag = up;
    }
  }
  return row[b.length];
}

export type EditOp = { op: 'equal' | 'substitute'; ref: number; hyp: number } | { op: 'delete'; ref: number } | { op: 'insert'; hyp: number };

/**
 * One minimal alignment of `ref` (gold) to `hyp` (answer), as operations in order. When several alignments are
 * minimal, prefers match/substitution, then deletion, then insertion (deterministic). O(n m) memory: callers
 * should cap the sizes ({@link MAX_ALIGNMENT_CELLS}).
 */
export function align(ref: readonly number[], hyp: readonly number[]): EditOp[] {
  const n = ref.length, m = hyp.length, w = m + 1;
  const d = new Int32Array((n + 1) * w);
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    d[i * w] = i;
    for (let j = 1; j <= m; j++) {
      const sub = d[(i - 1) * w + j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      const del = d[(i - 1) * w + j] + 1;
      const ins = d[i * w + j - 1] + 1;
      d[i * w + j] = Math.min(sub, del, ins);
    }
  }
  const ops: EditOp[] = [];
  let i = n, j = m;
  while (i > 0 || j > 0) {
    const here = d[i * w + j];
    if (i > 0 && j > 0 && here === d[(i - 1) * w + j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      ops.push({ op: ref[i - 1] === hyp[j - 1] ? 'equal' : 'substitute', ref: i - 1, hyp: j - 1 });
      i--;
      j--;
    } else if (i > 0 && here === d[(i - 1) * w + j] + 1) {
      ops.push({ op: 'delete', ref: i - 1 });
      i--;
    } else {
      ops.push({ op: 'insert', hyp: j - 1 });
      j--;
    }
  }
  return ops.reverse();
}

/** Above this many DP cells (gold length x answer length) per item, the edit alignment for feedback is skipped. */
export const MAX_ALIGNMENT_CELLS = 4_000_000;
