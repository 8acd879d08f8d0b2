import { byCodePoint, mean } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { cohenKappa } from '../common/kappa';
import { pairByItem } from '../common/pairing';
import { ScoringInputError, problemAt, type FieldProblem } from '../common/problems';
import { checkItemId, isArray, isNonEmptyString, isObject, join } from '../common/validate';
import type { RESPONSE_RANKING } from '../task-types';

export interface RankedResponse {
  id: string;
  text: string;
}

/** A prompt and two or more model responses to order (two = a pairwise preference). */
export interface RankingItem {
  id: string;
  prompt: string;
  responses: readonly RankedResponse[];
}

/**
 * An order of response ids as tiers, best first; ids in one tier are tied. `[['b'], ['a', 'c']]`: b is best,
 * a and c tie below it. Pairwise preference: `[['a'], ['b']]` (a preferred) or `[['a', 'b']]` (tie).
 */
export interface RankingAnswer {
  itemId: string;
  ranking: readonly (readonly string[])[];
}
export type RankingGold = RankingAnswer;

export interface RankingMetrics {
  /** Mean over items of the item's pairwise accuracy (the `score`). */
  pairwiseAccuracy: number;
  /** Agreeing pairs / all pairs, pooled over items. */
  pooledPairwiseAccuracy: number;
  /** Mean over items of Kendall's tau-b (an unanswered item counts 0). */
  meanKendallTauB: number;
  agreeingPairs: number;
  pairs: number;
}

export type Preference = 'first' | 'second' | 'tie';
export interface PairDisagreement {
  /** The pair, ids in code-point order. */
  first: string;
  second: string;
  expected: Preference;
  got: Preference | null;
}
export type RankingFeedback = ItemFeedback<never, PairDisagreement, never> & { kendallTauB: number };
export type RankingResult = ScoreResult<typeof RESPONSE_RANKING, RankingMetrics, RankingFeedback>;

export function validateRankingAnswer(answer: unknown, item?: RankingItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'ranking');
  const ranking = answer['ranking'];
  if (!isArray(ranking, path, problems)) return problems;
  const seen = new Set<string>();
  ranking.forEach((tier, t) => {
    const at = join(path, t);
    if (!isArray(tier, at, problems)) return;
    if (tier.length === 0) problems.push(problemAt(at, 'RANK_TIER_EMPTY'));
    tier.forEach((id, k) => {
      if (!isNonEmptyString(id, join(at, k), problems)) return;
      if (seen.has(id)) problems.push(problemAt(join(at, k), 'RESPONSE_RANKED_TWICE', { response: id }));
      seen.add(id);
    });
  });
  if (item) {
    for (const r of item.responses) if (!seen.has(r.id)) problems.push(problemAt(path, 'RESPONSE_NOT_RANKED', { response: r.id }));
    const known = new Set(item.responses.map((r) => r.id));
    for (const id of seen) if (!known.has(id)) problems.push(problemAt(path, 'NO_SUCH_RESPONSE', { response: id }));
  } else if (seen.size < 2) problems.push(problemAt(path, 'RANK_TWO'));
  return problems;
}

/**
 * Ranking / pairwise preference (RLHF).
 *
 * For every unordered pair of responses of an item, gold says first better, second better or tie; the answer
 * agrees on the pair when it says the same (a gold tie is matched only by a tie). Item pairwise accuracy =
 * agreeing pairs / n(n-1)/2. Kendall's tau-b = (C - D) / sqrt((N - T_gold)(N - T_answer)), N = n(n-1)/2,
 * C / D = pairs strictly ordered the same / opposite way by both, T = pairs tied in that ranking; tau-b is
 * used because ties are allowed. When a ranking ties everything the denominator is 0: tau-b is then defined as
 * 1 if both rankings tie everything, else 0.
 *
 * `score` = mean over items of the item pairwise accuracy (each item weighs the same; for pairwise preference
 * this is the share of preferences matching gold). An unanswered item scores 0 (tau-b 0). `kappa` = Cohen's
 * kappa over all pair judgements as categories first/second/tie, pairs oriented by code-point order of ids.
 * @throws ScoringInputError INVALID_INPUT when an answer does not rank exactly the gold's responses.
 */
export function scoreRanking(gold: readonly RankingGold[], answers: readonly RankingAnswer[]): RankingResult {
  const pairs = pairByItem(gold, answers);
  const judgements: Array<[Preference, Preference]> = [];
  let agreeing = 0, total = 0;
  const items = pairs.map(({ gold: g, answer }, index): RankingFeedback => {
    const goldTier = tiers(g.ranking, `gold[${index}].ranking`);
    const ids = [...goldTier.keys()].sort(byCodePoint);
    if (ids.length < 2) throw new ScoringInputError('INVALID_INPUT', 'a ranking item needs two or more responses', [problemAt(`gold[${index}].ranking`, 'RANK_TWO')]);
    const answerTier = answer ? tiers(answer.ranking, `answers[item ${g.itemId}].ranking`) : undefined;
    if (answerTier) sameIds(goldTier, answerTier, g.itemId);
    const wrong: PairDisagreement[] = [];
    let agree = 0, concordant = 0, discordant = 0, goldTies = 0, answerTies = 0, n = 0;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        n++;
        const e = preference(goldTier, ids[i], ids[j]);
        const a = answerTier ? preference(answerTier, ids[i], ids[j]) : null;
        if (e === 'tie') goldTies++;
        if (a === 'tie') answerTies++;
        if (a !== null) judgements.push([e, a]);
        if (a === e) agree++;
        else wrong.push({ first: ids[i], second: ids[j], expected: e, got: a });
        if (a !== null && e !== 'tie' && a !== 'tie') {
          if (a === e) concordant++;
          else discordant++;
        }
      }
    }
    agreeing += agree;
    total += n;
    const tau = !answerTier ? 0 : kendallTauB(concordant, discordant, n, goldTies, answerTies);
    const score = agree / n;
    return { itemId: g.itemId, correct: agree === n, score, missed: [], wrong, extra: [], kendallTauB: tau };
  });
  const pairwiseAccuracy = mean(items.map((i) => i.score));
  return {
    taskType: 'response_ranking',
    score: pairwiseAccuracy,
    itemCount: pairs.length,
    kappa: cohenKappa(judgements),
    metrics: {
      pairwiseAccuracy,
      pooledPairwiseAccuracy: agreeing / total,
      meanKendallTauB: mean(items.map((i) => i.kendallTauB)),
      agreeingPairs: agreeing,
      pairs: total,
    },
    items,
  };
}

/** Kendall's tau-b from pair counts, with the all-tied case defined (see scoreRanking). */
export function kendallTauB(concordant: number, discordant: number, pairs: number, tiesA: number, tiesB: number): number {
  const den = (pairs - tiesA) * (pairs - tiesB);
  if (den === 0) return tiesA === pairs && tiesB === pairs ? 1 : 0;
  return (concordant - discordant) / Math.sqrt(den);
}

function tiers(ranking: readonly (readonly string[])[], path: string): Map<string, number> {
  const out = new Map<string, number>();
  ranking.forEach((tier, t) => {
    for (const id of tier) {
      if (out.has(id)) throw new ScoringInputError('INVALID_INPUT', 'a response is ranked twice', [problemAt(path, 'RESPONSE_RANKED_TWICE', { response: id })]);
      out.set(id, t);
    }
  });
  return out;
}

function sameIds(gold: Map<string, number>, answer: Map<string, number>, itemId: string): void {
  const problems: FieldProblem[] = [];
  for (const id of gold.keys()) if (!answer.has(id)) problems.push(problemAt(`answers[item ${itemId}].ranking`, 'RESPONSE_NOT_RANKED', { response: id }));
  for (const id of answer.keys()) if (!gold.has(id)) problems.push(problemAt(`answers[item ${itemId}].ranking`, 'NO_SUCH_RESPONSE', { response: id }));
  if (problems.length) throw new ScoringInputError('INVALID_INPUT', 'an answer does not rank the item\'s responses', problems);
}

function preference(tier: Map<string, number>, first: string, second: string): Preference {
  const a = tier.get(first) ?? 0, b = tier.get(second) ?? 0; // both ids are known: sameIds ran first
  return a < b ? 'first' : a > b ? 'second' : 'tie';
}
