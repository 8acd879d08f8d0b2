import type { ExamAnswerValue, QuestionContent, QuestionType } from '@aitrainer/contracts';

/**
 * Fill-in-the-blank comparison form: full-width ASCII (ＡＢＣ１２３) to half-width, the ideographic space to a space,
 * all white space removed, lower case. NFKC does the width folding.
 */
export function normaliseBlank(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

export interface ObjectiveScore {
  /** Points earned, 0..points. */
  score: number;
  correct: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
/** A share of the points from a percent weight, floored at 0 and at most all of them. */
const share = (percent: number, points: number) => round((Math.min(100, Math.max(0, percent)) / 100) * points);

/** Moodle short-answer matching with wildcards: `*` matches any text, `\*` is a star; compared normalised. */
function wildcardMatch(pattern: string, given: string): boolean {
  const parts = pattern.split(/(?<!\\)\*/).map((p) => normaliseBlank(p.replace(/\\\*/g, '*')).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'su').test(given);
}

/** The first graded numeric answer the response falls within (Moodle's qtype_numerical takes the first match). */
function numericWeight(content: QuestionContent, value: string): number | null {
  const x = Number(value.normalize('NFKC').trim());
  if (value.trim() === '' || !Number.isFinite(x)) return null;
  for (const a of content.numericAnswers ?? []) {
    const slack = 1e-9 * Math.max(1, Math.abs(a.value));
    if (Math.abs(x - a.value) <= a.tolerance + slack) return a.weight;
  }
  return null;
}

/**
 * Scores an objective answer. Single choice: the right key scores all points, or, when options carry Moodle weights,
 * the chosen option's weight (floored at 0). Multiple choice: all-or-nothing, partial credit = (right picks - wrong
 * picks) / correct options floored at 0, or weighted (Moodle's multiple-answer rule: the picked options' weights add
 * up, floored at 0 and capped at 100 %). Fill in the blank: a full-credit answer, else the best partial answer's
 * weight. Numerical: the first answer within its tolerance. Matching: the share of prompts matched right.
 * A missing or malformed answer scores 0. Returns null for types that need a grader.
 */
export function scoreObjective(type: QuestionType, content: QuestionContent, value: ExamAnswerValue | null | undefined, points: number): ObjectiveScore | null {
  const none = { score: 0, correct: false };
  switch (type) {
    case 'true_false':
      if (typeof value !== 'boolean') return none;
      return value === content.answer ? { score: points, correct: true } : none;
    case 'single_choice': {
      if (typeof value !== 'string') return none;
      if (content.options?.some((o) => o.weight !== undefined)) {
        const weight = content.options.find((o) => o.key === value)?.weight ?? 0;
        return weight >= 100 ? { score: points, correct: true } : { score: share(weight, points), correct: false };
      }
      return content.correctKeys?.length === 1 && content.correctKeys[0] === value ? { score: points, correct: true } : none;
    }
    case 'multiple_choice': {
      if (!Array.isArray(value)) return none;
      const chosen = new Set(value);
      const correct = new Set(content.correctKeys ?? []);
      const right = [...chosen].filter((k) => correct.has(k)).length;
      const wrong = chosen.size - right;
      const exact = wrong === 0 && right === correct.size && correct.size > 0;
      if (content.multipleScoring === 'weighted') {
        const weights = new Map((content.options ?? []).map((o) => [o.key, o.weight ?? 0]));
        const total = [...chosen].reduce((sum, k) => sum + (weights.get(k) ?? 0), 0);
        const score = share(total, points);
        return { score, correct: score >= points };
      }
      if (exact) return { score: points, correct: true };
      if (content.multipleScoring !== 'partial' || correct.size === 0) return none;
      return { score: round((Math.max(0, right - wrong) / correct.size) * points), correct: false };
    }
    case 'fill_blank': {
      if (typeof value !== 'string') return none;
      const given = normaliseBlank(value);
      if (!given.length) return none;
      const matches = (a: string) => (content.wildcards ? wildcardMatch(a, given) : normaliseBlank(a) === given);
      if ((content.acceptedAnswers ?? []).some(matches)) return { score: points, correct: true };
      const best = Math.max(0, ...(content.partialAnswers ?? []).filter((a) => matches(a.text)).map((a) => a.weight));
      return best > 0 ? { score: share(best, points), correct: false } : none;
    }
    case 'numerical': {
      if (typeof value !== 'string') return none;
      const weight = numericWeight(content, value);
      if (weight === null || weight <= 0) return none;
      return weight >= 100 ? { score: points, correct: true } : { score: share(weight, points), correct: false };
    }
    case 'matching': {
      const pairs = content.pairs ?? [];
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !pairs.length) return none;
      const chosen = value as Record<string, unknown>;
      const right = pairs.filter((p) => chosen[p.key] === p.answer).length;
      return right === pairs.length ? { score: points, correct: true } : { score: round((right / pairs.length) * points), correct: false };
    }
    default:
      return null;
  }
}

/** Is this answer value the right shape for the type? (Checked at save time, so the stored answer is scorable.) */
export function answerShapeProblem(type: QuestionType, content: QuestionContent, value: unknown): string | null {
  const keys = new Set((content.options ?? []).map((o) => o.key));
  switch (type) {
    case 'true_false':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'single_choice':
      return typeof value === 'string' && (value === '' || keys.has(value)) ? null : 'must be one of the option keys';
    case 'multiple_choice':
      return Array.isArray(value) && value.every((k) => typeof k === 'string' && keys.has(k)) && new Set(value).size === value.length ? null : 'must be a list of distinct option keys';
    case 'fill_blank':
    case 'short_answer':
      return typeof value === 'string' && value.length <= 20000 ? null : 'must be text of at most 20000 characters';
    case 'numerical':
      return typeof value === 'string' && value.length <= 100 ? null : 'must be text of at most 100 characters';
    case 'matching': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must map prompt keys to answers';
      const entries = Object.entries(value);
      if (entries.length > 200 || !entries.every(([k, v]) => k.length <= 20 && typeof v === 'string' && v.length <= 2000)) return 'must map prompt keys to answers';
      // With the question at hand (not on the save path, which knows only the paper), keys and answers must be its own.
      if (!content.pairs) return null;
      const prompts = new Set(content.pairs.map((p) => p.key));
      const choices = new Set(matchChoices(content));
      return entries.every(([k, v]) => prompts.has(k) && (v === '' || choices.has(v as string))) ? null : 'must map prompt keys to answers';
    }
    default:
      return value !== null && typeof value === 'object' ? null : 'must be an object';
  }
}

/** The answers a matching question offers every prompt: its pairs' answers and its distractors, distinct, sorted. */
export function matchChoices(content: QuestionContent): string[] {
  return [...new Set([...(content.pairs ?? []).map((p) => p.answer), ...(content.distractors ?? [])])].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/**
 * The feedback an author wrote for what the candidate answered (Moodle shows it in review, as the specific feedback):
 * each chosen option's, the chosen true/false answer's, or the fill-in or numerical answer the response matched
 * (full credit first, else the best partial one; numerical: the first within tolerance). Only what was chosen: no
 * other option's feedback, no weights and no correct keys. Keys: the option key, 'true'/'false', or 'answer'.
 */
export function answerFeedback(type: QuestionType, content: QuestionContent, value: ExamAnswerValue | null | undefined): { key: string; text: string }[] {
  const found = (key: string, text: string | undefined) => (text ? [{ key, text }] : []);
  switch (type) {
    case 'true_false':
      return typeof value === 'boolean' ? found(String(value), value ? content.trueFeedback : content.falseFeedback) : [];
    case 'single_choice':
      return typeof value === 'string' ? found(value, content.options?.find((o) => o.key === value)?.feedback) : [];
    case 'multiple_choice': {
      if (!Array.isArray(value)) return [];
      const chosen = new Set(value);
      return (content.options ?? []).filter((o) => chosen.has(o.key)).flatMap((o) => found(o.key, o.feedback));
    }
    case 'fill_blank': {
      if (typeof value !== 'string') return [];
      const given = normaliseBlank(value);
      if (!given.length) return [];
      const matches = (a: string) => (content.wildcards ? wildcardMatch(a, given) : normaliseBlank(a) === given);
      const full = (content.acceptedAnswers ?? []).findIndex(matches);
      if (full >= 0) return found('answer', content.acceptedFeedback?.[full]);
      const partial = (content.partialAnswers ?? []).filter((a) => matches(a.text)).sort((a, b) => b.weight - a.weight)[0];
      return found('answer', partial?.feedback);
    }
    case 'numerical': {
      if (typeof value !== 'string' || value.trim() === '') return [];
      const x = Number(value.normalize('NFKC').trim());
      if (!Number.isFinite(x)) return [];
      const hit = (content.numericAnswers ?? []).find((a) => Math.abs(x - a.value) <= a.tolerance + 1e-9 * Math.max(1, Math.abs(a.value)));
      return found('answer', hit?.feedback);
    }
    default:
      return [];
  }
}
