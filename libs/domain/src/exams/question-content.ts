import { codedProblem, type ProblemArgs, type ProblemCode, type ProblemParamValue, type QuestionContent, type QuestionType } from '@aitrainer/contracts';

/** A wrong field of a question's content: the English text, and the stable code with its params. */
export interface ContentProblem {
  field: string;
  problem: string;
  code: ProblemCode;
  params?: Record<string, ProblemParamValue>;
}

/** The stored content's JSON must fit a TEXT column (65,535 bytes) with room to spare. */
export const MAX_QUESTION_CONTENT_BYTES = 60_000;
const MAX_OPTIONS = 26;
const MAX_ACCEPTED_ANSWERS = 50;

/** UTF-8 byte length without Node's Buffer (this library is framework- and runtime-free). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/**
 * What is wrong with a question's content for its type (empty when it can be asked and scored). Any shape may
 * arrive (the API's body, an import): every field is checked for its type before it is used.
 */
export function questionContentProblems(type: QuestionType, content: QuestionContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const add = <C extends ProblemCode>(field: string, code: C, ...args: ProblemArgs<C>) => problems.push({ field: `content.${field}`, ...codedProblem(code, ...args) });
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    problems.push({ field: 'content', ...codedProblem('NOT_AN_OBJECT') });
    return problems;
  }
  const c = content as unknown as Record<string, unknown>;
  if (!isText(c['stem'], 10_000)) add('stem', 'TEXT_REQUIRED_MAX', { max: 10_000 });
  for (const key of ['rubric', 'feedback'] as const) {
    if (c[key] !== undefined && c[key] !== null && (typeof c[key] !== 'string' || (c[key] as string).length > 10_000)) add(key, 'TEXT_MAX', { max: 10_000 });
  }
  if (type === 'single_choice' || type === 'multiple_choice') {
    const options = c['options'] ?? [];
    let keys: string[] = [];
    if (!Array.isArray(options)) add('options', 'OPTIONS_FORMAT');
    else {
      if (options.length < 2) add('options', 'TOO_FEW_OPTIONS', { min: 2 });
      if (options.length > MAX_OPTIONS) add('options', 'TOO_MANY_OPTIONS', { max: MAX_OPTIONS });
      options.forEach((o: unknown, i) => {
        const option = (o !== null && typeof o === 'object' ? o : {}) as Record<string, unknown>;
        if (!isText(option['key'], 16)) add(`options[${i}].key`, 'TEXT_REQUIRED_MAX', { max: 16 });
        else keys.push(option['key'] as string);
        if (!isText(option['text'], 2000)) add(`options[${i}].text`, 'NOT_EMPTY_WITHIN', { max: 2000 });
      });
      if (new Set(keys).size !== keys.length) add('options', 'KEYS_DISTINCT');
    }
    keys = [...new Set(keys)];
    const correct = c['correctKeys'] ?? [];
    if (!Array.isArray(correct) || correct.some((k) => typeof k !== 'string')) add('correctKeys', 'CORRECT_KEYS_FORMAT');
    else {
      if (correct.some((k) => !keys.includes(k))) add('correctKeys', 'CORRECT_KEYS_UNKNOWN');
    }
    const list = (Array.isArray(options) ? options : []) as { weight?: unknown }[];
    list.forEach((o, i) => {
      if (o !== null && typeof o === 'object' && o.weight !== undefined && !(typeof o.weight === 'number' && o.weight >= -100 && o.weight <= 100)) add(`options[${i}].weight`, 'PERCENT_RANGE', { min: -100, max: 100 });
    });
    const weighted = list.some((o) => o !== null && typeof o === 'object' && o.weight !== undefined);
    if (Array.isArray(correct)) {
      if (type === 'single_choice' && !weighted && correct.length !== 1) add('correctKeys', 'ONE_CORRECT');
      if (type === 'multiple_choice' && correct.length < 1) add('correctKeys', 'SOME_CORRECT');
    }
    if (type === 'single_choice' && weighted && !list.some((o) => o?.weight === 100)) add('options', 'OPTION_FULL_MARKS');
    if (c['multipleScoring'] !== undefined && !['all_or_nothing', 'partial', 'weighted'].includes(c['multipleScoring'] as string)) add('multipleScoring', 'MUST_BE_ONE_OF', { allowed: 'all_or_nothing, partial, weighted' });
    if (c['multipleScoring'] === 'weighted' && type === 'multiple_choice' && !list.some((o) => typeof o?.weight === 'number' && o.weight > 0)) add('options', 'POSITIVE_WEIGHT');
  }
  if (type === 'true_false' && typeof c['answer'] !== 'boolean') add('answer', 'NOT_A_BOOLEAN');
  if (type === 'fill_blank') {
    const accepted = c['acceptedAnswers'] ?? [];
    if (!Array.isArray(accepted) || accepted.length > MAX_ACCEPTED_ANSWERS || accepted.some((a) => typeof a !== 'string' || a.length > 500)) {
      add('acceptedAnswers', 'ACCEPTED_FORMAT', { max: MAX_ACCEPTED_ANSWERS, maxLength: 500 });
    } else if (!accepted.some((a) => (a as string).trim())) add('acceptedAnswers', 'ACCEPTED_REQUIRED');
    const partial = c['partialAnswers'] ?? [];
    if (!Array.isArray(partial)) add('partialAnswers', 'PARTIAL_FORMAT');
    else
      partial.forEach((a: unknown, i) => {
        const answer = (a !== null && typeof a === 'object' ? a : {}) as Record<string, unknown>;
        if (!isText(answer['text'], 500)) add(`partialAnswers[${i}].text`, 'REQUIRED');
        const w = answer['weight'];
        if (!(typeof w === 'number' && w >= 0 && w < 100)) add(`partialAnswers[${i}].weight`, 'PERCENT_BELOW_100');
      });
  }
  if (type === 'numerical') {
    const answers = c['numericAnswers'] ?? [];
    if (!Array.isArray(answers) || !answers.length) add('numericAnswers', 'NUMERIC_REQUIRED');
    else {
      const list = answers.map((a: unknown) => (a !== null && typeof a === 'object' ? a : {}) as Record<string, unknown>);
      list.forEach((a, i) => {
        if (!Number.isFinite(a['value'])) add(`numericAnswers[${i}].value`, 'NOT_A_NUMBER');
        if (!(Number.isFinite(a['tolerance']) && (a['tolerance'] as number) >= 0)) add(`numericAnswers[${i}].tolerance`, 'NUMBER_AT_LEAST', { min: 0 });
        const w = a['weight'];
        if (!(typeof w === 'number' && w >= 0 && w <= 100)) add(`numericAnswers[${i}].weight`, 'PERCENT_RANGE', { min: 0, max: 100 });
      });
      if (!list.some((a) => a['weight'] === 100)) add('numericAnswers', 'ANSWER_FULL_MARKS');
    }
  }
  if (type === 'matching') {
    const pairs = c['pairs'] ?? [];
    if (!Array.isArray(pairs)) add('pairs', 'PAIRS_FORMAT');
    else {
      const list = pairs.map((p: unknown) => (p !== null && typeof p === 'object' ? p : {}) as Record<string, unknown>);
      if (list.length < 2) add('pairs', 'TOO_FEW_PAIRS', { min: 2 });
      if (new Set(list.map((p) => p['key'])).size !== list.length) add('pairs', 'KEYS_DISTINCT');
      list.forEach((p, i) => {
        if (!isText(p['prompt'], 2000)) add(`pairs[${i}].prompt`, 'REQUIRED');
        if (!isText(p['answer'], 2000)) add(`pairs[${i}].answer`, 'REQUIRED');
      });
    }
  }
  if (type === 'labelling' && !(Number.isSafeInteger(c['labellingExerciseId']) && (c['labellingExerciseId'] as number) > 0)) add('labellingExerciseId', 'EXERCISE_REQUIRED');
  if (type === 'prompt_task' && !(Number.isSafeInteger(c['promptTaskId']) && (c['promptTaskId'] as number) > 0)) add('promptTaskId', 'PROMPT_TASK_REQUIRED');
  if (problems.length === 0 && utf8Length(JSON.stringify(content)) > MAX_QUESTION_CONTENT_BYTES) {
    problems.push({ field: 'content', ...codedProblem('CONTENT_TOO_LARGE', { max: MAX_QUESTION_CONTENT_BYTES }) });
  }
  return problems;
}
