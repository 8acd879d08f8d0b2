import { maxCountThenQualityMatching, maxWeightMatching } from '../common/assignment';
import { ClassCounter, macroF1, precisionRecallF1, type ClassMetrics, type PrecisionRecallF1 } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { pairByItem } from '../common/pairing';
import { ScoringInputError, problemAt, type FieldProblem } from '../common/problems';
import { checkItemId, isArray, isFiniteNumber, isNonEmptyString, isObject, isOneOf, join } from '../common/validate';
import type { IMAGE_BOUNDING_BOXES } from '../task-types';
import { IOU_EPSILON } from './iou';
import { rotatedIou, type RotatedBox } from './rotated-iou';

/** An image to annotate, its pixel size and the labels offered. */
export interface ImageItem {
  id: string;
  imageUrl: string;
  width: number;
  height: number;
  labels: readonly string[];
}

/** A labelled box in percent of the image; `rotation` (degrees clockwise about the top-left corner) is optional. */
export interface LabelledBox extends RotatedBox {
  label: string;
}

export interface BoxAnswer {
  itemId: string;
  boxes: readonly LabelledBox[];
}
export type BoxGold = BoxAnswer;

export interface BoxOptions {
  /** A pair can match only if IoU >= this (default 0.5), in (0, 1]. */
  iouThreshold?: number;
  /** Label order for the per-label table. */
  labels?: readonly string[];
  /** Pixel size of each item's image, by item id: rotated boxes are rotated in pixels (a square when unknown). */
  imageSizes?: Readonly<Record<string, { width: number; height: number }>>;
}

export interface BoxMetrics extends PrecisionRecallF1 {
  iouThreshold: number;
  /** Mean IoU of the matched (true positive) pairs; 0 when there are none. */
  meanMatchedIou: number;
  perLabel: ClassMetrics[];
  macroF1: number;
}

export type BoxMistake = 'label' | 'position' | 'label-and-position';
export interface BoxMismatch {
  expected: LabelledBox;
  got: LabelledBox;
  iou: number;
  reason: BoxMistake;
}
export type BoxFeedback = ItemFeedback<LabelledBox, BoxMismatch, LabelledBox>;
export type BoxResult = ScoreResult<typeof IMAGE_BOUNDING_BOXES, BoxMetrics, BoxFeedback>;

export function validateBoxAnswer(answer: unknown, item?: ImageItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'boxes');
  const boxes = answer['boxes'];
  if (!isArray(boxes, path, problems)) return problems;
  boxes.forEach((box, i) => {
    const at = join(path, i);
    if (!isObject(box, at, problems)) return;
    if (isNonEmptyString(box['label'], join(at, 'label'), problems)) isOneOf(box['label'], item?.labels, join(at, 'label'), problems);
    isFiniteNumber(box['x'], join(at, 'x'), problems);
    isFiniteNumber(box['y'], join(at, 'y'), problems);
    for (const side of ['width', 'height'] as const) {
      const v = box[side];
      if (isFiniteNumber(v, join(at, side), problems) && v < 0) problems.push(problemAt(join(at, side), 'TOO_SMALL', { min: 0 }));
    }
    if (box['rotation'] !== undefined) isFiniteNumber(box['rotation'], join(at, 'rotation'), problems);
  });
  return problems;
}

/**
 * Image bounding boxes with labels.
 *
 * Per image, gold and answer boxes are matched one-to-one; a pair may match only if the labels are equal and
 * IoU >= threshold (default 0.5; see IOU_EPSILON). Among all such matchings the scorer takes one with the most
 * pairs and, among those, the largest total IoU: an exact optimum (Hungarian algorithm), not greedy.
 * Matched pairs are true positives, unmatched answer boxes false positives, unmatched gold boxes false negatives.
 * A box in the right place with the wrong label is therefore a false positive AND a false negative. Zero-area
 * boxes have IoU 0 and never match. Identical boxes repeated in an answer are NOT merged: one can match, the
 * others are false positives.
 *
 * `score` = micro F1 over all boxes of all images (TP, FP, FN summed before dividing); an image's feedback
 * score is its own F1 (1 for an image with no gold and no answer boxes). `kappa` is null (boxes are not a fixed
 * set of categorical units).
 */
export function scoreBoundingBoxes(gold: readonly BoxGold[], answers: readonly BoxAnswer[], options: BoxOptions = {}): BoxResult {
  const threshold = options.iouThreshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) throw new ScoringInputError('INVALID_OPTIONS', 'iouThreshold must be in (0, 1]');
  const pairs = pairByItem(gold, answers);
  const labels = new ClassCounter();
  const items: BoxFeedback[] = [];
  let tp = 0, fp = 0, fn = 0, iouSum = 0;
  for (const { gold: g, answer } of pairs) {
    const gb = g.boxes;
    const ab = answer?.boxes ?? [];
    const size = options.imageSizes?.[g.itemId];
    const overlap = (a: RotatedBox, b: RotatedBox) => rotatedIou(a, b, size?.width || 100, size?.height || 100);
    const matrix = iouMatrix(gb, ab, overlap);
    const cols = ab.length;
    const matches = maxCountThenQualityMatching(gb.length, cols, (i, j) => {
      const v = matrix[i * cols + j];
      return v > 0 && v >= threshold - IOU_EPSILON && gb[i].label === ab[j].label ? v : null;
    });
    const goldHit = new Uint8Array(gb.length), answerHit = new Uint8Array(cols);
    for (const [i, j] of matches) {
      goldHit[i] = answerHit[j] = 1;
      iouSum += matrix[i * cols + j];
      labels.tp(gb[i].label);
    }
    const missed: LabelledBox[] = [], extra: LabelledBox[] = [];
    gb.forEach((b, i) => {
      if (goldHit[i]) return;
      missed.push(b);
      labels.fn(b.label);
    });
    ab.forEach((b, j) => {
      if (answerHit[j]) return;
      extra.push(b);
      labels.fp(b.label);
    });
    tp += matches.length;
    fp += extra.length;
    fn += missed.length;
    const itemScore = precisionRecallF1(matches.length, extra.length, missed.length).f1;
    const explained = missed.length && extra.length ? explain(missed, extra, threshold, overlap) : { missed, wrong: [], extra };
    items.push({ itemId: g.itemId, correct: itemScore === 1, score: itemScore, ...explained });
  }
  const perLabel = labels.rows(options.labels);
  const prf = precisionRecallF1(tp, fp, fn);
  return {
    taskType: 'image_bounding_boxes',
    score: prf.f1,
    itemCount: pairs.length,
    kappa: null,
    metrics: { ...prf, iouThreshold: threshold, meanMatchedIou: tp === 0 ? 0 : iouSum / tp, perLabel, macroF1: macroF1(perLabel) },
    items,
  };
}

function iouMatrix(gold: readonly RotatedBox[], answer: readonly RotatedBox[], iou: (a: RotatedBox, b: RotatedBox) => number): Float64Array {
  const m = new Float64Array(gold.length * answer.length);
  for (let i = 0; i < gold.length; i++) for (let j = 0; j < answer.length; j++) m[i * answer.length + j] = iou(gold[i], answer[j]);
  return m;
}

/** Feedback only: pair leftover gold and answer boxes that overlap at all, maximising total IoU. */
function explain(missed: LabelledBox[], extra: LabelledBox[], threshold: number, iou: (a: RotatedBox, b: RotatedBox) => number): Pick<BoxFeedback, 'missed' | 'wrong' | 'extra'> {
  const wrong: BoxMismatch[] = [];
  const usedG = new Set<number>(), usedA = new Set<number>();
  for (const [i, j] of maxWeightMatching(missed.length, extra.length, (i, j) => iou(missed[i], extra[j]))) {
    const overlap = iou(missed[i], extra[j]);
    const placed = overlap >= threshold - IOU_EPSILON;
    const sameLabel = missed[i].label === extra[j].label;
    wrong.push({ expected: missed[i], got: extra[j], iou: overlap, reason: sameLabel ? 'position' : placed ? 'label' : 'label-and-position' });
    usedG.add(i);
    usedA.add(j);
  }
  return { missed: missed.filter((_, i) => !usedG.has(i)), wrong, extra: extra.filter((_, j) => !usedA.has(j)) };
}
