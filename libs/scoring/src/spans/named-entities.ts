import { maxWeightMatching } from '../common/assignment';
import { ClassCounter, macroF1, precisionRecallF1, type ClassMetrics, type PrecisionRecallF1 } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { pairByItem } from '../common/pairing';
import { ScoringInputError, problemAt, type FieldProblem } from '../common/problems';
import { codePointLength, graphemeBoundaries } from '../common/unicode';
import { checkItemId, isArray, isNonEmptyString, isNonNegativeInteger, isObject, isOneOf, join } from '../common/validate';
import type { NAMED_ENTITY_SPANS } from '../task-types';

/** Text to annotate (Chinese or English) and the entity types offered (PER, ORG, LOC ...). */
export interface SpanItem {
  id: string;
  text: string;
  entityTypes: readonly string[];
}

/**
 * One entity: code-point offsets into the item text, half-open [start, end), so `end - start` is the entity's
 * length in code points. Offsets count Unicode code points, NOT UTF-16 units: in `'𠮷野家'` the entity 野家 is
 * {start: 1, end: 3} although `'𠮷野家'.indexOf('野') === 2`. Use `utf16IndexToCodePointOffset` to convert a
 * browser selection. The text is taken as stored (not re-normalised), so offsets stay valid.
 */
export interface EntitySpan {
  start: number;
  end: number;
  type: string;
}

export interface SpanAnswer {
  itemId: string;
  spans: readonly EntitySpan[];
}
export type SpanGold = SpanAnswer;

export type SpanScoringMode = 'exact' | 'partial';

export interface SpanOptions {
  /** 'exact' (default): entity-level exact match F1. 'partial': overlap credit, see {@link scoreNamedEntities}. */
  mode?: SpanScoringMode;
  /** Entity types in the order wanted in the per-type table. */
  entityTypes?: readonly string[];
}

export interface PartialCredit extends PrecisionRecallF1 {
  /** Sum of overlap credits of the optimal one-to-one matching (equals `tp`). */
  credit: number;
}

export interface SpanMetrics {
  mode: SpanScoringMode;
  /** Exact type + both boundaries, micro over all items (seqeval/CoNLL). */
  exact: PrecisionRecallF1;
  /** Overlap credit, micro over all items. */
  partial: PartialCredit;
  /** Exact-match metrics per entity type. */
  perType: ClassMetrics[];
  macroF1: number;
  /** Spans repeated within one answer (same start, end, type) that were counted once. */
  duplicatesIgnored: number;
}

export type SpanMistake = 'type' | 'boundary' | 'type-and-boundary';
export interface SpanMismatch {
  expected: EntitySpan;
  got: EntitySpan;
  reason: SpanMistake;
}
export type SpanFeedback = ItemFeedback<EntitySpan, SpanMismatch, EntitySpan>;
export type SpanResult = ScoreResult<typeof NAMED_ENTITY_SPANS, SpanMetrics, SpanFeedback>;

export function validateSpanAnswer(answer: unknown, item?: SpanItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  const path = join(base, 'spans');
  const spans = answer['spans'];
  if (!isArray(spans, path, problems)) return problems;
  const length = item ? codePointLength(item.text) : undefined;
  let boundaries: Set<number> | undefined;
  spans.forEach((span, i) => {
    const at = join(path, i);
    if (!isObject(span, at, problems)) return;
    const { start, end, type } = span;
    if (isNonEmptyString(type, join(at, 'type'), problems)) isOneOf(type, item?.entityTypes, join(at, 'type'), problems);
    const okStart = isNonNegativeInteger(start, join(at, 'start'), problems);
    const okEnd = isNonNegativeInteger(end, join(at, 'end'), problems);
    if (!okStart || !okEnd) return;
    if (end <= start) return problems.push(problemAt(join(at, 'end'), 'SPAN_END_BEFORE_START'));
    if (length !== undefined && end > length) return problems.push(problemAt(join(at, 'end'), 'SPAN_BEYOND_TEXT', { length }));
    if (item) {
      boundaries ??= graphemeBoundaries(item.text);
      if (!boundaries.has(start)) problems.push(problemAt(join(at, 'start'), 'SPAN_SPLITS_CHARACTER'));
      if (!boundaries.has(end)) problems.push(problemAt(join(at, 'end'), 'SPAN_SPLITS_CHARACTER'));
    }
    return undefined;
  });
  return problems;
}

/**
 * Named-entity spans.
 *
 * An entity is correct when type, start and end all equal a gold entity's (entity-level exact match, as
 * seqeval/CoNLL). Spans repeated in one answer (same start, end, type) count once, in gold too; two different
 * spans are both counted even if they overlap. A span with the right boundaries and a wrong type is a false
 * positive AND a false negative.
 *
 * Partial mode: each (gold, answer) pair of the SAME type whose ranges overlap earns credit = overlap length /
 * union length of the two ranges (character-level IoU; 1 for an exact match). Gold and answer spans are matched
 * one-to-one maximising total credit (Hungarian algorithm); then P = credit / |answer|, R = credit / |gold|,
 * F1 = 2 credit / (|answer| + |gold|). Exact F1 <= partial F1 always.
 *
 * `score` = micro F1 over all items in the chosen mode (default exact); an item's feedback score is its own F1.
 * Empty gold and empty answer give F1 = 1 (see precisionRecallF1). `kappa` is null: spans are not a fixed set
 * of categorical units.
 */
export function scoreNamedEntities(gold: readonly SpanGold[], answers: readonly SpanAnswer[], options: SpanOptions = {}): SpanResult {
  const mode = options.mode ?? 'exact';
  if (mode !== 'exact' && mode !== 'partial') throw new ScoringInputError('INVALID_OPTIONS', `unknown span mode "${String(mode)}"`);
  const pairs = pairByItem(gold, answers);
  const types = new ClassCounter();
  let tp = 0, goldCount = 0, answerCount = 0, credit = 0, duplicatesIgnored = 0;
  const items: SpanFeedback[] = [];
  for (const { gold: g, answer } of pairs) {
    const goldSpans = unique(g.spans).spans;
    const dedup = unique(answer?.spans ?? []);
    duplicatesIgnored += dedup.duplicates;
    const answerSpans = dedup.spans;
    const goldKeys = new Set(goldSpans.map(key));
    const answerKeys = new Set(answerSpans.map(key));
    const missedG = goldSpans.filter((s) => !answerKeys.has(key(s)));
    const extraA = answerSpans.filter((s) => !goldKeys.has(key(s)));
    const itemTp = goldSpans.length - missedG.length;
    for (const s of goldSpans) {
      if (answerKeys.has(key(s))) types.tp(s.type);
      else types.fn(s.type);
    }
    for (const s of extraA) types.fp(s.type);
    const itemCredit = partialCredit(goldSpans, answerSpans);
    tp += itemTp;
    credit += itemCredit;
    goldCount += goldSpans.length;
    answerCount += answerSpans.length;
    const itemScore =
      mode === 'exact'
        ? precisionRecallF1(itemTp, extraA.length, missedG.length).f1
        : precisionRecallF1(itemCredit, answerSpans.length - itemCredit, goldSpans.length - itemCredit).f1;
    items.push({ itemId: g.itemId, correct: missedG.length === 0 && extraA.length === 0, score: itemScore, ...explain(missedG, extraA) });
  }
  const exact = precisionRecallF1(tp, answerCount - tp, goldCount - tp);
  const partial = { ...precisionRecallF1(credit, answerCount - credit, goldCount - credit), credit };
  const perType = types.rows(options.entityTypes);
  return {
    taskType: 'named_entity_spans',
    score: mode === 'exact' ? exact.f1 : partial.f1,
    itemCount: pairs.length,
    kappa: null,
    metrics: { mode, exact, partial, perType, macroF1: macroF1(perType), duplicatesIgnored },
    items,
  };
}

function key(s: EntitySpan): string {
  return `${s.start}:${s.end}:${s.type}`;
}

function unique(spans: readonly EntitySpan[]): { spans: EntitySpan[]; duplicates: number } {
  const seen = new Set<string>();
  const out: EntitySpan[] = [];
  for (const s of spans) {
    const k = key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ start: s.start, end: s.end, type: s.type });
  }
  return { spans: out, duplicates: spans.length - out.length };
}

/** Overlap of [a.start, a.end) and [b.start, b.end) divided by their union, 0 when disjoint. */
export function spanOverlapRatio(a: EntitySpan, b: EntitySpan): number {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (overlap <= 0) return 0;
  return overlap / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/** Best one-to-one total overlap credit (same type only) over all spans of an item. */
function partialCredit(gold: EntitySpan[], answer: EntitySpan[]): number {
  const weight = (i: number, j: number) => (gold[i].type === answer[j].type ? spanOverlapRatio(gold[i], answer[j]) : 0);
  let sum = 0;
  for (const [i, j] of maxWeightMatching(gold.length, answer.length, weight)) sum += weight(i, j);
  return sum;
}

/** Feedback: pair each unmatched answer span with the unmatched gold span it overlaps most (one-to-one). */
function explain(missedG: EntitySpan[], extraA: EntitySpan[]): Pick<SpanFeedback, 'missed' | 'wrong' | 'extra'> {
  const matches = maxWeightMatching(missedG.length, extraA.length, (i, j) => spanOverlapRatio(missedG[i], extraA[j]));
  const wrong: SpanMismatch[] = [];
  const pairedG = new Set<number>(), pairedA = new Set<number>();
  for (const [i, j] of matches) {
    const expected = missedG[i], got = extraA[j];
    const sameType = expected.type === got.type;
    const sameBounds = expected.start === got.start && expected.end === got.end;
    wrong.push({ expected, got, reason: sameType ? 'boundary' : sameBounds ? 'type' : 'type-and-boundary' });
    pairedG.add(i);
    pairedA.add(j);
  }
  return { missed: missedG.filter((_, i) => !pairedG.has(i)), wrong, extra: extraA.filter((_, j) => !pairedA.has(j)) };
}
