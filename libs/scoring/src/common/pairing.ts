import { ScoringInputError, problemAt, type FieldProblem } from './problems';

export interface ItemKeyed {
  itemId: string;
}

/**
 * Pairs every gold record with the answer for the same item (or undefined when the student gave none).
 * Gold defines the items scored, in gold order.
 * @throws ScoringInputError NO_ITEMS for an empty gold set, DUPLICATE_ITEM for two records of one item,
 *   UNKNOWN_ITEM for an answer to an item that has no gold.
 */
export function pairByItem<G extends ItemKeyed, A extends ItemKeyed>(gold: readonly G[], answers: readonly A[]): Array<{ gold: G; answer: A | undefined }> {
  if (gold.length === 0) throw new ScoringInputError('NO_ITEMS', 'there are no gold items to score against');
  const byId = new Map<string, A>();
  const problems: FieldProblem[] = [];
  answers.forEach((a, i) => {
    if (byId.has(a.itemId)) problems.push(problemAt(`answers[${i}].itemId`, 'ITEM_ANSWERED_TWICE', { item: a.itemId }));
    else byId.set(a.itemId, a);
  });
  if (problems.length) throw new ScoringInputError('DUPLICATE_ITEM', 'an item was answered twice', problems);
  const seen = new Set<string>();
  const pairs = gold.map((g, i) => {
    if (seen.has(g.itemId)) problems.push(problemAt(`gold[${i}].itemId`, 'GOLD_TWICE', { item: g.itemId }));
    seen.add(g.itemId);
    return { gold: g, answer: byId.get(g.itemId) };
  });
  if (problems.length) throw new ScoringInputError('DUPLICATE_ITEM', 'an item has two gold records', problems);
  answers.forEach((a, i) => {
    if (!seen.has(a.itemId)) problems.push(problemAt(`answers[${i}].itemId`, 'NO_SUCH_ITEM', { item: a.itemId }));
  });
  if (problems.length) throw new ScoringInputError('UNKNOWN_ITEM', 'an answer names an item that is not in the task', problems);
  return pairs;
}
