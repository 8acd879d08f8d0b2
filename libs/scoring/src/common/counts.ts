import { codePoints } from './unicode';

/**
 * Precision, recall and F1 from counts.
 *
 * Zero-division convention (documented because a certificate depends on it): a ratio whose denominator is 0 is
 * 1 when there was nothing to find and nothing was found (tp = fp = fn = 0), and 0 otherwise. So an empty answer
 * to an empty gold scores 1; an empty answer to a non-empty gold has precision 0 (not 1) and recall 0; a non-empty
 * answer to an empty gold has precision 0 and recall 0. F1 = 2tp / (2tp + fp + fn), the same number as the harmonic
 * mean of precision and recall whenever both are defined.
 *
 * `tp` may be fractional (partial-overlap credit); then fp = |answer| - credit and fn = |gold| - credit.
 */
export interface PrecisionRecallF1 {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function precisionRecallF1(tp: number, fp: number, fn: number): PrecisionRecallF1 {
  const nothing = tp === 0 && fp === 0 && fn === 0;
  const ratio = (num: number, den: number) => (den === 0 ? (nothing ? 1 : 0) : num / den);
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) };
}

/** F1 only, same convention as {@link precisionRecallF1}. */
export function f1FromCounts(tp: number, fp: number, fn: number): number {
  const den = 2 * tp + fp + fn;
  return den === 0 ? 1 : (2 * tp) / den;
}

/** Arithmetic mean; the mean of nothing is 1 (same "nothing to get wrong" convention). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 1;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Per-class counts accumulated while scoring. */
export class ClassCounter {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();

  private entry(label: string) {
    let e = this.counts.get(label);
    if (!e) this.counts.set(label, (e = { tp: 0, fp: 0, fn: 0 }));
    return e;
  }
  tp(label: string, n = 1): void {
    this.entry(label).tp += n;
  }
  fp(label: string, n = 1): void {
    this.entry(label).fp += n;
  }
  fn(label: string, n = 1): void {
    this.entry(label).fn += n;
  }

  /**
   * Per-class rows for every class seen in gold or answer: first those in `order` (in that order), then the rest
   * sorted by code point. `support` = gold count = tp + fn.
   */
  /** With `everyListed`, every label of `order` has a row, used or not (classification: the task's label set). */
  rows(order: readonly string[] = [], everyListed = false): ClassMetrics[] {
    const listed = everyListed ? [...new Set(order)] : order.filter((l) => this.counts.has(l));
    const labels = [...listed, ...[...this.counts.keys()].filter((l) => !order.includes(l)).sort(byCodePoint)];
    return labels.map((label) => {
      const e = this.counts.get(label);
      // A listed label nobody used (no gold, no answer) has F1 0, as scikit-learn's `labels=` with zero_division=0.
      if (!e) return { label, support: 0, tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0 };
      return { label, support: e.tp + e.fn, ...precisionRecallF1(e.tp, e.fp, e.fn) };
    });
  }

  totals(): { tp: number; fp: number; fn: number } {
    let tp = 0, fp = 0, fn = 0;
    for (const e of this.counts.values()) {
      tp += e.tp;
      fp += e.fp;
      fn += e.fn;
    }
    return { tp, fp, fn };
  }
}

export interface ClassMetrics extends PrecisionRecallF1 {
  label: string;
  /** How many gold instances of this class there are. */
  support: number;
}

/** Which labels a classification macro-F1 averages over: the task's label set (with its size), or only the labels seen. */
export type MacroF1Average = { over: 'task_labels'; labelCount: number } | { over: 'labels_seen' };

export function macroAverageOf(taskLabels: readonly string[] | undefined): MacroF1Average {
  return taskLabels?.length ? { over: 'task_labels', labelCount: new Set(taskLabels).size } : { over: 'labels_seen' };
}

/** Macro-F1: unweighted mean of per-class F1 over the classes that occur in gold or answer (as scikit-learn). */
export function macroF1(rows: readonly ClassMetrics[]): number {
  return mean(rows.map((r) => r.f1));
}

/**
 * Deterministic, locale-independent string order by code point (UTF-16 unit order, the default sort, differs
 * for astral characters vs U+E000-U+FFFF).
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const x = codePoints(a), y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}
