import type { QuestionContent, QuestionType } from '@aitrainer/contracts';

export interface ContentProblem {
  field: string;
  problem: string;
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
  const add = (field: string, problem: string) => problems.push({ field: `content.${field}`, problem });
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    problems.push({ field: 'content', problem: 'must be an object' });
    return problems;
  }
  const c = content as unknown as Record<string, unknown>;
  if (!isText(c['stem'], 10_000)) add('stem', 'must be a non-empty text of at most 10000 characters');
  for (const key of ['rubric', 'feedback'] as const) {
    if (c[key] !== undefined && c[key] !== null && (typeof c[key] !== 'string' || (c[key] as string).length > 10_000)) add(key, 'must be a text of at most 10000 characters');
  }
  if (type === 'single_choice' || type === 'multiple_choice') {
    const options = c['options'] ?? [];
    let keys: string[] = [];
    if (!Array.isArray(options)) add('options', 'must be a list of {key, text}');
    else {
      if (options.length < 2) add('options', 'must have at least 2 options');
      if (options.length > MAX_OPTIONS) add('options', `must have at most ${MAX_OPTIONS} options`);
      options.forEach((o: unknown, i) => {
        const option = (o !== null && typeof o === 'object' ? o : {}) as Record<string, unknown>;
        if (!isText(option['key'], 16)) add(`options[${i}].key`, 'must be a non-empty text of at most 16 characters');
        else keys.push(option['key'] as string);
        if (!isText(option['text'], 2000)) add(`options[${i}].text`, 'must not be empty (at most 2000 characters)');
      });
      if (new Set(keys).size !== keys.length) add('options', 'keys must be distinct');
    }
    keys = [...new Set(keys)];
    const correct = c['correctKeys'] ?? [];
    if (!Array.isArray(correct) || correct.some((k) => typeof k !== 'string')) add('correctKeys', 'must be a list of option keys');
    else {
      if (correct.some((k) => !keys.includes(k))) add('correctKeys', 'must name existing option keys');
    }
    const list = (Array.isArray(options) ? options : []) as { weight?: unknown }[];
    list.forEach((o, i) => {
      if (o !== null && typeof o === 'object' && o.weight !== undefined && !(typeof o.weight === 'number' && o.weight >= -100 && o.weight <= 100)) add(`options[${i}].weight`, 'must be a percentage from -100 to 100');
    });
    const weighted = list.some((o) => o !== null && typeof o === 'object' && o.weight !== undefined);
    if (Array.isArray(correct)) {
      if (type === 'single_choice' && !weighted && correct.length !== 1) add('correctKeys', 'must name exactly one option');
      if (type === 'multiple_choice' && correct.length < 1) add('correctKeys', 'must name at least one option');
    }
    if (type === 'single_choice' && weighted && !list.some((o) => o?.weight === 100)) add('options', 'one option must be worth 100 %');
    if (c['multipleScoring'] !== undefined && !['all_or_nothing', 'partial', 'weighted'].includes(c['multipleScoring'] as string)) add('multipleScoring', 'must be all_or_nothing, partial or weighted');
    if (c['multipleScoring'] === 'weighted' && type === 'multiple_choice' && !list.some((o) => typeof o?.weight === 'number' && o.weight > 0)) add('options', 'at least one option must have a positive weight');
  }
  if (type === 'true_false' && typeof c['answer'] !== 'boolean') add('answer', 'must be true or false');
  if (type === 'fill_blank') {
    const accepted = c['acceptedAnswers'] ?? [];
    if (!Array.isArray(accepted) || accepted.length > MAX_ACCEPTED_ANSWERS || accepted.some((a) => typeof a !== 'string' || a.length > 500)) {
      add('acceptedAnswers', `must be a list of at most ${MAX_ACCEPTED_ANSWERS} texts of at most 500 characters`);
    } else if (!accepted.some((a) => (a as string).trim())) add('acceptedAnswers', 'must list at least one accepted answer');
    const partial = c['partialAnswers'] ?? [];
    if (!Array.isArray(partial)) add('partialAnswers', 'must be a list of {text, weight}');
    else
      partial.forEach((a: unknown, i) => {
        const answer = (a !== null && typeof a === 'object' ? a : {}) as Record<string, unknown>;
        if (!isText(answer['text'], 500)) add(`partialAnswers[${i}].text`, 'must not be empty');
        const w = answer['weight'];
        if (!(typeof w === 'number' && w >= 0 && w < 100)) add(`partialAnswers[${i}].weight`, 'must be a percentage from 0 to below 100');
      });
  }
  if (type === 'numerical') {
    const answers = c['numericAnswers'] ?? [];
    if (!Array.isArray(answers) || !answers.length) add('numericAnswers', 'must list at least one answer');
    else {
      const list = answers.map((a: unknown) => (a !== null && typeof a === 'object' ? a : {}) as Record<string, unknown>);
      list.forEach((a, i) => {
        if (!Number.isFinite(a['value'])) add(`numericAnswers[${i}].value`, 'must be a number');
        if (!(Number.isFinite(a['tolerance']) && (a['tolerance'] as number) >= 0)) add(`numericAnswers[${i}].tolerance`, 'must be a number of at least 0');
        const w = a['weight'];
        if (!(typeof w === 'number' && w >= 0 && w <= 100)) add(`numericAnswers[${i}].weight`, 'must be a percentage from 0 to 100');
      });
      if (!list.some((a) => a['weight'] === 100)) add('numericAnswers', 'one answer must be worth 100 %');
    }
  }
  if (type === 'matching') {
    const pairs = c['pairs'] ?? [];
    if (!Array.isArray(pairs)) add('pairs', 'must be a list of {key, prompt, answer}');
    else {
      const list = pairs.map((p: unknown) => (p !== null && typeof p === 'object' ? p : {}) as Record<string, unknown>);
      if (list.length < 2) add('pairs', 'must have at least 2 pairs');
      if (new Set(list.map((p) => p['key'])).size !== list.length) add('pairs', 'keys must be distinct');
      list.forEach((p, i) => {
        if (!isText(p['prompt'], 2000)) add(`pairs[${i}].prompt`, 'must not be empty');
        if (!isText(p['answer'], 2000)) add(`pairs[${i}].answer`, 'must not be empty');
      });
    }
  }
  if (type === 'labelling' && !(Number.isSafeInteger(c['labellingExerciseId']) && (c['labellingExerciseId'] as number) > 0)) add('labellingExerciseId', 'must name a labelling exercise');
  if (type === 'prompt_task' && !(Number.isSafeInteger(c['promptTaskId']) && (c['promptTaskId'] as number) > 0)) add('promptTaskId', 'must name a prompt task');
  if (problems.length === 0 && utf8Length(JSON.stringify(content)) > MAX_QUESTION_CONTENT_BYTES) {
    problems.push({ field: 'content', problem: `must be at most ${MAX_QUESTION_CONTENT_BYTES} bytes as JSON` });
  }
  return problems;
}
