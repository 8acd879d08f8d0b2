import { ClassCounter, macroAverageOf, type MacroF1Average, macroF1, type ClassMetrics } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { cohenKappaFromTable } from '../common/kappa';
import { pairByItem } from '../common/pairing';
import type { FieldProblem } from '../common/problems';
import { checkItemId, isNonEmptyString, isObject, isOneOf, join } from '../common/validate';
import type { TEXT_CLASSIFICATION } from '../task-types';

/** A text to classify; `labels` is the closed label set offered to the student (sentiment: 正面/负面/中性 ...). */
export interface ClassificationItem {
  id: string;
  text: string;
  labels: readonly string[];
}

/** The student's single label for one item. An item left unanswered simply has no answer record. */
export interface SingleLabelAnswer {
  itemId: string;
  label: string;
}
export type SingleLabelGold = SingleLabelAnswer;

export interface SingleLabelOptions {
  /** Order of classes in the per-class table and confusion matrix (classes not listed follow, sorted). */
  labels?: readonly string[];
}

export interface ConfusionMatrix {
  /** Row and column classes, same order. */
  labels: string[];
  /** `counts[g][a]`: items whose gold is labels[g] and answer is labels[a]. */
  counts: number[][];
  /** `unanswered[g]`: items whose gold is labels[g] that got no answer. */
  unanswered: number[];
}

export interface SingleLabelMetrics {
  accuracy: number;
  correct: number;
  unanswered: number;
  /**
   * Mean F1 over `macroF1Average`'s labels: the task's label set (the labels shown to the student; one nobody used
   * counts F1 0, as scikit-learn's `labels=`) plus any other label seen; without a label set, the labels seen.
   */
  macroF1: number;
  /** Which average `macroF1` is, for the feedback. */
  macroF1Average: MacroF1Average;
  perClass: ClassMetrics[];
  confusion: ConfusionMatrix;
}

export interface LabelMismatch {
  expected: string;
  got: string;
}

/** missed: [gold label] when unanswered; wrong: [{expected, got}] when the label differs. */
export type SingleLabelFeedback = ItemFeedback<string, LabelMismatch, never>;
export type SingleLabelResult = ScoreResult<typeof TEXT_CLASSIFICATION, SingleLabelMetrics, SingleLabelFeedback>;

export function validateSingleLabelAnswer(answer: unknown, item?: ClassificationItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'label');
  if (isNonEmptyString(answer['label'], path, problems)) isOneOf(answer['label'], item?.labels, path, problems);
  return problems;
}

/**
 * Single-label classification.
 *
 * `score` = accuracy = items whose answer label equals the gold label / number of gold items. An unanswered item
 * counts as wrong. Per-class precision/recall/F1 count an unanswered item as a false negative of its gold class
 * (and a false positive of no class). macro-F1 = mean F1 over the task's labels (options.labels; a label nobody used counts F1 0) and any other label seen.
 * `kappa` = Cohen's kappa of (gold label, answer label) over all items, an unanswered item being its own
 * "no answer" category (so skipping items lowers kappa).
 */
export function scoreSingleLabel(gold: readonly SingleLabelGold[], answers: readonly SingleLabelAnswer[], options: SingleLabelOptions = {}): SingleLabelResult {
  const pairs = pairByItem(gold, answers);
  const classes = new ClassCounter();
  const cells = new Map<string, number>();
  const items: SingleLabelFeedback[] = new Array(pairs.length);
  let correct = 0;
  let unanswered = 0;
  for (let i = 0; i < pairs.length; i++) {
    const g = pairs[i].gold.label;
    const a = pairs[i].answer?.label;
    const itemId = pairs[i].gold.itemId;
    if (a === undefined) {
      unanswered++;
      classes.fn(g);
      items[i] = { itemId, correct: false, score: 0, missed: [g], wrong: [], extra: [] };
    } else if (a === g) {
      correct++;
      classes.tp(g);
      items[i] = { itemId, correct: true, score: 1, missed: [], wrong: [], extra: [] };
    } else {
      classes.fn(g);
      classes.fp(a);
      items[i] = { itemId, correct: false, score: 0, missed: [], wrong: [{ expected: g, got: a }], extra: [] };
    }
    const key = a === undefined ? g + '\u0000' : g + '\u0000' + a + '\u0000';
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const perClass = classes.rows(options.labels, true);
  const macroF1Average = macroAverageOf(options.labels);
  const confusion = confusionMatrix(perClass.map((r) => r.label), cells);
  return {
    taskType: 'text_classification',
    score: correct / pairs.length,
    itemCount: pairs.length,
    kappa: kappaWithNoAnswer(confusion),
    metrics: { accuracy: correct / pairs.length, correct, unanswered, macroF1: macroF1(perClass), macroF1Average, perClass, confusion },
    items,
  };
}

function confusionMatrix(labels: string[], cells: Map<string, number>): ConfusionMatrix {
  const counts = labels.map((g) => labels.map((a) => cells.get(g + '\u0000' + a + '\u0000') ?? 0));
  const unanswered = labels.map((g) => cells.get(g + '\u0000') ?? 0);
  return { labels, counts, unanswered };
}

/** Kappa over the confusion matrix extended by a "no answer" column (and an always-empty "no answer" gold row). */
function kappaWithNoAnswer({ counts, unanswered }: ConfusionMatrix): number {
  const table = counts.map((row, g) => [...row, unanswered[g]]);
  table.push(new Array<number>(counts.length + 1).fill(0));
  return cohenKappaFromTable(table).kappa;
}
