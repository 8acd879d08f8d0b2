import { ClassCounter, precisionRecallF1, type ClassMetrics, type PrecisionRecallF1 } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { binaryKappa } from '../common/kappa';
import { pairByItem } from '../common/pairing';
import type { FieldProblem } from '../common/problems';
import { checkItemId, checkNoDuplicates, isArray, isNonEmptyString, isObject, isOneOf, join } from '../common/validate';
import type { DATA_CLEANING } from '../task-types';

export const DATA_CLEANING_FLAGS = ['duplicate', 'blurred', 'off_topic'] as const;
export type DataCleaningFlag = (typeof DATA_CLEANING_FLAGS)[number];

/** A record to inspect: an image, or a text, with what the dataset is meant to be about. */
export interface DataCleaningItem {
  id: string;
  mediaUrl?: string;
  text?: string;
  topic?: string;
}

/** Flags raised on one item; `[]` (or no answer at all) means "keep, nothing wrong". */
export interface DataCleaningAnswer {
  itemId: string;
  flags: readonly DataCleaningFlag[];
}
export type DataCleaningGold = DataCleaningAnswer;

export interface FlagMetrics extends PrecisionRecallF1 {
  flag: DataCleaningFlag;
  support: number;
  /** Binary kappa over all items for this flag (raised or not). */
  kappa: number;
}

export interface DataCleaningMetrics {
  /** Micro P/R/F1 over all (item, flag) decisions; `score` is its F1. */
  overall: PrecisionRecallF1;
  perFlag: FlagMetrics[];
  /** Item level, ignoring the kind: an item flagged at all vs an item that should be flagged at all. */
  itemsFlagged: PrecisionRecallF1;
}

/** missed: gold flags not raised; extra: flags raised that gold does not have. */
export type DataCleaningFeedback = ItemFeedback<DataCleaningFlag, never, DataCleaningFlag>;
export type DataCleaningResult = ScoreResult<typeof DATA_CLEANING, DataCleaningMetrics, DataCleaningFeedback>;

export function validateDataCleaningAnswer(answer: unknown, item?: DataCleaningItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'flags');
  const flags = answer['flags'];
  if (!isArray(flags, path, problems)) return problems;
  flags.forEach((f, i) => {
    if (isNonEmptyString(f, join(path, i), problems)) isOneOf(f, DATA_CLEANING_FLAGS, join(path, i), problems);
  });
  checkNoDuplicates(flags, path, 'flag', problems);
  return problems;
}

/**
 * Data cleaning: flag duplicate / blurred / off-topic items.
 *
 * Each (item, flag kind) is a yes/no decision. An unanswered item raises no flag. A flag repeated in one answer
 * counts once. `score` = micro F1 over all (item, kind) decisions: TP = flags raised that gold has, FP = raised
 * that gold lacks, FN = gold flags not raised (so a clean dataset left unflagged scores 1, see
 * precisionRecallF1). Per-kind P/R/F1 and per-kind kappa are given, plus item-level P/R/F1 of "flagged at all".
 * `kappa` = Cohen's kappa over all (item, kind) binary decisions for the three kinds.
 */
export function scoreDataCleaning(gold: readonly DataCleaningGold[], answers: readonly DataCleaningAnswer[]): DataCleaningResult {
  const pairs = pairByItem(gold, answers);
  const counts = new ClassCounter();
  let itemTp = 0, itemFp = 0, itemFn = 0;
  const items = pairs.map(({ gold: g, answer }): DataCleaningFeedback => {
    const goldSet = new Set(g.flags);
    const answerSet = new Set(answer?.flags ?? []);
    const missed = [...goldSet].filter((f) => !answerSet.has(f));
    const extra = [...answerSet].filter((f) => !goldSet.has(f));
    for (const f of goldSet) {
      if (answerSet.has(f)) counts.tp(f);
      else counts.fn(f);
    }
    for (const f of extra) counts.fp(f);
    if (goldSet.size > 0 && answerSet.size > 0) itemTp++;
    else if (answerSet.size > 0) itemFp++;
    else if (goldSet.size > 0) itemFn++;
    const score = precisionRecallF1(goldSet.size - missed.length, extra.length, missed.length).f1;
    return { itemId: g.itemId, correct: missed.length === 0 && extra.length === 0, score, missed, wrong: [], extra };
  });
  const rows = new Map(counts.rows().map((r) => [r.label, r] as const));
  const n = pairs.length;
  const perFlag: FlagMetrics[] = DATA_CLEANING_FLAGS.map((flag) => {
    const r: ClassMetrics = rows.get(flag) ?? { label: flag, support: 0, ...precisionRecallF1(0, 0, 0) };
    const { label: _label, ...rest } = r;
    return { flag, ...rest, kappa: binaryKappa(r.tp, r.fn, r.fp, n - r.tp - r.fp - r.fn) };
  });
  const { tp, fp, fn } = counts.totals();
  const overall = precisionRecallF1(tp, fp, fn);
  return {
    taskType: 'data_cleaning',
    score: overall.f1,
    itemCount: n,
    kappa: binaryKappa(tp, fn, fp, n * DATA_CLEANING_FLAGS.length - tp - fp - fn),
    metrics: { overall, perFlag, itemsFlagged: precisionRecallF1(itemTp, itemFp, itemFn) },
    items,
  };
}
