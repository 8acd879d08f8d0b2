import { codedProblem, type ProblemArgs, type ProblemCode, type ProblemParamValue } from '@aitrainer/contracts';

/**
 * One thing wrong with an answer, named by its field path (`spans[2].start`), so an API can answer 400 with it: the
 * English text, and the stable code with its params the portal words in the reader's language.
 */
export interface FieldProblem {
  path: string;
  problem: string;
  code?: ProblemCode | (string & {});
  params?: Record<string, ProblemParamValue>;
}

/** A problem at `path` from its code and the params its text takes, e.g. `problemAt('spans[0].end', 'SPAN_END_BEFORE_START')`. */
export function problemAt<C extends ProblemCode>(path: string, code: C, ...args: ProblemArgs<C>): FieldProblem {
  const p = codedProblem(code, ...args);
  return { path, problem: p.problem, code: p.code, ...(p.params && { params: p.params }) };
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
