import { ScoringInputError, problemAt, type FieldProblem } from './common/problems';
import { isArray, join } from './common/validate';
import { scoreBoundingBoxes, validateBoxAnswer, type BoxAnswer, type BoxOptions, type BoxResult, type ImageItem } from './boxes/bounding-boxes';
import { scoreMultiLabel, validateMultiLabelAnswer, type MultiLabelAnswer, type MultiLabelOptions, type MultiLabelResult } from './classification/multi-label';
import { scoreSingleLabel, validateSingleLabelAnswer, type ClassificationItem, type SingleLabelAnswer, type SingleLabelOptions, type SingleLabelResult } from './classification/single-label';
import { scoreDataCleaning, validateDataCleaningAnswer, type DataCleaningAnswer, type DataCleaningItem, type DataCleaningResult } from './cleaning/data-cleaning';
import { scoreDialogue, validateDialogueAnswer, type DialogueAnswer, type DialogueItem, type DialogueOptions, type DialogueResult } from './dialogue/intent-slots';
import { scoreRanking, validateRankingAnswer, type RankingAnswer, type RankingItem, type RankingResult } from './ranking/ranking';
import { scoreNamedEntities, validateSpanAnswer, type SpanAnswer, type SpanItem, type SpanOptions, type SpanResult } from './spans/named-entities';
import { scoreTranscription, validateTranscriptionAnswer, type TranscriptionAnswer, type TranscriptionItem, type TranscriptionOptions, type TranscriptionResult } from './transcription/transcription';
import { isTaskType, type TaskType } from './task-types';

/** For each task type: its item, answer (= gold) and options types and its result. */
export interface TaskTypeMap {
  text_classification: { item: ClassificationItem; answer: SingleLabelAnswer; options: SingleLabelOptions; result: SingleLabelResult };
  multi_label_classification: { item: ClassificationItem; answer: MultiLabelAnswer; options: MultiLabelOptions; result: MultiLabelResult };
  named_entity_spans: { item: SpanItem; answer: SpanAnswer; options: SpanOptions; result: SpanResult };
  image_bounding_boxes: { item: ImageItem; answer: BoxAnswer; options: BoxOptions; result: BoxResult };
  transcription: { item: TranscriptionItem; answer: TranscriptionAnswer; options: TranscriptionOptions; result: TranscriptionResult };
  dialogue_intent_slots: { item: DialogueItem; answer: DialogueAnswer; options: DialogueOptions; result: DialogueResult };
  response_ranking: { item: RankingItem; answer: RankingAnswer; options: Record<string, never>; result: RankingResult };
  data_cleaning: { item: DataCleaningItem; answer: DataCleaningAnswer; options: Record<string, never>; result: DataCleaningResult };
}

export type AnyScoreResult = TaskTypeMap[TaskType]['result'];

export interface TaskScorer<K extends TaskType> {
  taskType: K;
  /** Problems with one answer (also used for a gold record); `item` adds the checks that need it (label set, text length). */
  validateAnswer(answer: unknown, item?: TaskTypeMap[K]['item'], path?: string): FieldProblem[];
  score(gold: readonly TaskTypeMap[K]['answer'][], answers: readonly TaskTypeMap[K]['answer'][], options?: TaskTypeMap[K]['options']): TaskTypeMap[K]['result'];
}

/** The scorer for each task type name. */
export const scorers: { readonly [K in TaskType]: TaskScorer<K> } = {
  text_classification: { taskType: 'text_classification', validateAnswer: validateSingleLabelAnswer, score: scoreSingleLabel },
  multi_label_classification: { taskType: 'multi_label_classification', validateAnswer: validateMultiLabelAnswer, score: scoreMultiLabel },
  named_entity_spans: { taskType: 'named_entity_spans', validateAnswer: validateSpanAnswer, score: scoreNamedEntities },
  image_bounding_boxes: { taskType: 'image_bounding_boxes', validateAnswer: validateBoxAnswer, score: scoreBoundingBoxes },
  transcription: { taskType: 'transcription', validateAnswer: validateTranscriptionAnswer, score: scoreTranscription },
  dialogue_intent_slots: { taskType: 'dialogue_intent_slots', validateAnswer: validateDialogueAnswer, score: scoreDialogue },
  response_ranking: { taskType: 'response_ranking', validateAnswer: validateRankingAnswer, score: (gold, answers) => scoreRanking(gold, answers) },
  data_cleaning: { taskType: 'data_cleaning', validateAnswer: validateDataCleaningAnswer, score: (gold, answers) => scoreDataCleaning(gold, answers) },
};

/**
 * Problems with a whole submission (an array of answers): each answer's fields, an answer given twice for an
 * item, an answer for an item not in `items`. Paths look like `answers[3].spans[0].end`.
 * With `items`, each answer is also checked against its item (label set, text length, response ids).
 */
export function validateSubmission<K extends TaskType>(taskType: K, answers: unknown, items?: readonly TaskTypeMap[K]['item'][], base = 'answers'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isTaskType(taskType)) return [problemAt('taskType', 'UNKNOWN_TASK_TYPE', { taskType: String(taskType) })];
  if (!isArray(answers, base, problems)) return problems;
  const scorer = scorers[taskType] as TaskScorer<K>;
  const byId = items ? new Map(items.map((item) => [item.id, item] as const)) : undefined;
  const seen = new Set<string>();
  answers.forEach((answer, i) => {
    const at = join(base, i);
    const itemId = typeof answer === 'object' && answer !== null ? (answer as { itemId?: unknown }).itemId : undefined;
    const item = typeof itemId === 'string' ? byId?.get(itemId) : undefined;
    if (typeof itemId === 'string') {
      if (seen.has(itemId)) problems.push(problemAt(join(at, 'itemId'), 'ITEM_ANSWERED_TWICE', { item: itemId }));
      seen.add(itemId);
      if (byId && !item) problems.push(problemAt(join(at, 'itemId'), 'NO_SUCH_ITEM', { item: itemId }));
    }
    problems.push(...scorer.validateAnswer(answer, item, at));
  });
  return problems;
}

/**
 * Validates gold and answers (shapes, duplicates) and scores them: what a grading job calls with stored JSON.
 * @throws ScoringInputError INVALID_INPUT listing every problem, or the scorer's own errors.
 */
export function scoreSubmission<K extends TaskType>(taskType: K, gold: unknown, answers: unknown, options?: TaskTypeMap[K]['options']): TaskTypeMap[K]['result'] {
  if (!isTaskType(taskType)) throw new ScoringInputError('INVALID_INPUT', `unknown task type "${String(taskType)}"`, [problemAt('taskType', 'UNKNOWN_TASK_TYPE', { taskType: String(taskType) })]);
  const problems = [...validateSubmission(taskType, gold, undefined, 'gold'), ...validateSubmission(taskType, answers, undefined, 'answers')];
  if (problems.length) throw new ScoringInputError('INVALID_INPUT', 'the gold or the answers are not valid', problems);
  const scorer = scorers[taskType] as TaskScorer<K>;
  return scorer.score(gold as TaskTypeMap[K]['answer'][], answers as TaskTypeMap[K]['answer'][], options);
}
