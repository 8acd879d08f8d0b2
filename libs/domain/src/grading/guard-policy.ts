import type { GuardDecision, ReviewReason } from '@aitrainer/contracts';
import { compactOf } from './normalise';

/**
 * The review policy of LLM grades and the deterministic evidence a grade is checked against. Framework-free: the
 * worker decides with these functions, tests check them with tables.
 */

/** Signals that send a grade to a person in practice too; `hidden_text` alone only flags a practice grade. */
const PRACTICE_REVIEW: ReviewReason[] = ['possible_injection', 'screen_flagged', 'implausible_grade', 'judge_disagreement', 'near_pass_mark', 'judge_refused', 'judge_invalid_json'];

export interface ReviewDecision {
  decision: GuardDecision;
  reason: ReviewReason | null;
  explanation: string;
}

/**
 * Practice: a strong signal sends the answer to review, hidden text alone is flagged. Certification exams: no LLM grade
 * alone decides a pass when anything fired, so every signal sends the item to a person.
 */
export function decideReview(signals: ReviewReason[], context: 'exam' | 'practice'): ReviewDecision {
  const unique = [...new Set(signals)];
  if (!unique.length) return { decision: 'machine', reason: null, explanation: 'no guard fired: the machine grade counts' };
  if (context === 'exam') {
    return { decision: 'review', reason: unique[0], explanation: `certification exam: a signal fired (${unique.join(', ')}), so a person confirms the grade` };
  }
  const strong = unique.find((s) => PRACTICE_REVIEW.includes(s));
  if (strong) return { decision: 'review', reason: strong, explanation: `a guard fired (${unique.join(', ')}): a person grades it` };
  return { decision: 'flagged', reason: unique[0], explanation: `practice: only ${unique.join(', ')}; the grade counts and is flagged for the instructor` };
}

/** Tokens for comparing texts: Latin words of 3+ letters and CJK character bigrams (and single CJK characters of 1-char runs). */
export function contentTokens(text: string): string[] {
  const norm = text.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  for (const w of norm.match(/[a-z][a-z0-9'-]{2,}/g) ?? []) if (!STOPWORDS.has(w)) tokens.push(w);
  for (const run of norm.match(/[\u3400-\u9FFF]+/g) ?? []) {
    if (run.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

const STOPWORDS = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'are', 'was', 'were', 'you', 'your', 'from', 'not', 'but', 'have', 'has', 'its', 'can', 'will', 'all', 'any', 'one', 'should', 'would', 'could', 'into', 'than', 'then', 'they', 'them', 'their', 'which', 'what', 'when', 'where', 'who', 'how', 'each', 'also']);

/** Dice coefficient of the two texts' content tokens (multisets), in [0, 1]. */
export function textSimilarity(a: string, b: string): number {
  const ta = contentTokens(a);
  const tb = contentTokens(b);
  if (!ta.length || !tb.length) return 0;
  const counts = new Map<string, number>();
  for (const t of tb) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of ta) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      common++;
      counts.set(t, n - 1);
    }
  }
  return (2 * common) / (ta.length + tb.length);
}

/** Share of the reference's distinct content tokens that the answer contains, in [0, 1]. */
export function referenceCoverage(answer: string, reference: string): number {
  const ref = new Set(contentTokens(reference));
  if (!ref.size) return 0;
  const have = new Set(contentTokens(answer));
  let n = 0;
  for (const t of ref) if (have.has(t)) n++;
  return n / ref.size;
}

export interface Evidence {
  /** What the deterministic evidence suggests the answer is worth, as a fraction in [0, 1]. */
  estimate: number;
  /** The figures behind it, for the reviewer. */
  basis: string;
}

/**
 * Evidence from the reference (a reference answer, or the rubric's text for short answers): similarity and coverage
 * of its content, scaled so that an answer saying the reference's things in other words reaches about 0.6-0.9, and
 * length against the reference (a tenth of the reference's length cannot be a full answer).
 */
export function referenceEvidence(answer: string, reference: string): Evidence {
  const similarity = textSimilarity(answer, reference);
  const coverage = referenceCoverage(answer, reference);
  const lengthRatio = compactOf(reference).length ? compactOf(answer).length / compactOf(reference).length : 1;
  const content = Math.min(1, 0.15 + 1.6 * Math.max(similarity, coverage));
  const length = Math.min(1, lengthRatio / 0.35);
  const estimate = round2(content * length);
  return { estimate, basis: `similarity ${round2(similarity)}, coverage ${round2(coverage)}, length ratio ${round2(lengthRatio)}` };
}

/** Evidence from hidden-case checks (prompt tasks): the share of checks the prompt's outputs passed, and its structure. */
export function executionEvidence(executionFraction: number | null, missingVariableCount: number, promptLength: number): Evidence | null {
  if (executionFraction === null) return null;
  const structure = missingVariableCount > 0 || promptLength < 20 ? 0.5 : 1;
  return { estimate: round2(Math.min(1, 0.25 + executionFraction) * structure), basis: `hidden-case checks passed ${round2(executionFraction)}, missing variables ${missingVariableCount}, length ${promptLength}` };
}

/** Default largest gap between the model's fraction and the evidence's before a person looks. */
export const PLAUSIBILITY_MAX_GAP = 0.4;

export function implausible(llmFraction: number, evidence: Evidence | null, maxGap = PLAUSIBILITY_MAX_GAP): boolean {
  return evidence !== null && llmFraction - evidence.estimate > maxGap;
}

/**
 * Whether a graded item is in the human audit sample: a hash of its key below the rate, so every process (and every
 * retry) makes the same choice without shared state.
 */
export function inAuditSample(key: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x45d9f3b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 0x100000000 < rate;
}

/**
 * Datamarking (spotlighting): the candidate's text with `marker` in place of every run of white space and after
 * every 12 characters of an unbroken run (Chinese has no spaces), so the judge can tell every piece of it for data.
 * The system message says what the marker means; the marker is chosen per grade so a candidate cannot predict it.
 */
export function datamark(text: string, marker: string): string {
  return text
    .split(/\s+/u)
    .filter((w) => w !== '')
    .map((w) => [...w].reduce((acc, ch, i) => acc + (i > 0 && i % 12 === 0 ? marker : '') + ch, ''))
    .join(marker);
}

/** Markers for datamarking: symbols that do not occur in ordinary Chinese or English text. */
export const DATAMARKS = ['¶', '¤', '‡', '¦', '§', '†', '⁂', '⌁'];

const round2 = (x: number) => Math.round(x * 100) / 100;
