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
  multipleScoring: 'all_or_nothing' | 'partial' | 'weighted';
  /** Fill in the blank: one accepted answer per line. */
  accepted: string;
  rubric: string;
  exerciseId: number | null;
  promptTaskId: number | null;
  feedback: string;
  /** Numerical: one answer a line, `value | tolerance | weight %` (tolerance and weight may be left out: 0 and 100). */
  numeric: string;
  /** Matching: one pair a line, `prompt -> answer`; a line `-> answer` is an extra wrong answer. */
  pairs: string;
  /**
   * The stored content the draft came from: what this editor does not show (imported per-option feedback and
   * weights, partial answers, the question's name, HTML format and files) is carried over unchanged on save.
   */
  base: QuestionContent | null;
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
    numeric: '',
    pairs: '',
    base: null,
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
    numeric: (c.numericAnswers ?? []).map((a) => `${a.value} | ${a.tolerance} | ${a.weight}`).join('\n'),
    pairs: [...(c.pairs ?? []).map((p) => `${p.prompt} -> ${p.answer}`), ...(c.distractors ?? []).map((a) => `-> ${a}`)].join('\n'),
    base: c,
    levels: [...q.tags.levels],
    dutyArea: q.tags.dutyArea,
    knowledgePoint: q.tags.knowledgePoint,
    difficulty: q.tags.difficulty,
  };
}

/** Only the fields of the chosen type go to the server. */
export function draftToRequest(d: QuestionDraft): CreateQuestionRequest {
  const content: QuestionContent = { stem: d.stem.trim() };
  const base = d.base;
  if (base?.name) content.name = base.name;
  if (base?.format) content.format = base.format;
  if (base?.media) content.media = base.media;
  if (isChoice(d.type)) {
    // Options keep their imported feedback and weight by position (the editor shows text and right/wrong only).
    content.options = d.options.map((o, i) => {
      const was = base?.options?.[i];
      return { key: optionKey(i), text: o.text.trim(), ...(was?.feedback && { feedback: was.feedback }), ...(was?.weight !== undefined && { weight: was.weight }) };
    });
    content.correctKeys = d.options.flatMap((o, i) => (o.correct ? [optionKey(i)] : []));
    if (d.type === 'multiple_choice') content.multipleScoring = d.multipleScoring;
  }
  if (d.type === 'true_false' && d.answer !== null) content.answer = d.answer;
  if (d.type === 'fill_blank') {
    content.acceptedAnswers = d.accepted.split('\n').map((a) => a.trim()).filter(Boolean);
    if (base?.partialAnswers) content.partialAnswers = base.partialAnswers;
    if (base?.acceptedFeedback && base.acceptedAnswers?.join('\n') === content.acceptedAnswers.join('\n')) content.acceptedFeedback = base.acceptedFeedback;
    if (base?.wildcards) content.wildcards = true;
  }
  if (d.type === 'true_false') {
    if (base?.trueFeedback) content.trueFeedback = base.trueFeedback;
    if (base?.falseFeedback) content.falseFeedback = base.falseFeedback;
  }
  if (d.type === 'numerical') {
    content.numericAnswers = d.numeric.split('\n').map((l) => l.trim()).filter(Boolean).map((line, i) => {
      const [value, tolerance, weight] = line.split('|').map((x) => x.trim());
      const was = base?.numericAnswers?.[i];
      return { value: Number(value), tolerance: tolerance ? Number(tolerance) : 0, weight: weight ? Number(weight.replace('%', '')) : 100, ...(was?.feedback && { feedback: was.feedback }) };
    });
  }
  if (d.type === 'matching') {
    const lines = d.pairs.split('\n').map((l) => l.trim()).filter(Boolean);
    content.pairs = lines.filter((l) => !l.startsWith('->')).map((l, i) => {
      const at = l.indexOf('->');
      return { key: String(i + 1), prompt: (at < 0 ? l : l.slice(0, at)).trim(), answer: at < 0 ? '' : l.slice(at + 2).trim() };
    });
    const distractors = lines.filter((l) => l.startsWith('->')).map((l) => l.slice(2).trim()).filter(Boolean);
    if (distractors.length) content.distractors = distractors;
  }
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
  'must list at least one answer': 'bank.problem.numeric',
  'one answer must be worth 100 %': 'bank.problem.numericFull',
  'must have at least 2 pairs': 'bank.problem.pairs',
  'must name a labelling exercise': 'bank.problem.exercise',
  'must name a prompt task': 'bank.problem.promptTask',
  'must contain at least 1 elements': 'bank.problem.levels',
  'cannot change; create a new question instead': 'bank.problem.typeFixed',
};

export const problemKey = (problem: string): MessageKey | null => PROBLEM_KEYS[problem] ?? null;
