import type { FieldProblem } from './errors';
import type { GuardReport } from './grading';
import type { CriterionFeedback, ReviewReason, RubricCriterion } from './prompts';

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
  'sft_writing',
  'preference_rationale',
  'guideline_writing',
  'error_review',
] as const;
export type LabellingTaskType = (typeof LABELLING_TASK_TYPES)[number];

/**
 * Open-ended annotation work, graded (partly) by the judge model against the exercise's rubric:
 * SFT writing (reference answers from the instructor as gold), preference with a written rationale (choice exact),
 * annotation-guideline writing/review (标注规范), error review of a labelled batch (corrections exact).
 */
export const OPEN_TASK_TYPES = ['sft_writing', 'preference_rationale', 'guideline_writing', 'error_review'] as const;
export type OpenTaskType = (typeof OPEN_TASK_TYPES)[number];
export const isOpenTaskType = (t: string): t is OpenTaskType => (OPEN_TASK_TYPES as readonly string[]).includes(t);

/** Rubric grading of an open-ended exercise: the judged part's rubric, the weights of the exact and judged parts, the pass mark. */
export interface OpenTaskGrading {
  rubric: RubricCriterion[];
  /** Relative weights; the exact part counts only for types that have one (preference choice, error corrections). */
  weights: { exact: number; judged: number };
  /** Out of 100. */
  passMark: number;
}

export const EXERCISE_STATUSES = ['draft', 'published'] as const;
export type ExerciseStatus = (typeof EXERCISE_STATUSES)[number];

/**
 * Who sees a published exercise: students of the owner's organisation, every student on the platform, or nobody in
 * practice (`exam`: kept for exams' practical items, so no candidate meets an item they have practised).
 */
export const EXERCISE_AUDIENCES = ['organisation', 'platform', 'exam'] as const;
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
  /** Open-ended task types only (required for them). */
  openGrading?: OpenTaskGrading;
  /** Show each item's model pre-annotation (an imported Label Studio prediction) for the student to correct. */
  showPredictions?: boolean;
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
  /** Who speaks, as the dataset names them (`user`/`agent`, or a Label Studio dialogue's `Human`/`Robot`…). */
  speaker: string;
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
  /** SFT writing: the given instruction (write the response) or the given response (write the instruction). */
  instruction?: string;
  response?: string;
  sftDirection?: 'write_response' | 'write_instruction';
  /** Guideline writing/review: an existing guideline to review (absent: write one for the dataset in `text`). */
  guideline?: string;
  /** Error review: someone else's labelled batch (labels from the exercise's `labels`). */
  batch?: { id: string; text: string; label: string }[];
}

export interface ExerciseItemView {
  /** The item id from the dataset (stable across export and import). */
  id: string;
  position: number;
  data: ItemData;
  /** Only in the owner's view. */
  gold?: AnswerValue | null;
  /** A model's pre-annotation (Label Studio prediction) for the student to correct, when the exercise shows them. */
  prediction?: AnswerValue;
  /** Owner's view of a Label Studio import: every annotator's work and the predictions, as read. */
  annotations?: ItemAnnotationView[];
  predictions?: ItemAnnotationView[];
}

export interface ItemAnnotationView {
  /** Label Studio's annotation or prediction id. */
  ref: string;
  /** The annotator (annotations) or the model version (predictions). */
  by: string | null;
  gold: boolean;
  cancelled: boolean;
  /** null when Label Studio's result could not be read as this task type's answer (see the import report). */
  value: AnswerValue | null;
}

/** Label Studio export forms the import reads and the export writes back. */
export const LABEL_STUDIO_FORMATS = ['json', 'json-min', 'csv'] as const;
export type LabelStudioFormat = (typeof LABEL_STUDIO_FORMATS)[number];

/**
 * Which annotation becomes gold when none is marked `ground_truth` (a cancelled one never does):
 * the first listed, the latest updated, or none (the instructor marks gold afterwards).
 */
export const GOLD_RULES = ['first', 'latest', 'none'] as const;
export type GoldRule = (typeof GOLD_RULES)[number];

/** One remark of the import report, worded by the portal from `code` and `params`. */
export interface LabellingImportNote {
  code: ImportNoteCode;
  params: Record<string, string | number>;
}

export type ImportNoteCode =
  /** adapted */
  | 'box_clamped'
  | 'span_text_differs'
  | 'span_utf16_offsets'
  | 'media_matched'
  | 'ranker_unplaced'
  | 'gold_by_rule'
  | 'data_without_wrapper'
  /** kept beside gold */
  | 'annotations_kept'
  | 'predictions_kept'
  | 'cancelled_not_gold'
  /** dropped (kept in the export, not used here) */
  | 'result_unsupported'
  | 'annotation_unreadable'
  | 'prediction_unreadable'
  | 'no_gold';

export interface ImportTaskReport {
  /** Where in the file: `tasks[3]`, `records[5]`, `line 7`. */
  task: string;
  id: string;
  status: 'imported' | 'adapted' | 'refused';
  adapted: LabellingImportNote[];
  dropped: LabellingImportNote[];
  /** Why a task was refused, by field (like the API's validation errors: English text, code and params). */
  problems: FieldProblem[];
}

/** Agreement of a Label Studio import's annotators, per item, with the task type's scorer. */
export interface ExerciseAgreementView {
  items: { id: string; annotators: number; pairs: number; agreement: number | null }[];
  /** Mean over the items with at least two annotators; null when there are none. */
  mean: number | null;
}

/** One answer (or gold) value; the shape depends on the task type. */
export type AnswerValue =
  | { label: string }
  | { labels: string[] }
  | { spans: { start: number; end: number; type: string }[] }
  /** Boxes in percent of the image; `rotation` degrees clockwise about the top-left corner (Label Studio), absent when 0. */
  | { boxes: { x: number; y: number; width: number; height: number; label: string; rotation?: number }[] }
  | { text: string }
  | { intent: string; slots: { name: string; value: string }[] }
  | { ranking: string[][] }
  | { flags: string[] }
  /** Preference with rationale (gold: the choice; a reference rationale may be given). */
  | { choice: string; rationale: string }
  /** Error review: the wrong labels found, with the right label (gold) and the candidate's explanation. */
  | { corrections: { id: string; label: string; explanation?: string }[] };

export interface SetGoldRequest {
  gold: AnswerValue;
}

export interface DatasetImportResult {
  imported: number;
  withGold: number;
  /** Tasks refused (partial import only: otherwise a refused task refuses the file). */
  refused?: number;
  /** Label Studio import: per task, what was imported, adapted and dropped. */
  report?: ImportTaskReport[];
  mediaFiles: number;
}

export const SUBMISSION_STATES = ['draft', 'submitted', 'graded', 'failed', 'needs_review'] as const;
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
  /** Open-ended items: the exact part (0-1, null when the type has none) and the judged criteria. */
  exactScore?: number | null;
  judgedScore?: number | null;
  criteria?: CriterionFeedback[];
}

export interface SubmissionResultView {
  score: number;
  kappa: number | null;
  metrics: Record<string, unknown>;
  items: ItemFeedbackView[];
  /** Open-ended exercises: pass against the exercise's pass mark, who graded, and a reviewer's comment. */
  passed?: boolean;
  gradedBy?: 'auto' | 'llm' | 'human';
  reviewerComment?: string | null;
}

/** A model-written explanation of a candidate's most frequent mistakes; never part of the score. */
export interface MistakeExplanationView {
  status: 'pending' | 'ready' | 'unavailable';
  /** Grouped by label or error kind. */
  groups: { key: string; count: number; explanation: string }[];
  summary: string;
  model: string | null;
}

/** Labelling submissions waiting for a person (open-ended work the model must not decide alone). */
export interface LabellingReviewSummary {
  submissionId: number;
  exerciseId: number;
  exerciseTitle: string;
  taskType: LabellingTaskType;
  studentName: string;
  reason: ReviewReason | null;
  submittedAt: string | null;
}

export interface LabellingReviewDetail {
  submission: SubmissionView;
  exercise: { id: number; title: string; description: string; taskType: LabellingTaskType; labels: string[]; openGrading: OpenTaskGrading | null };
  student: { id: number; realName: string };
  items: ExerciseItemView[];
  /** The machine's per-item judgement (both runs) when there is one. */
  machine: {
    reviewReason: ReviewReason | null;
    items: { itemId: string; exactScore: number | null; judgeRuns: { criteria: { id: string; score: number; rationale: string; evidence: string }[] }[]; injectionFindings: string[] }[];
    model: string | null;
    /** Screens run over all items, findings, the normalised text and why the grade was or was not sent to review. */
    guards: GuardReport | null;
  } | null;
}

export interface SubmitLabellingReviewRequest {
  items: { itemId: string; criteria: { id: string; score: number }[] }[];
  comment: string;
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
  /** Open-ended work sent to a person: why (the student sees "awaiting review" and no score). */
  reviewReason?: ReviewReason | null;
  /** Deterministic tasks: the model's explanation of frequent mistakes, beside (never inside) the exact feedback. */
  explanation?: MistakeExplanationView | null;
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

/** Agreement of two markers on one rubric criterion (scores rounded to whole points). */
export interface CalibrationAgreementView {
  n: number;
  /** Quadratic weighted kappa; null when undefined (no pairs or no spread). */
  qwk: number | null;
  exact: number;
  adjacent: number;
}

export interface CalibrationCriterionView {
  criterionId: string;
  name: string;
  maxScore: number;
  /** The judge model against the human consensus (mean of the two markers). */
  modelVsHumans: CalibrationAgreementView;
  /** The two human markers against each other: the ceiling to compare with. */
  humanVsHuman: CalibrationAgreementView;
}

/**
 * Calibration of the judge on an open-ended exercise: answers double-marked by humans (CSV: item_id, answer,
 * <criterion>_1, <criterion>_2 per criterion) are graded by the model and the grades compared, per criterion.
 */
export interface CalibrationReportView {
  id: number;
  exerciseId: number;
  state: 'running' | 'done' | 'failed';
  answers: number;
  /** Answers the model graded usably (both judge runs); the others are left out of the statistics. */
  graded: number;
  unusable: number;
  criteria: CalibrationCriterionView[];
  model: string | null;
  createdAt: string;
  finishedAt: string | null;
  failureReason: string | null;
}
