import type { GuardReport } from './grading';
/** Prompt-writing tasks (enterprise certification content) and their grading. */

export type OutputCheck =
  | { kind: 'exact'; value: string; caseSensitive?: boolean }
  | { kind: 'regex'; pattern: string; flags?: string }
  | { kind: 'contains'; value: string; caseSensitive?: boolean }
  | { kind: 'json_schema'; schema: Record<string, unknown> }
  | { kind: 'label_equals'; label: string }
  | { kind: 'llm_criterion'; criterion: string };
export type OutputCheckKind = OutputCheck['kind'];
export const OUTPUT_CHECK_KINDS: readonly OutputCheckKind[] = ['exact', 'regex', 'contains', 'json_schema', 'label_equals', 'llm_criterion'];

export interface PromptCase {
  /** Values for the task's variables, e.g. `{ review: '物流太慢了' }`. */
  input: Record<string, string>;
  checks: OutputCheck[];
}

export interface RubricLevel {
  score: number;
  descriptor: string;
}

export interface RubricCriterion {
  id: string;
  name: string;
  /** Relative weight of this criterion within the rubric part. */
  weight: number;
  /** Scores run from 0 to maxScore (e.g. 0-4). */
  maxScore: number;
  levels: RubricLevel[];
  /** Example prompts with the score an expert gave them, shown to the judge as anchors. */
  anchors?: { text: string; score: number }[];
}

export interface PromptTaskDefinition {
  title: string;
  /** The business scenario the candidate writes a prompt for. */
  scenario: string;
  /** Variables the candidate's prompt must use as `{{name}}`. */
  variables: string[];
  /** Inputs the candidate may try in the playground. */
  visibleExamples: { input: Record<string, string> }[];
  /** Never shown to students. */
  hiddenCases: PromptCase[];
  rubric: RubricCriterion[];
  /** Weights of execution (hidden cases) and rubric in the final score. */
  weights: { execution: number; rubric: number };
  /** Out of 100. */
  passMark: number;
}

export type PromptTaskStatus = 'draft' | 'published';

/**
 * Who practises a published prompt task, as for labelling exercises: `organisation` — students of the owning
 * organisation; `platform` — every student; `exam` — no one in practice (kept for exams).
 */
export const PROMPT_TASK_AUDIENCES = ['organisation', 'platform', 'exam'] as const;
export type PromptTaskAudience = (typeof PROMPT_TASK_AUDIENCES)[number];

export interface PromptTaskSummary {
  id: number;
  title: string;
  status: PromptTaskStatus;
  audience: PromptTaskAudience;
  version: number;
  publishedVersion: number | null;
  updatedAt: string;
}

/** What an instructor sees: the whole definition. */
export interface PromptTaskView extends PromptTaskSummary {
  definition: PromptTaskDefinition;
}

/** What a student sees: no hidden cases, no anchors. */
export interface PromptTaskStudentView {
  id: number;
  version: number;
  title: string;
  scenario: string;
  variables: string[];
  visibleExamples: { input: Record<string, string> }[];
  rubric: { id: string; name: string; weight: number; maxScore: number; levels: RubricLevel[] }[];
  weights: { execution: number; rubric: number };
  passMark: number;
  playgroundRunsLeftToday: number;
}

export interface PlaygroundRequest {
  prompt: string;
  exampleIndex: number;
}

export interface PlaygroundResponse {
  output: string;
  model: string;
  runsLeftToday: number;
}

export interface SubmitPromptAnswerRequest {
  prompt: string;
}

export type PromptAnswerStatus = 'grading' | 'graded' | 'needs_review';

export type ReviewReason =
  | 'no_llm_configured'
  | 'llm_unavailable'
  | 'judge_disagreement'
  | 'near_pass_mark'
  | 'judge_refused'
  | 'judge_invalid_json'
  | 'possible_injection'
  /** The narrow LLM screen found instructions or verdicts aimed at the grader. */
  | 'screen_flagged'
  /** The grade is far above what the deterministic evidence suggests. */
  | 'implausible_grade'
  /** Hidden text (invisible characters, look-alike letters, encodings) in an exam answer. */
  | 'hidden_text';

export interface CheckFeedback {
  kind: OutputCheckKind;
  passed: boolean;
  /** Plain words, never revealing the hidden input. */
  note: string;
}

export interface CaseFeedback {
  case: number;
  passed: boolean;
  checks: CheckFeedback[];
}

export interface CriterionFeedback {
  id: string;
  name: string;
  score: number;
  maxScore: number;
  rationale: string;
  evidence: string;
}

export interface PromptAnswerView {
  id: number;
  taskId: number;
  taskVersion: number;
  prompt: string;
  status: PromptAnswerStatus;
  submittedAt: string;
  /** Out of 100, once graded. */
  score: number | null;
  passed: boolean | null;
  gradedBy: 'llm' | 'human' | null;
  reviewReason: ReviewReason | null;
  executionScore: number | null;
  rubricScore: number | null;
  cases: CaseFeedback[];
  criteria: CriterionFeedback[];
  reviewerComment: string | null;
}

export interface ReviewItemSummary {
  answerId: number;
  taskId: number;
  taskTitle: string;
  studentName: string;
  reason: ReviewReason | null;
  submittedAt: string;
}

export interface ReviewDetail {
  answer: PromptAnswerView;
  student: { id: number; realName: string };
  task: PromptTaskView;
  /** Model outputs per hidden case and the judge runs, for the reviewer only. */
  machine: {
    outputs: { case: number; output: string; checks: CheckFeedback[] }[];
    judgeRuns: { criteria: { id: string; score: number; rationale: string; evidence: string }[] }[];
    model: string | null;
    /** Screens run, findings, the normalised text and why the grade was or was not sent to review. */
    guards: GuardReport | null;
  } | null;
}

export interface SubmitReviewRequest {
  criteria: { id: string; score: number }[];
  comment: string;
}
