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

/**
 * Scores an objective answer. Multiple choice: all-or-nothing, or partial credit = (right picks - wrong picks) /
 * correct options, floored at 0. A missing or malformed answer scores 0. Returns null for types that need a grader.
 */
export function scoreObjective(type: QuestionType, content: QuestionContent, value: ExamAnswerValue | null | undefined, points: number): ObjectiveScore | null {
  const none = { score: 0, correct: false };
  switch (type) {
    case 'true_false':
      if (typeof value !== 'boolean') return none;
      return value === content.answer ? { score: points, correct: true } : none;
    case 'single_choice': {
      if (typeof value !== 'string') return none;
      return content.correctKeys?.length === 1 && content.correctKeys[0] === value ? { score: points, correct: true } : none;
    }
    case 'multiple_choice': {
      if (!Array.isArray(value)) return none;
      const chosen = new Set(value);
      const correct = new Set(content.correctKeys ?? []);
      const right = [...chosen].filter((k) => correct.has(k)).length;
      const wrong = chosen.size - right;
      const exact = wrong === 0 && right === correct.size && correct.size > 0;
      if (exact) return { score: points, correct: true };
      if (content.multipleScoring !== 'partial' || correct.size === 0) return none;
      return { score: round((Math.max(0, right - wrong) / correct.size) * points), correct: false };
    }
    case 'fill_blank': {
      if (typeof value !== 'string') return none;
      const given = normaliseBlank(value);
      const ok = given.length > 0 && (content.acceptedAnswers ?? []).some((a) => normaliseBlank(a) === given);
      return ok ? { score: points, correct: true } : none;
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
    default:
      return value !== null && typeof value === 'object' ? null : 'must be an object';
  }
}
