import type { ItemFeedback, ScoreResult } from '../common/feedback';
import { align, levenshtein, MAX_ALIGNMENT_CELLS } from '../common/levenshtein';
import { mean } from '../common/counts';
import { pairByItem } from '../common/pairing';
import { ScoringInputError, type FieldProblem } from '../common/problems';
import { codePoints } from '../common/unicode';
import { checkItemId, isObject, isString, join } from '../common/validate';
import type { TRANSCRIPTION } from '../task-types';

/** An audio clip to transcribe, or a machine transcript to correct (then `machineTranscript` is shown). */
export interface TranscriptionItem {
  id: string;
  audioUrl?: string;
  machineTranscript?: string;
}

export interface TranscriptionAnswer {
  itemId: string;
  text: string;
}
export type TranscriptionGold = TranscriptionAnswer;

/** How both texts are normalised before characters are compared. */
export interface TranscriptNormalisation {
  /** Unicode normal form; default 'NFC'. 'NFKC' also folds full-width letters and digits (Ａ１ -> A1). */
  form: 'NFC' | 'NFKC';
  /** 'ignore' (default) removes every Unicode punctuation character (\p{P}: ，。！？,.!?…); 'keep' compares them. */
  punctuation: 'ignore' | 'keep';
  /** 'remove' (default): drop all whitespace (Chinese CER convention); 'collapse': runs -> one space, trimmed; 'keep'. */
  whitespace: 'remove' | 'collapse' | 'keep';
  /** Compare case-insensitively (default false). */
  caseFold: boolean;
}

export const DEFAULT_TRANSCRIPT_NORMALISATION: TranscriptNormalisation = { form: 'NFC', punctuation: 'ignore', whitespace: 'remove', caseFold: false };

export interface TranscriptionOptions {
  normalisation?: Partial<TranscriptNormalisation>;
  /** CER at or below which the score is 1; default 0.05. */
  fullMarksAtOrBelow?: number;
  /** CER at or above which the score is 0; default 0.5. */
  zeroAtOrAbove?: number;
  /**
   * 'corpus' (default): the task CER is total edits / total gold length over all items, then mapped to a score.
   * 'item-mean': each item's CER is mapped to a score and the scores are averaged.
   */
  aggregate?: 'corpus' | 'item-mean';
}

export interface TranscriptionMetrics {
  /** Total edit distance / total normalised gold length (an empty total gold: 0 if no edits, else 1). */
  cer: number;
  /** Mean of the per-item CERs. */
  meanItemCer: number;
  edits: number;
  goldCharacters: number;
  normalisation: TranscriptNormalisation;
  fullMarksAtOrBelow: number;
  zeroAtOrAbove: number;
  aggregate: 'corpus' | 'item-mean';
}

export interface TranscriptSubstitution {
  expected: string;
  got: string;
}
/** missed: runs of gold characters left out; wrong: runs substituted; extra: runs inserted (normalised text). */
export type TranscriptionFeedback = ItemFeedback<string, TranscriptSubstitution, string> & {
  cer: number;
  edits: number;
  /** True when the texts were too long to align for missed/wrong/extra (score and CER are still exact). */
  alignmentOmitted?: boolean;
};
export type TranscriptionResult = ScoreResult<typeof TRANSCRIPTION, TranscriptionMetrics, TranscriptionFeedback>;

export function validateTranscriptionAnswer(answer: unknown, item?: TranscriptionItem, base = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(answer, base, problems)) return problems;
  checkItemId(answer, item?.id, base, problems);
  isString(answer['text'], join(base, 'text'), problems);
  return problems;
}

/** Applies the normalisation (NFC/NFKC first, then case, punctuation, whitespace). */
export function normaliseTranscript(text: string, normalisation: Partial<TranscriptNormalisation> = {}): string {
  const n = { ...DEFAULT_TRANSCRIPT_NORMALISATION, ...normalisation };
  let out = text.normalize(n.form);
  if (n.caseFold) out = out.toLowerCase();
  if (n.punctuation === 'ignore') out = out.replace(/\p{P}/gu, '');
  if (n.whitespace === 'remove') out = out.replace(/\s+/gu, '');
  else if (n.whitespace === 'collapse') out = out.replace(/\s+/gu, ' ').trim();
  return out;
}

/** CER of one item: edits / gold length in code points; for an empty gold, 0 if the answer is empty too, else 1. */
export function characterErrorRate(edits: number, goldLength: number): number {
  if (goldLength === 0) return edits === 0 ? 0 : 1;
  return edits / goldLength;
}

/** Linear map: 1 at CER <= full, 0 at CER >= zero, (zero - cer) / (zero - full) between. */
export function cerToScore(cer: number, fullMarksAtOrBelow = 0.05, zeroAtOrAbove = 0.5): number {
  if (cer <= fullMarksAtOrBelow) return 1;
  if (cer >= zeroAtOrAbove) return 0;
  return (zeroAtOrAbove - cer) / (zeroAtOrAbove - fullMarksAtOrBelow);
}

/**
 * Transcription and transcript correction.
 *
 * Both texts are normalised (default: NFC, punctuation and whitespace removed, case kept), then compared as
 * sequences of Unicode code points. Item CER = Levenshtein distance / normalised gold length (may exceed 1 when
 * the answer inserts a lot). `score` (default 'corpus') = cerToScore(total edits / total gold length): 1 at
 * CER <= 5 %, 0 at CER >= 50 %, linear between. With aggregate 'item-mean', `score` = mean of cerToScore(item
 * CER). An unanswered item is scored as the empty text. An item's feedback score is cerToScore(item CER).
 * `kappa` is null (free text has no categories).
 */
export function scoreTranscription(gold: readonly TranscriptionGold[], answers: readonly TranscriptionAnswer[], options: TranscriptionOptions = {}): TranscriptionResult {
  const full = options.fullMarksAtOrBelow ?? 0.05;
  const zero = options.zeroAtOrAbove ?? 0.5;
  const aggregate = options.aggregate ?? 'corpus';
  if (!(full >= 0 && zero > full)) throw new ScoringInputError('INVALID_OPTIONS', 'need 0 <= fullMarksAtOrBelow < zeroAtOrAbove');
  if (aggregate !== 'corpus' && aggregate !== 'item-mean') throw new ScoringInputError('INVALID_OPTIONS', `unknown aggregate "${String(aggregate)}"`);
  const normalisation = { ...DEFAULT_TRANSCRIPT_NORMALISATION, ...options.normalisation };
  const pairs = pairByItem(gold, answers);
  let edits = 0, goldCharacters = 0;
  const cers: number[] = [];
  const items: TranscriptionFeedback[] = pairs.map(({ gold: g, answer }) => {
    const ref = codePoints(normaliseTranscript(g.text, normalisation));
    const hyp = codePoints(normaliseTranscript(answer?.text ?? '', normalisation));
    const d = levenshtein(ref, hyp);
    edits += d;
    goldCharacters += ref.length;
    const cer = characterErrorRate(d, ref.length);
    cers.push(cer);
    const score = cerToScore(cer, full, zero);
    const base = { itemId: g.itemId, correct: d === 0, score, cer, edits: d };
    if (d === 0) return { ...base, missed: [], wrong: [], extra: [] };
    if (ref.length * hyp.length > MAX_ALIGNMENT_CELLS) return { ...base, missed: [], wrong: [], extra: [], alignmentOmitted: true };
    return { ...base, ...describeEdits(ref, hyp) };
  });
  const cer = characterErrorRate(edits, goldCharacters);
  const score = aggregate === 'corpus' ? cerToScore(cer, full, zero) : mean(items.map((i) => i.score));
  return {
    taskType: 'transcription',
    score,
    itemCount: pairs.length,
    kappa: null,
    metrics: { cer, meanItemCer: mean(cers), edits, goldCharacters, normalisation, fullMarksAtOrBelow: full, zeroAtOrAbove: zero, aggregate },
    items,
  };
}

/** Groups consecutive edits of one kind into runs of text. */
function describeEdits(ref: number[], hyp: number[]): Pick<TranscriptionFeedback, 'missed' | 'wrong' | 'extra'> {
  const missed: string[] = [], extra: string[] = [], wrong: TranscriptSubstitution[] = [];
  let last = '';
  for (const e of align(ref, hyp)) {
    if (e.op === 'delete') {
      if (last === 'delete') missed[missed.length - 1] += String.fromCodePoint(ref[e.ref]);
      else missed.push(String.fromCodePoint(ref[e.ref]));
    } else if (e.op === 'insert') {
      if (last === 'insert') extra[extra.length - 1] += String.fromCodePoint(hyp[e.hyp]);
      else extra.push(String.fromCodePoint(hyp[e.hyp]));
    } else if (e.op === 'substitute') {
      if (last === 'substitute') {
        wrong[wrong.length - 1].expected += String.fromCodePoint(ref[e.ref]);
        wrong[wrong.length - 1].got += String.fromCodePoint(hyp[e.hyp]);
      } else wrong.push({ expected: String.fromCodePoint(ref[e.ref]), got: String.fromCodePoint(hyp[e.hyp]) });
    }
    last = e.op;
  }
  return { missed, wrong, extra };
}
