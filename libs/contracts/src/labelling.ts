/**
 * Data-labelling exercises: an instructor's dataset with gold answers, practised by students.
 * Answer values use the shapes of `@aitrainer/scoring` (one per task type) without the `itemId`.
 */

/** Same names as `TASK_TYPES` in @aitrainer/scoring (contracts may not import it). */
export const LABELLING_TASK_TYPES = [
  'text_classification',
  'multi_label_classification',
  'named_entity_spans',
  'image_bounding_boxes',
  'transcription',
  'dialogue_intent_slots',
  'response_ranking',
  'data_cleaning',
] as const;
export type LabellingTaskType = (typeof LABELLING_TASK_TYPES)[number];

export const EXERCISE_STATUSES = ['draft', 'published'] as const;
export type ExerciseStatus = (typeof EXERCISE_STATUSES)[number];

/** Who sees a published exercise: students of the owner's organisation, or every student on the platform. */
export const EXERCISE_AUDIENCES = ['organisation', 'platform'] as const;
export type ExerciseAudience = (typeof EXERCISE_AUDIENCES)[number];

/** The label sets an exercise offers; which ones apply depends on the task type. */
export interface ExerciseLabels {
  /** Classes (classification), box labels (image boxes). */
  labels?: string[];
  /** Entity types (named-entity spans). */
  entityTypes?: string[];
  /** Intents and slot names (dialogue). */
  intents?: string[];
  slotNames?: string[];
}

/** Scoring options stored with the exercise (defaults from @aitrainer/scoring when absent). */
export interface ExerciseScoringOptions {
  spanMode?: 'exact' | 'partial';
  iouThreshold?: number;
  cerFullMarksAtOrBelow?: number;
  cerZeroAtOrAbove?: number;
}

export interface CreateExerciseRequest extends ExerciseLabels {
  title: string;
  description?: string;
  taskType: LabellingTaskType;
  audience?: ExerciseAudience;
  scoring?: ExerciseScoringOptions;
}

export interface UpdateExerciseRequest extends ExerciseLabels {
  title?: string;
  description?: string;
  audience?: ExerciseAudience;
  scoring?: ExerciseScoringOptions;
}

export interface ExerciseView extends Required<ExerciseLabels> {
  id: number;
  title: string;
  description: string;
  taskType: LabellingTaskType;
  status: ExerciseStatus;
  audience: ExerciseAudience;
  scoring: ExerciseScoringOptions;
  itemCount: number;
  /** Instructor view only: items that have a gold answer. */
  goldCount?: number;
  ownerName: string;
  createdAt: string;
  publishedAt: string | null;
}

export interface DialogueTurnView {
  speaker: 'user' | 'agent';
  text: string;
}

/** What a student may see of an item: never its gold answer. Media are names served under the exercise. */
export interface ItemData {
  text?: string;
  /** Image file name (served at `/labelling/exercises/:id/media/:name`) or an absolute URL. */
  image?: string;
  width?: number;
  height?: number;
  audio?: string;
  machineTranscript?: string;
  turns?: DialogueTurnView[];
  prompt?: string;
  responses?: { id: string; text: string }[];
  topic?: string;
}

export interface ExerciseItemView {
  /** The item id from the dataset (stable across export and import). */
  id: string;
  position: number;
  data: ItemData;
  /** Only in the owner's view. */
  gold?: AnswerValue | null;
}

/** One answer (or gold) value; the shape depends on the task type. */
export type AnswerValue =
  | { label: string }
  | { labels: string[] }
  | { spans: { start: number; end: number; type: string }[] }
  | { boxes: { x: number; y: number; width: number; height: number; label: string }[] }
  | { text: string }
  | { intent: string; slots: { name: string; value: string }[] }
  | { ranking: string[][] }
  | { flags: string[] };

export interface SetGoldRequest {
  gold: AnswerValue;
}

export interface DatasetImportResult {
  imported: number;
  withGold: number;
  mediaFiles: number;
}

export const SUBMISSION_STATES = ['draft', 'submitted', 'graded', 'failed'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

export interface SaveAnswerRequest {
  /** Client sequence number: the server keeps the answer with the highest one. */
  seq: number;
  value: AnswerValue;
}

export interface SaveAnswerResponse {
  itemId: string;
  /** The sequence number now stored (higher than the one sent when a newer save had already arrived). */
  seq: number;
  saved: boolean;
}

/** Per-item feedback after grading: what @aitrainer/scoring reports (missed, wrong, extra). */
export interface ItemFeedbackView {
  itemId: string;
  correct: boolean;
  score: number;
  missed: unknown[];
  wrong: unknown[];
  extra: unknown[];
}

export interface SubmissionResultView {
  score: number;
  kappa: number | null;
  metrics: Record<string, unknown>;
  items: ItemFeedbackView[];
}

export interface SubmissionView {
  id: number;
  exerciseId: number;
  studentId: number;
  studentName?: string;
  state: SubmissionState;
  version: number;
  answers: { itemId: string; seq: number; value: AnswerValue }[];
  answeredCount: number;
  startedAt: string;
  submittedAt: string | null;
  gradedAt: string | null;
  /** Present once graded. */
  result: SubmissionResultView | null;
  failureReason: string | null;
}

export interface SubmissionSummaryView {
  id: number;
  studentId: number;
  studentName: string;
  state: SubmissionState;
  score: number | null;
  submittedAt: string | null;
}

/** Label Studio JSON: tasks with annotations (see docs/architecture.md for the mapping per task type). */
export interface LabelStudioResult {
  id?: string;
  from_name: string;
  to_name: string;
  type: string;
  value: Record<string, unknown>;
  original_width?: number;
  original_height?: number;
  image_rotation?: number;
}

export interface LabelStudioTask {
  id?: number | string;
  data: Record<string, unknown>;
  annotations?: { id?: number | string; result: LabelStudioResult[]; ground_truth?: boolean }[];
  predictions?: unknown[];
}
