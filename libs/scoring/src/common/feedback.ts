/**
 * What a student sees for one item after submission. Plain data (JSON-safe).
 * - `missed`: gold things the answer does not have;
 * - `wrong`: answer things that correspond to a gold thing but differ from it (the pair is given);
 * - `extra`: answer things that correspond to nothing in gold.
 * `score` is the item's own score in [0, 1]. `correct` is true when the answer equals gold exactly; then the
 * score is 1, but not every score of 1 is exact (a transcript within the 5 % CER allowance scores 1).
 */
export interface ItemFeedback<Missed, Wrong, Extra = Missed> {
  itemId: string;
  correct: boolean;
  score: number;
  missed: Missed[];
  wrong: Wrong[];
  extra: Extra[];
}

/** The common shape of every scorer's result. */
export interface ScoreResult<TaskTypeName extends string, Metrics, Feedback> {
  taskType: TaskTypeName;
  /** The task score in [0, 1]; what each scorer's doc comment defines. */
  score: number;
  /** Number of gold items scored. */
  itemCount: number;
  /** Cohen's kappa of the answer against gold, or null where the labels are not categorical units (spans, boxes, text). */
  kappa: number | null;
  metrics: Metrics;
  items: Feedback[];
}
