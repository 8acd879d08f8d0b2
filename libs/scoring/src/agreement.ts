import { scorers, type TaskTypeMap } from './registry';
import type { TaskType } from './task-types';

/** One annotator's answer to one item (any answer shape of the task type, without the item id). */
export interface AnnotatorAnswer {
  annotator: string;
  value: object;
}

export interface ItemAgreement {
  itemId: string;
  annotators: number;
  /** Pairs of annotators compared: n(n-1)/2. */
  pairs: number;
  /** Mean over the pairs of the symmetric pair score (each taken as gold for the other, averaged); null below two annotators. */
  agreement: number | null;
}

/**
 * Inter-annotator agreement on one item with the task type's own scorer: for each pair of annotators, the score
 * of B against A as gold and of A against B, averaged (F1-style scorers are symmetric already; ranking and CER
 * are not), then the mean over all pairs.
 */
export function itemAgreement<K extends TaskType>(taskType: K, itemId: string, answers: readonly AnnotatorAnswer[], options?: TaskTypeMap[K]['options']): ItemAgreement {
  const scorer = scorers[taskType] as unknown as { score(g: unknown[], a: unknown[], o?: unknown): { score: number } };
  const one = (gold: object, answer: object) => scorer.score([{ ...gold, itemId }], [{ ...answer, itemId }], options).score;
  let sum = 0, pairs = 0;
  for (let i = 0; i < answers.length; i++)
    for (let j = i + 1; j < answers.length; j++) {
      sum += (one(answers[i].value, answers[j].value) + one(answers[j].value, answers[i].value)) / 2;
      pairs++;
    }
  return { itemId, annotators: answers.length, pairs, agreement: pairs ? sum / pairs : null };
}

/** Mean of the items' agreement, over items with at least two annotators; null when there are none. */
export function meanAgreement(items: readonly ItemAgreement[]): number | null {
  const rated = items.filter((i) => i.agreement !== null);
  return rated.length ? rated.reduce((s, i) => s + (i.agreement as number), 0) / rated.length : null;
}
