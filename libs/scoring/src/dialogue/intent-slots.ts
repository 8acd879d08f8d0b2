import { cohenKappa } from '../common/kappa';
import { ClassCounter, precisionRecallF1, type ClassMetrics, type PrecisionRecallF1 } from '../common/counts';
import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { pairByItem } from '../common/pairing';
import { ScoringInputError, problemAt, type FieldProblem } from '../common/problems';
import { checkItemId, isArray, isNonEmptyString, isObject, isOneOf, isString, join } from '../common/validate';
import type { DIALOGUE_INTENT_SLOTS } from '../task-types';

export interface DialogueTurn {
  /** Who speaks, as the dataset names them (user/agent, Human/Robot…). */
  speaker: string;
  text: string;
}

/** A dialogue (usually its last user turn is annotated), with the intent and slot names offered. */
export interface DialogueItem {
  id: string;
  turns: readonly DialogueTurn[];
  intents: readonly string[];
  slotNames: readonly string[];
}

export interface Slot {
  name: string;
  value: string;
}

export interface DialogueAnswer {
  itemId: string;
  intent: string;
  slots: readonly Slot[];
}
export type DialogueGold = DialogueAnswer;

export interface DialogueOptions {
  /** Weight of intent accuracy in the score; default 0.5. */
  intentWeight?: number;
  /** Weight of slot F1 in the score; default 0.5. */
  slotWeight?: number;
}

export interface DialogueMetrics {
  intentAccuracy: number;
  /** Micro P/R/F1 over (name, normalised value) slots of all items. */
  slots: PrecisionRecallF1;
  perSlotName: ClassMetrics[];
  intentWeight: number;
  slotWeight: number;
}

export type DialogueMismatch =
  | { kind: 'intent'; expected: string; got: string | null }
  | { kind: 'slot-value'; name: string; expected: string; got: string };
/** missed: gold slots absent; extra: answer slots not in gold; wrong: a wrong intent, or a slot with the right name and a wrong value. */
export type DialogueFeedback = ItemFeedback<Slot, DialogueMismatch, Slot>;
export type DialogueResult = ScoreResult<typeof DIALOGUE_INTENT_SLOTS, DialogueMetrics, DialogueFeedback>;

export function validateDialogueAnswer(answer: unknown, item?: DialogueItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  if (isNonEmptyString(answer['intent'], join(base, 'intent'), problems)) isOneOf(answer['intent'], item?.intents, join(base, 'intent'), problems);
  const path = join(base, 'slots');
  const slots = answer['slots'];
  if (!isArray(slots, path, problems)) return problems;
  slots.forEach((slot, i) => {
    const at = join(path, i);
    if (!isObject(slot, at, problems)) return;
    if (isNonEmptyString(slot['name'], join(at, 'name'), problems)) isOneOf(slot['name'], item?.slotNames, join(at, 'name'), problems);
    if (isString(slot['value'], join(at, 'value'), problems) && normaliseSlotValue(slot['value']) === '') {
      problems.push(problemAt(join(at, 'value'), 'REQUIRED'));
    }
  });
  return problems;
}

/** Slot values compare after NFKC, trimming, collapsing whitespace runs to one space, and lower-casing. */
export function normaliseSlotValue(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * Dialogue intent + slots.
 *
 * intent accuracy = items whose intent equals gold / items (unanswered = wrong).
 * A slot is the pair (name, normalised value): names compare exactly (trimmed), values after
 * {@link normaliseSlotValue}. A slot repeated in one answer counts once. slot P/R/F1 are micro over all items
 * (an item with no gold slots and no answer slots adds nothing).
 * `score` = (intentWeight * intentAccuracy + slotWeight * slotF1) / (intentWeight + slotWeight), default
 * weights 0.5 / 0.5; slot F1 is 1 when no item has gold or answer slots. An item's feedback score is the same
 * weighting of its intent (0/1) and its own slot F1. `kappa` = Cohen's kappa over intents (unanswered = its own category).
 */
export function scoreDialogue(gold: readonly DialogueGold[], answers: readonly DialogueAnswer[], options: DialogueOptions = {}): DialogueResult {
  const wi = options.intentWeight ?? 0.5;
  const ws = options.slotWeight ?? 0.5;
  if (!(wi >= 0 && ws >= 0 && wi + ws > 0)) throw new ScoringInputError('INVALID_OPTIONS', 'weights must be >= 0 and not both 0');
  const pairs = pairByItem(gold, answers);
  const slotNames = new ClassCounter();
  const intentPairs: Array<[string, string]> = [];
  let intentsRight = 0;
  const items: DialogueFeedback[] = pairs.map(({ gold: g, answer }) => {
    const intentOk = answer !== undefined && answer.intent === g.intent;
    if (intentOk) intentsRight++;
    intentPairs.push([g.intent, answer?.intent ?? '\u0000no answer']);
    const goldSlots = uniqueSlots(g.slots);
    const answerSlots = uniqueSlots(answer?.slots ?? []);
    const missed: Slot[] = [], extra: Slot[] = [];
    let tp = 0;
    for (const [k, s] of goldSlots) {
      if (answerSlots.has(k)) {
        tp++;
        slotNames.tp(s.name);
      } else {
        missed.push(s);
        slotNames.fn(s.name);
      }
    }
    for (const [k, s] of answerSlots) {
      if (!goldSlots.has(k)) {
        extra.push(s);
        slotNames.fp(s.name);
      }
    }
    const slotF1 = precisionRecallF1(tp, extra.length, missed.length).f1;
    const wrong: DialogueMismatch[] = intentOk ? [] : [{ kind: 'intent', expected: g.intent, got: answer?.intent ?? null }];
    // Feedback: a missed slot and an extra slot with the same name read as "wrong value".
    for (let i = 0; i < missed.length; i++) {
      const j = extra.findIndex((s) => s.name === missed[i].name);
      if (j < 0) continue;
      wrong.push({ kind: 'slot-value', name: missed[i].name, expected: missed[i].value, got: extra[j].value });
      missed.splice(i--, 1);
      extra.splice(j, 1);
    }
    const score = (wi * (intentOk ? 1 : 0) + ws * slotF1) / (wi + ws);
    return { itemId: g.itemId, correct: intentOk && missed.length === 0 && extra.length === 0 && wrong.length === 0, score, missed, wrong, extra };
  });
  const perSlotName = slotNames.rows();
  const totals = slotNames.totals();
  const slots = precisionRecallF1(totals.tp, totals.fp, totals.fn);
  const intentAccuracy = intentsRight / pairs.length;
  return {
    taskType: 'dialogue_intent_slots',
    score: (wi * intentAccuracy + ws * slots.f1) / (wi + ws),
    itemCount: pairs.length,
    kappa: cohenKappa(intentPairs),
    metrics: { intentAccuracy, slots, perSlotName, intentWeight: wi, slotWeight: ws },
    items,
  };
}

function uniqueSlots(slots: readonly Slot[]): Map<string, Slot> {
  const out = new Map<string, Slot>();
  for (const s of slots) {
    const name = s.name.trim();
    const k = name + '\u0000' + normaliseSlotValue(s.value);
    if (!out.has(k)) out.set(k, { name, value: s.value });
  }
  return out;
}
