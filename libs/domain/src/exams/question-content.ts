import type { QuestionContent, QuestionType } from '@aitrainer/contracts';

export interface ContentProblem {
  field: string;
  problem: string;
}

/** What is wrong with a question's content for its type (empty when it can be asked and scored). */
export function questionContentProblems(type: QuestionType, content: QuestionContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `content.${field}`, problem });
  if (typeof content.stem !== 'string' || !content.stem.trim()) add('stem', 'must not be empty');
  if (type === 'single_choice' || type === 'multiple_choice') {
    const options = content.options ?? [];
    if (options.length < 2) add('options', 'must have at least 2 options');
    const keys = options.map((o) => o.key);
    if (new Set(keys).size !== keys.length) add('options', 'keys must be distinct');
    options.forEach((o, i) => {
      if (typeof o.text !== 'string' || !o.text.trim()) add(`options[${i}].text`, 'must not be empty');
    });
    const correct = content.correctKeys ?? [];
    if (correct.some((k) => !keys.includes(k))) add('correctKeys', 'must name existing option keys');
    const weighted = options.some((o) => o.weight !== undefined);
    options.forEach((o, i) => {
      if (o.weight !== undefined && !(typeof o.weight === 'number' && o.weight >= -100 && o.weight <= 100)) add(`options[${i}].weight`, 'must be a percentage from -100 to 100');
    });
    if (type === 'single_choice' && !weighted && correct.length !== 1) add('correctKeys', 'must name exactly one option');
    if (type === 'single_choice' && weighted && !options.some((o) => o.weight === 100)) add('options', 'one option must be worth 100 %');
    if (type === 'multiple_choice' && correct.length < 1) add('correctKeys', 'must name at least one option');
    if (content.multipleScoring === 'weighted' && type === 'multiple_choice' && !options.some((o) => (o.weight ?? 0) > 0)) add('options', 'at least one option must have a positive weight');
  }
  if (type === 'fill_blank') {
    (content.partialAnswers ?? []).forEach((a, i) => {
      if (typeof a.text !== 'string' || !a.text.trim()) add(`partialAnswers[${i}].text`, 'must not be empty');
      if (!(typeof a.weight === 'number' && a.weight >= 0 && a.weight < 100)) add(`partialAnswers[${i}].weight`, 'must be a percentage from 0 to below 100');
    });
  }
  if (type === 'numerical') {
    const answers = content.numericAnswers ?? [];
    if (!answers.length) add('numericAnswers', 'must list at least one answer');
    answers.forEach((a, i) => {
      if (!Number.isFinite(a.value)) add(`numericAnswers[${i}].value`, 'must be a number');
      if (!(Number.isFinite(a.tolerance) && a.tolerance >= 0)) add(`numericAnswers[${i}].tolerance`, 'must be a number of at least 0');
      if (!(typeof a.weight === 'number' && a.weight >= 0 && a.weight <= 100)) add(`numericAnswers[${i}].weight`, 'must be a percentage from 0 to 100');
    });
    if (answers.length && !answers.some((a) => a.weight === 100)) add('numericAnswers', 'one answer must be worth 100 %');
  }
  if (type === 'matching') {
    const pairs = content.pairs ?? [];
    if (pairs.length < 2) add('pairs', 'must have at least 2 pairs');
    if (new Set(pairs.map((p) => p.key)).size !== pairs.length) add('pairs', 'keys must be distinct');
    pairs.forEach((p, i) => {
      if (typeof p.prompt !== 'string' || !p.prompt.trim()) add(`pairs[${i}].prompt`, 'must not be empty');
      if (typeof p.answer !== 'string' || !p.answer.trim()) add(`pairs[${i}].answer`, 'must not be empty');
    });
  }
  if (type === 'true_false' && typeof content.answer !== 'boolean') add('answer', 'must be true or false');
  if (type === 'fill_blank' && !(content.acceptedAnswers ?? []).some((a) => typeof a === 'string' && a.trim())) add('acceptedAnswers', 'must list at least one accepted answer');
  if (type === 'labelling' && !Number.isInteger(content.labellingExerciseId)) add('labellingExerciseId', 'must name a labelling exercise');
  if (type === 'prompt_task' && !Number.isInteger(content.promptTaskId)) add('promptTaskId', 'must name a prompt task');
  return problems;
}
