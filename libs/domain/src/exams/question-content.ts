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
    if (type === 'single_choice' && correct.length !== 1) add('correctKeys', 'must name exactly one option');
    if (type === 'multiple_choice' && correct.length < 1) add('correctKeys', 'must name at least one option');
  }
  if (type === 'true_false' && typeof content.answer !== 'boolean') add('answer', 'must be true or false');
  if (type === 'fill_blank' && !(content.acceptedAnswers ?? []).some((a) => typeof a === 'string' && a.trim())) add('acceptedAnswers', 'must list at least one accepted answer');
  if (type === 'labelling' && !Number.isInteger(content.labellingExerciseId)) add('labellingExerciseId', 'must name a labelling exercise');
  if (type === 'prompt_task' && !Number.isInteger(content.promptTaskId)) add('promptTaskId', 'must name a prompt task');
  return problems;
}
