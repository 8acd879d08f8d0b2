/** One thing wrong with an answer, named by its field path (`spans[2].start`), so an API can answer 400 with it. */
export interface FieldProblem {
  path: string;
  problem: string;
}

export type ScoringErrorCode = 'NO_ITEMS' | 'DUPLICATE_ITEM' | 'UNKNOWN_ITEM' | 'INVALID_INPUT' | 'INVALID_OPTIONS';

/**
 * Thrown when a scorer is given input it cannot score exactly (no gold items, an answer for an unknown item,
 * two answers for one item, bad options). A grading job should treat it as a permanent failure: retrying cannot help.
 */
export class ScoringInputError extends Error {
  readonly code: ScoringErrorCode;
  readonly problems: readonly FieldProblem[];

  constructor(code: ScoringErrorCode, message: string, problems: readonly FieldProblem[] = []) {
    super(message);
    this.name = 'ScoringInputError';
    this.code = code;
    this.problems = problems;
  }
}
