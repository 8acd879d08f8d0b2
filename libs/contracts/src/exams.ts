import type { SkillLevel } from './courses';
import type { ItemData, LabellingTaskType } from './labelling';
import type { PromptTaskStudentView, RubricCriterion } from './prompts';

/** Question kinds of the bank. The first four are scored at submission; the others are practical or need a grader. */
export const QUESTION_TYPES = ['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer', 'labelling', 'prompt_task', 'numerical', 'matching'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const OBJECTIVE_QUESTION_TYPES: readonly QuestionType[] = ['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'numerical', 'matching'];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const EXAM_PARTS = ['theory', 'practical'] as const;
export type ExamPart = (typeof EXAM_PARTS)[number];

export interface QuestionOption {
  key: string;
  text: string;
  /** Shown with this option in review, only after results are published. */
  feedback?: string;
  /**
   * Moodle's answer fraction in percent (-100..100). Single choice: the chosen option's weight is the score (the
   * correct key has 100). Multiple choice with `multipleScoring: 'weighted'`: the chosen weights add up, floored at 0.
   */
  weight?: number;
}

/** A graded answer of a fill-in-the-blank (partial credit) or numerical question. */
export interface WeightedAnswer {
  text: string;
  /** Percent of the points, 0 < weight < 100 here (full-credit answers are in `acceptedAnswers`). */
  weight: number;
  feedback?: string;
}

export interface NumericAnswer {
  value: number;
  /** Accepted when |answer - value| <= tolerance. */
  tolerance: number;
  /** Percent of the points (Moodle's fraction x 100). */
  weight: number;
  feedback?: string;
}

export interface QuestionMedia {
  name: string;
  /** The storage key (never shown to candidates). */
  key: string;
  mime: string;
  size: number;
}

export interface MatchPair {
  key: string;
  prompt: string;
  answer: string;
}

/** What a question asks and how it is scored. Which fields apply depends on the type. */
export interface QuestionContent {
  stem: string;
  /** single/multiple choice. */
  options?: QuestionOption[];
  /** single/multiple choice: the keys of the correct options. */
  correctKeys?: string[];
  /**
   * multiple choice: all-or-nothing (default), partial credit (right picks minus wrong picks, floored at 0), or
   * weighted (Moodle's multiple-answer rule: the options' weights of the picks add up, floored at 0, at most 100 %).
   */
  multipleScoring?: 'all_or_nothing' | 'partial' | 'weighted';
  /** true/false. */
  answer?: boolean;
  /** true/false: feedback shown in review for the answer "true" / "false". */
  trueFeedback?: string;
  falseFeedback?: string;
  /** fill in the blank: full-credit answers, compared after normalising width, case and spaces. */
  acceptedAnswers?: string[];
  /** fill in the blank: answers earning part of the points. */
  partialAnswers?: WeightedAnswer[];
  /** fill in the blank: `*` in an answer matches any text (Moodle short-answer wildcards; `\\*` is a star). */
  wildcards?: boolean;
  /** fill in the blank: feedback per full-credit answer (same order as acceptedAnswers; '' for none). */
  acceptedFeedback?: string[];
  /** numerical: the graded answers, the first one matching counts (Moodle's rule). */
  numericAnswers?: NumericAnswer[];
  /** matching: the prompts and their answers; the candidate picks an answer per prompt. */
  pairs?: MatchPair[];
  /** matching: extra wrong answers offered to every prompt. */
  distractors?: string[];
  /** The question's name (Moodle's question name); shown to authors, never to candidates. */
  name?: string;
  /** 'html': stem, option texts and feedback are sanitised HTML; absent: plain text. */
  format?: 'html';
  /**
   * Files the HTML refers to as `@@PLUGINFILE@@/<name>` (imported from Moodle XML): candidates fetch them through
   * their attempt (GET /attempts/:id/media/:questionId/:name), authors through the bank.
   */
  media?: QuestionMedia[];
  /** short answer: the rubric a grader applies. */
  rubric?: string;
  /** practical items: the exercise or task they point at. */
  labellingExerciseId?: number;
  promptTaskId?: number;
  feedback?: string;
}

/** Tags from the national standard. */
export interface QuestionTags {
  occupation: string;
  levels: SkillLevel[];
  dutyArea: string;
  knowledgePoint: string;
  difficulty: Difficulty;
}

export interface CreateQuestionRequest {
  type: QuestionType;
  content: QuestionContent;
  tags: QuestionTags;
}

export type UpdateQuestionRequest = CreateQuestionRequest;

export interface QuestionView {
  id: number;
  /** The current version's number; editing makes a new one. */
  version: number;
  versionId: number;
  type: QuestionType;
  content: QuestionContent;
  tags: QuestionTags;
  updatedAt: string;
}

/** One section of a blueprint: how many questions of a type, for which part, worth how much, drawn from where. */
export interface BlueprintSection {
  part: ExamPart;
  type: QuestionType;
  count: number;
  /** Points per question. */
  points: number;
  /** Only questions of these duty areas (all when absent or empty). */
  dutyAreas?: string[];
  /** How many of `count` must be easy/medium/hard; the rest are drawn from any difficulty. */
  difficultyMix?: Partial<Record<Difficulty, number>>;
}

export interface ExamPartDefinition {
  part: ExamPart;
  durationMinutes: number;
  /** Out of 100 (the part's score is scaled to 100). Default 60. */
  passMark: number;
}

export interface ExamEligibilityRules {
  requiredCourseIds: number[];
  /** Undefined = the level's reference hours; 0 = none. */
  minTrainingHours?: number;
}

export interface CreateExamRequest {
  title: string;
  level: SkillLevel;
  parts: ExamPartDefinition[];
  blueprint: BlueprintSection[];
  eligibility: ExamEligibilityRules;
  /** Shuffle the options of choice questions per candidate (default true). */
  shuffleOptions?: boolean;
}

export type ExamStatus = 'draft' | 'published';

export interface ExamView extends CreateExamRequest {
  id: number;
  occupation: string;
  status: ExamStatus;
  shuffleOptions: boolean;
  publishedAt: string | null;
}

export interface BlueprintProblem {
  section: number;
  problem: string;
  available: number;
  required: number;
}

export interface BlueprintCheckView {
  ok: boolean;
  problems: BlueprintProblem[];
}

export interface CreateSessionRequest {
  examId: number;
  venue: string;
  startsAt: string;
  endsAt: string;
}

export interface ExamSessionView {
  id: number;
  examId: number;
  venue: string;
  startsAt: string;
  endsAt: string;
  registrations: number;
}

export interface RegisterCandidateRequest {
  /** Org admins register a candidate by account id or by username (one of the two); a student registering themself leaves both out. */
  userId?: number;
  username?: string;
  extraMinutes?: number;
}

export interface SetExtraTimeRequest {
  extraMinutes: number;
}

export interface RegistrationView {
  id: number;
  sessionId: number;
  examId: number;
  userId: number;
  /** 准考证号 */
  ticketNumber: string;
  extraMinutes: number;
}

export type ExamAnswerValue = boolean | string | string[] | Record<string, unknown>;

/** One dataset item of a labelling exam item: what is labelled, never its gold answer. */
export interface PracticalLabellingItemView {
  /** The item id from the dataset: the key of the answer's `items` map. */
  id: string;
  data: ItemData;
  /** The item's image or audio, served for this attempt only (fetch it with the access token). */
  mediaUrl?: string;
}

/**
 * A labelling exam item as the candidate sees it: the exercise's task type, labels and guidelines as the practice
 * workspace shows them, and its items. The answer is `{ items: { <item id>: <answer value of the task type> } }`.
 */
export interface PracticalLabellingView {
  kind: 'labelling';
  title: string;
  /** The exercise's guidelines. */
  description: string;
  taskType: LabellingTaskType;
  labels: string[];
  entityTypes: string[];
  intents: string[];
  slotNames: string[];
  /** Open-ended task types: the criteria the work is judged by (no graded examples). */
  rubric?: Omit<RubricCriterion, 'anchors'>[];
  items: PracticalLabellingItemView[];
}

/** A prompt-task exam item: the brief as the practice view shows it (no hidden cases, no anchors). Answer: `{ prompt }`. */
export interface PracticalPromptTaskView extends Omit<PromptTaskStudentView, 'playgroundRunsLeftToday'> {
  kind: 'prompt_task';
}

export type PracticalItemView = PracticalLabellingView | PracticalPromptTaskView;

/** A question as the candidate sees it: no correct answers, options in the candidate's order. */
export interface PaperQuestionView {
  questionId: number;
  position: number;
  type: QuestionType;
  stem: string;
  /** 'html': stem and option texts are sanitised HTML. */
  format?: 'html';
  options?: QuestionOption[];
  /** matching: the prompts (answer value: `{ [prompt key]: chosen answer }`) and the answers to choose from. */
  matchPrompts?: { key: string; text: string }[];
  matchChoices?: string[];
  points: number;
  /** Practical items (labelling, prompt task) while the attempt is open: what the candidate works on. */
  practical?: PracticalItemView;
}

export type AttemptState = 'in_progress' | 'submitted';

export interface SavedAnswerView {
  questionId: number;
  seq: number;
  value: ExamAnswerValue;
}

export interface AttemptView {
  id: number;
  registrationId: number;
  part: ExamPart;
  state: AttemptState;
  startedAt: string;
  deadline: string;
  /** The server's clock when the view was made: the portal counts down from deadline - serverNow. */
  serverNow: string;
  finishedAt: string | null;
  /** Null in the candidate's view: scores reach the candidate only through a published result. */
  score: number | null;
  maxScore: number;
  questions: PaperQuestionView[];
  answers: SavedAnswerView[];
}

export interface StartAttemptRequest {
  part: ExamPart;
}

export interface SaveExamAnswerRequest {
  seq: number;
  value: ExamAnswerValue;
}

export interface SaveExamAnswerResponse {
  questionId: number;
  /** The stored sequence number: higher than the one sent when a newer save had already arrived. */
  seq: number;
  saved: boolean;
}

export type ExamResultStatus = 'incomplete' | 'provisional' | 'published';

export interface PartResultView {
  part: ExamPart;
  submitted: boolean;
  score: number;
  maxScore: number;
  /** Scaled to 100. */
  scaled: number;
  passMark: number;
  passed: boolean;
  /** Items still waiting for a grader. */
  pendingItems: number;
}

export interface DutyAreaResultView {
  dutyArea: string;
  score: number;
  maxScore: number;
}

export interface ExamResultView {
  registrationId: number;
  examId: number;
  userId: number;
  status: ExamResultStatus;
  parts: PartResultView[];
  passed: boolean;
  dutyAreas: DutyAreaResultView[];
  publishedAt: string | null;
}

/** `csv` is the bank's own template (see GET /question-bank/export.csv). */
export const QUESTION_IMPORT_FORMATS = ['gift', 'moodle_xml', 'csv'] as const;
export type QuestionImportFormat = (typeof QUESTION_IMPORT_FORMATS)[number];

export interface ImportQuestionsRequest {
  format: QuestionImportFormat;
  /** The file's text, when the client decoded it (must not hold U+FFFD). One of content and contentBase64. */
  content?: string;
  /** The file's bytes as base64: decoded on the server (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK). */
  contentBase64?: string;
  /** Tags for every imported question; a question's category path fills the knowledge point when this one is empty. */
  tags: QuestionTags;
}

/**
 * Something an import changed or left out of one question, as a code with parameters the portal words in the
 * reader's language (`bank.change.<code>` / `bank.skip.<code>` in its catalogue).
 */
export interface ImportNote {
  code: string;
  params?: Record<string, string | number>;
}

export interface ImportQuestionsResponse {
  /** `changes`: every way the stored question differs from the file's (empty when it is stored as written). */
  imported: { position: number; title: string; questionId: number; type: QuestionType; changes: ImportNote[] }[];
  /** `reason` in English; `code`/`params` for the portal. */
  skipped: { position: number; line: number; title: string; reason: string; code: string; params?: Record<string, string | number> }[];
}

/** Moodle-style statistics of one question over candidates' first attempts. */
export interface ItemAnalysisView {
  part: ExamPart;
  questionId: number;
  type: QuestionType;
  stem: string;
  dutyArea: string;
  responses: number;
  /** % */
  facility: number;
  /** % (correlation of the item with the rest of the test) */
  discrimination: number | null;
  pointBiserial: number | null;
  optionCounts: Record<string, number>;
}

/**
 * Regrading one question across every attempt of an exam: give every attempt a fixed score (a flawed question), or
 * score again with the question's current version (a corrected key). A dry run changes nothing.
 */
export interface RegradeRequest {
  mode: 'score' | 'rescore';
  /** mode 'score': points each attempt gets on the item (at most the item's points). */
  score?: number;
  reason: string;
  dryRun: boolean;
}

export interface RegradeChangeView {
  registrationId: number;
  userId: number;
  passedBefore: boolean;
  passedAfter: boolean;
}

export interface RegradeView {
  dryRun: boolean;
  /** Attempts whose score on the item changes. */
  affectedAttempts: number;
  /** Published results are final and were left out. */
  lockedResults: number;
  /** Candidates whose overall pass/fail would change (or changed). */
  passFailChanges: RegradeChangeView[];
}
