import type { SkillLevel } from './courses';
import type { ItemData, LabellingTaskType } from './labelling';
import type { PromptTaskStudentView, RubricCriterion } from './prompts';

/** Question kinds of the bank. The first four are scored at submission; the others are practical or need a grader. */
export const QUESTION_TYPES = ['true_false', 'single_choice', 'multiple_choice', 'fill_blank', 'short_answer', 'labelling', 'prompt_task'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const OBJECTIVE_QUESTION_TYPES: readonly QuestionType[] = ['true_false', 'single_choice', 'multiple_choice', 'fill_blank'];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const EXAM_PARTS = ['theory', 'practical'] as const;
export type ExamPart = (typeof EXAM_PARTS)[number];

export interface QuestionOption {
  key: string;
  text: string;
}

/** What a question asks and how it is scored. Which fields apply depends on the type. */
export interface QuestionContent {
  stem: string;
  /** single/multiple choice. */
  options?: QuestionOption[];
  /** single/multiple choice: the keys of the correct options. */
  correctKeys?: string[];
  /** multiple choice: all-or-nothing (default) or partial credit (right picks minus wrong picks, floored at 0). */
  multipleScoring?: 'all_or_nothing' | 'partial';
  /** true/false. */
  answer?: boolean;
  /** fill in the blank: accepted answers, compared after normalising width, case and spaces. */
  acceptedAnswers?: string[];
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

/** While a blueprint is edited: how many bank questions match each row. */
export interface BlueprintPreviewRequest {
  level: SkillLevel;
  blueprint: BlueprintSection[];
}
export interface BlueprintPreviewView {
  rows: { matching: number }[];
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
  /** The exam the session is for. */
  examTitle: string;
  level: SkillLevel;
  /** Candidates by how far they are: registered, started a part, submitted every part, graded (no item pending). */
  counts: { registered: number; started: number; submitted: number; graded: number };
}

/** Why a candidate may not sit an exam yet, with what the reader needs to word it. */
export type EligibilityReasonView =
  | { code: 'TRAINING_HOURS_SHORT'; doneHours: number; requiredHours: number }
  | { code: 'COURSE_NOT_COMPLETED'; courseTitle: string; completedLessons: number; totalLessons: number }
  | { code: 'COURSE_NOT_ENROLLED'; courseTitle: string };

export interface SessionCandidateView {
  userId: number;
  realName: string;
  username: string;
  idNumberMasked: string | null;
  registered: boolean;
  eligible: boolean;
  reasons: EligibilityReasonView[];
}

/** The cohorts studying the exam's required courses, each student with their eligibility, before registering. */
export interface SessionCandidatesView {
  cohorts: { id: number; name: string; organisationName: string; students: SessionCandidateView[] }[];
}

export interface BulkRegistrationRequest {
  userIds: number[];
}

export type BulkRegistrationOutcome = 'registered' | 'already_registered' | 'not_eligible' | 'not_a_student';

export interface BulkRegistrationView {
  registered: number;
  alreadyRegistered: number;
  refused: number;
  rows: { userId: number; realName: string; outcome: BulkRegistrationOutcome; ticketNumber: string | null; reasons: EligibilityReasonView[] }[];
}

/** A student's registration with what they need to know about it. */
export type MyExamState = 'not_started' | 'in_progress' | 'submitted' | 'being_graded' | 'published';

export interface MyRegistrationView extends RegistrationView {
  examTitle: string;
  level: SkillLevel;
  venue: string;
  startsAt: string;
  endsAt: string;
  parts: { part: ExamPart; durationMinutes: number; state: 'not_started' | 'in_progress' | 'submitted' }[];
  state: MyExamState;
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
  options?: QuestionOption[];
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
  /** The file's text (GIFT is UTF-8 text; Moodle XML the whole document). */
  content: string;
  /** Tags for every imported question; a question's category path fills the knowledge point when this one is empty. */
  tags: QuestionTags;
}

export interface ImportQuestionsResponse {
  imported: { position: number; title: string; questionId: number; type: QuestionType }[];
  skipped: { position: number; line: number; title: string; reason: string }[];
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
