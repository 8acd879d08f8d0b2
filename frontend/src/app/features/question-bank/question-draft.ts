import { OCCUPATION_CODE, type CreateQuestionRequest, type Difficulty, type FieldProblem, type QuestionContent, type QuestionTags, type QuestionType, type QuestionView, type SkillLevel } from '@aitrainer/contracts';
import { questionContentProblems } from '@aitrainer/domain';
import type { MessageKey } from '../../core/i18n/messages.zh';

export interface DraftOption {
  /** Stable identity for the template's @for; the option key is its letter at save time. */
  uid: number;
  text: string;
  correct: boolean;
}

/** The editor's model of a question: every type's fields at once, so switching type keeps what was typed. */
export interface QuestionDraft {
  type: QuestionType;
  stem: string;
  options: DraftOption[];
  answer: boolean | null;
  multipleScoring: 'all_or_nothing' | 'partial';
  /** Fill in the blank: one accepted answer per line. */
  accepted: string;
  rubric: string;
  exerciseId: number | null;
  promptTaskId: number | null;
  feedback: string;
  levels: SkillLevel[];
  dutyArea: string;
  knowledgePoint: string;
  difficulty: Difficulty;
}

export const CHOICE_TYPES: readonly QuestionType[] = ['single_choice', 'multiple_choice'];
export const isChoice = (type: QuestionType): boolean => CHOICE_TYPES.includes(type);

let nextUid = 1;
export const newOption = (text = '', correct = false): DraftOption => ({ uid: nextUid++, text, correct });

/** Option keys by position: A, B, … Z, then 27, 28 … */
export const optionKey = (index: number): string => (index < 26 ? String.fromCharCode(65 + index) : String(index + 1));

export type DraftTags = Pick<QuestionDraft, 'levels' | 'dutyArea' | 'knowledgePoint' | 'difficulty'>;

export function emptyDraft(tags?: DraftTags): QuestionDraft {
  return {
    type: 'single_choice',
    stem: '',
    options: [newOption(), newOption(), newOption(), newOption()],
    answer: null,
    multipleScoring: 'all_or_nothing',
    accepted: '',
    rubric: '',
    exerciseId: null,
    promptTaskId: null,
    feedback: '',
    levels: tags ? [...tags.levels] : [],
    dutyArea: tags?.dutyArea ?? '',
    knowledgePoint: tags?.knowledgePoint ?? '',
    difficulty: tags?.difficulty ?? 'medium',
  };
}

export function draftFromQuestion(q: Pick<QuestionView, 'type' | 'content' | 'tags'>): QuestionDraft {
  const c = q.content;
  const correct = new Set(c.correctKeys ?? []);
  return {
    ...emptyDraft(),
    type: q.type,
    stem: c.stem,
    options: c.options?.length ? c.options.map((o) => newOption(o.text, correct.has(o.key))) : emptyDraft().options,
    answer: typeof c.answer === 'boolean' ? c.answer : null,
    multipleScoring: c.multipleScoring ?? 'all_or_nothing',
    accepted: (c.acceptedAnswers ?? []).join('\n'),
    rubric: c.rubric ?? '',
    exerciseId: c.labellingExerciseId ?? null,
    promptTaskId: c.promptTaskId ?? null,
    feedback: c.feedback ?? '',
    levels: [...q.tags.levels],
    dutyArea: q.tags.dutyArea,
    knowledgePoint: q.tags.knowledgePoint,
    difficulty: q.tags.difficulty,
  };
}

/** Only the fields of the chosen type go to the server. */
export function draftToRequest(d: QuestionDraft): CreateQuestionRequest {
  const content: QuestionContent = { stem: d.stem.trim() };
  if (isChoice(d.type)) {
    content.options = d.options.map((o, i) => ({ key: optionKey(i), text: o.text.trim() }));
    content.correctKeys = d.options.flatMap((o, i) => (o.correct ? [optionKey(i)] : []));
    if (d.type === 'multiple_choice') content.multipleScoring = d.multipleScoring;
  }
  if (d.type === 'true_false' && d.answer !== null) content.answer = d.answer;
  if (d.type === 'fill_blank') content.acceptedAnswers = d.accepted.split('\n').map((a) => a.trim()).filter(Boolean);
  if (d.type === 'short_answer') content.rubric = d.rubric.trim();
  if (d.type === 'labelling' && d.exerciseId !== null) content.labellingExerciseId = d.exerciseId;
  if (d.type === 'prompt_task' && d.promptTaskId !== null) content.promptTaskId = d.promptTaskId;
  if (d.feedback.trim()) content.feedback = d.feedback.trim();
  const tags: QuestionTags = {
    occupation: OCCUPATION_CODE,
    levels: [...d.levels].sort((a, b) => b - a),
    dutyArea: d.dutyArea.trim(),
    knowledgePoint: d.knowledgePoint.trim(),
    difficulty: d.difficulty,
  };
  return { type: d.type, content, tags };
}

/**
 * The server's checks, run before sending: the content rules are the same function the API uses
 * (`questionContentProblems`), the tag rules mirror the request DTO. Field names are the server's.
 */
export function requestProblems(req: CreateQuestionRequest): FieldProblem[] {
  const problems: FieldProblem[] = questionContentProblems(req.type, req.content).map((p) => ({ field: p.field, problem: p.problem }));
  if (!req.tags.levels.length) problems.push({ field: 'tags.levels', problem: 'must contain at least 1 elements' });
  if (!req.tags.dutyArea) problems.push({ field: 'tags.dutyArea', problem: 'must not be empty' });
  if (req.tags.dutyArea.length > 100) problems.push({ field: 'tags.dutyArea', problem: 'must be shorter than or equal to 100 characters' });
  if (req.tags.knowledgePoint.length > 200) problems.push({ field: 'tags.knowledgePoint', problem: 'must be shorter than or equal to 200 characters' });
  return problems;
}

/** The validators' English reasons for question fields, in the portal's words; others go through `I18n.reason`. */
const PROBLEM_KEYS: Readonly<Record<string, MessageKey>> = {
  'must have at least 2 options': 'bank.problem.twoOptions',
  'keys must be distinct': 'bank.problem.distinctKeys',
  'must name existing option keys': 'bank.problem.existingKeys',
  'must name exactly one option': 'bank.problem.oneCorrect',
  'must name at least one option': 'bank.problem.someCorrect',
  'must be true or false': 'bank.problem.trueFalse',
  'must list at least one accepted answer': 'bank.problem.accepted',
  'must name a labelling exercise': 'bank.problem.exercise',
  'must name a prompt task': 'bank.problem.promptTask',
  'must contain at least 1 elements': 'bank.problem.levels',
  'cannot change; create a new question instead': 'bank.problem.typeFixed',
};

export const problemKey = (problem: string): MessageKey | null => PROBLEM_KEYS[problem] ?? null;
