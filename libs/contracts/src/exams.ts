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

/** `not_partner`: the student's school is not a partner of the enterprise holding the session. */
export type BulkRegistrationOutcome = 'registered' | 'already_registered' | 'not_eligible' | 'not_a_student' | 'not_partner';

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
  /**
   * Once every part is scored: the provisional result (each part scaled to 100, pass or not), shown to the candidate
   * as provisional until the organisation publishes it; null before (and the published result replaces it).
   */
  provisionalResult: { passed: boolean; parts: { part: ExamPart; scaled: number; passed: boolean }[] } | null;
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

/**
 * The candidate's review of a submitted part, once their result is published (GET /exam-registrations/:id/review):
 * the paper as they saw it, their answer, the feedback of what they chose and the question's general feedback.
 * Never the correct keys, weights or accepted answers.
 */
export interface ReviewQuestionView {
  questionId: number;
  position: number;
  type: QuestionType;
  stem: string;
  format?: 'html';
  /** The options as shown on the paper (key and text only). */
  options?: { key: string; text: string }[];
  matchPrompts?: { key: string; text: string }[];
  points: number;
  /** The candidate's answer; null when left blank. */
  answer: ExamAnswerValue | null;
  /** Feedback the author wrote for what the candidate chose (per option, per true/false answer, per matched answer). */
  answerFeedback: { key: string; text: string }[];
  /** The question's general feedback. */
  generalFeedback: string | null;
}

export interface ReviewPartView {
  part: ExamPart;
  attemptId: number;
  questions: ReviewQuestionView[];
}

export interface ExamReviewView {
  registrationId: number;
  parts: ReviewPartView[];
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

/** The text fields of a question import, sent as multipart/form-data beside the `file` (tags as JSON). */
export interface ImportQuestionsRequest {
  format: QuestionImportFormat;
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

/**
 * The unit of every number in an item analysis, as the API sends it. "%" numbers are on a 0-100 scale (Moodle's
 * quiz statistics report shows the same figures with a % sign); the point-biserial is a correlation coefficient
 * (-1 to 1); marks are in the item's own points.
 */
export const ITEM_STATISTIC_UNITS = {
  facility: '%',
  sd: '%',
  randomGuessScore: '%',
  intendedWeight: '%',
  effectiveWeight: '%',
  discriminationIndex: '%',
  discriminativeEfficiency: '%',
  pointBiserial: 'r',
  maxMark: 'points',
} as const;

/**
 * How test developers read the figures (thresholds from Moodle's quiz statistics documentation):
 * very_hard: facility at most 10 %; very_easy: facility at least 90 %; negative_discrimination: discrimination index
 * below 0; weak_discrimination: discrimination index from 0 up to 20 %; no_spread: every candidate earned the same mark
 * (or the rest of the test did not vary), so nothing can be said about discrimination; low_efficiency: discriminative
 * efficiency below 15 % although the index itself is not weak (what Moodle marks as "dubious").
 */
export const ITEM_FLAGS = ['very_hard', 'very_easy', 'negative_discrimination', 'weak_discrimination', 'no_spread', 'low_efficiency'] as const;
export type ItemFlag = (typeof ITEM_FLAGS)[number];

/** One response class of an item: an option key, 'true'/'false', or a group of fill-in answers. */
export interface ItemResponseCountView {
  /**
   * Choice items: the option key; true/false: 'true' or 'false'; fill-in: for the accepted group, the accepted answers
   * joined by ' / '; for a wrong group, its most frequent spelling (answers equal after the scorer's normalisation
   * of width, case and spaces are one group).
   */
  response: string;
  count: number;
  correct: boolean;
}

/**
 * Statistics of one question over the analysed attempts (each candidate's earliest finished attempt at the part), as
 * Moodle's quiz statistics compute them (question/classes/statistics/questions/calculator.php). Null where Moodle shows
 * nothing (too few attempts, no variance, a statistic the item type does not have).
 */
export interface ItemAnalysisView {
  part: ExamPart;
  questionId: number;
  type: QuestionType;
  stem: string;
  dutyArea: string;
  /** points */
  maxMark: number;
  /** Attempts with a graded mark on this item (Moodle's "attempts", s). */
  responses: number;
  /** Attempts whose mark on this item still waits for a grader: left out of the statistics. */
  pending: number;
  /** % : mean mark / max mark. */
  facility: number | null;
  /** % of the max mark: sample standard deviation (n - 1) of the marks. */
  sd: number | null;
  /** % : the mean mark of a random guess (true/false 50 %, single choice 1 / options); null when not defined. */
  randomGuessScore: number | null;
  /** % : max mark / the part's max score. */
  intendedWeight: number | null;
  /** % : 100 · sqrt(cov(item, total)) / Σ sqrt(cov(item, total)) over the part's items; null with negative covariance. */
  effectiveWeight: number | null;
  /** The item's covariance with the total is negative (Moodle shows this instead of an effective weight). */
  negativeCovariance: boolean;
  /** % : 100 · correlation of the item mark with the rest of the test (total minus this item). */
  discriminationIndex: number | null;
  /** % : 100 · cov(item, rest) / the covariance of both sorted in the same order (the largest it could be). */
  discriminativeEfficiency: number | null;
  /** r (-1 to 1): correlation of the item mark with the total including the item. */
  pointBiserial: number | null;
  /** Choice, true/false and fill-in items: responses per class, most frequent wrong fill-in answers first. */
  responseCounts: ItemResponseCountView[];
  /** Fill-in items: further wrong groups beyond those listed. */
  otherWrong: number;
  /** Objective items: attempts that left the item unanswered (no answer or an empty one); null for other types. */
  blanks: number | null;
  /** Items graded on a scale (short answer, labelling, prompt): attempts per fifth of the max mark, [0-20 %) ... [80-100 %]. */
  scoreBands: number[] | null;
  flags: ItemFlag[];
}

/** Which attempts an exam part's analysis covers. */
export interface ItemAnalysisPartView {
  part: ExamPart;
  /** Distinct candidates registered for the exam in any session. */
  registered: number;
  /** Candidates with at least one finished attempt at this part: each is analysed once. */
  candidates: number;
  /** Attempts analysed: each candidate's earliest finished attempt (equal to candidates). */
  attempts: number;
  /** Finished attempts left out because the same candidate finished an earlier one (resits). */
  laterAttempts: number;
  /** Candidates whose attempts at this part are all still in progress: not analysed. */
  inProgress: number;
  /** Registered candidates who never started this part (no-shows): not analysed. */
  notStarted: number;
  /** points: the part's max score on the analysed attempts. */
  maxScore: number;
}

export interface ItemAnalysisReport {
  examId: number;
  /** Always 'first_finished': each candidate's earliest finished attempt per part, as Moodle's "first attempt". */
  attemptsUsed: 'first_finished';
  parts: ItemAnalysisPartView[];
  items: ItemAnalysisView[];
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
