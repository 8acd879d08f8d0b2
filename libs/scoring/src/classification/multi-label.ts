import { ClassCounter, macroAverageOf, type MacroF1Average, f1FromCounts, macroF1, mean, precisionRecallF1, type ClassMetrics, type PrecisionRecallF1 } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { binaryKappa } from '../common/kappa';
import { pairByItem } from '../common/pairing';
import type { FieldProblem } from '../common/problems';
import { checkItemId, checkNoDuplicates, isArray, isNonEmptyString, isObject, isOneOf, join } from '../common/validate';
import type { MULTI_LABEL_CLASSIFICATION } from '../task-types';
import type { ClassificationItem } from './single-label';

/** The set of labels chosen for one item; `[]` means "none of the labels applies". */
export interface MultiLabelAnswer {
  itemId: string;
  labels: readonly string[];
}
export type MultiLabelGold = MultiLabelAnswer;

export interface MultiLabelOptions {
  /** The task's full label set: orders the per-class table and widens the label universe used for kappa. */
  labels?: readonly string[];
}

export interface MultiLabelMetrics {
  /** Mean per-item Jaccard |A ∩ G| / |A ∪ G| (the `score`); 1 for an item where both sets are empty. */
  jaccard: number;
  /** Share of items whose label set equals the gold set exactly (subset accuracy). */
  exactMatchAccuracy: number;
  /** Mean per-item F1 2|A ∩ G| / (|A| + |G|); 1 where both are empty. */
  sampleF1: number;
  /** Micro-averaged over all (item, label) decisions. */
  micro: PrecisionRecallF1;
  /**
   * Mean F1 over `macroF1Average`'s labels: the task's label set (the labels shown to the student; one nobody used
   * counts F1 0, as scikit-learn's `labels=`) plus any other label seen; without a label set, the labels seen.
   */
  macroF1: number;
  /** Which average `macroF1` is, for the feedback. */
  macroF1Average: MacroF1Average;
  perClass: ClassMetrics[];
}

/** missed: gold labels not chosen; extra: chosen labels not in gold. `wrong` is always empty. */
export type MultiLabelFeedback = ItemFeedback<string, never, string>;
export type MultiLabelResult = ScoreResult<typeof MULTI_LABEL_CLASSIFICATION, MultiLabelMetrics, MultiLabelFeedback>;

export function validateMultiLabelAnswer(answer: unknown, item?: ClassificationItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'labels');
  const labels = answer['labels'];
  if (!isArray(labels, path, problems)) return problems;
  labels.forEach((l, i) => {
    if (isNonEmptyString(l, join(path, i), problems)) isOneOf(l, item?.labels, join(path, i), problems);
  });
  checkNoDuplicates(labels, path, 'label', problems);
  return problems;
}

/**
 * Multi-label classification.
 *
 * `score` = mean over gold items of the item's Jaccard index |A ∩ G| / |A ∪ G| (the "multi-label accuracy" of
 * Godbole & Sarawagi): partial credit per item, each item weighing the same. An item with empty gold and empty
 * answer scores 1. An unanswered item is scored as the empty set (a workspace cannot tell "not touched" from
 * "no label applies"). Repeated labels in one answer count once.
 * `kappa` = Cohen's kappa over the binary (item, label) decisions for every label in the universe
 * (options.labels ∪ labels seen in gold or answers).
 */
export function scoreMultiLabel(gold: readonly MultiLabelGold[], answers: readonly MultiLabelAnswer[], options: MultiLabelOptions = {}): MultiLabelResult {
  const pairs = pairByItem(gold, answers);
  const classes = new ClassCounter();
  const universe = new Set(options.labels ?? []);
  const items: MultiLabelFeedback[] = [];
  const jaccards: number[] = [];
  const f1s: number[] = [];
  let exact = 0;
  for (const { gold: g, answer } of pairs) {
    const goldSet = new Set(g.labels);
    const answerSet = new Set(answer?.labels ?? []);
    const missed: string[] = [];
    const extra: string[] = [];
    let hit = 0;
    for (const l of goldSet) {
      universe.add(l);
      if (answerSet.has(l)) {
        hit++;
        classes.tp(l);
      } else {
        missed.push(l);
        classes.fn(l);
      }
    }
    for (const l of answerSet) {
      universe.add(l);
      if (!goldSet.has(l)) {
        extra.push(l);
        classes.fp(l);
      }
    }
    const union = goldSet.size + answerSet.size - hit;
    const jaccard = union === 0 ? 1 : hit / union;
    jaccards.push(jaccard);
    f1s.push(f1FromCounts(hit, extra.length, missed.length));
    if (missed.length === 0 && extra.length === 0) exact++;
    items.push({ itemId: g.itemId, correct: jaccard === 1, score: jaccard, missed, wrong: [], extra });
  }
  const perClass = classes.rows(options.labels, true);
  const macroF1Average = macroAverageOf(options.labels);
  const { tp, fp, fn } = classes.totals();
  const decisions = pairs.length * universe.size;
  const score = mean(jaccards);
  return {
    taskType: 'multi_label_classification',
    score,
    itemCount: pairs.length,
    kappa: binaryKappa(tp, fn, fp, decisions - tp - fp - fn),
    metrics: {
      jaccard: score,
      exactMatchAccuracy: exact / pairs.length,
      sampleF1: mean(f1s),
      micro: precisionRecallF1(tp, fp, fn),
      macroF1: macroF1(perClass),
      macroF1Average,
      perClass,
    },
    items,
  };
}
