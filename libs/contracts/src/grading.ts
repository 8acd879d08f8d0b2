/** What the guards of an LLM grade ran and found, recorded with every grade and shown to the reviewing instructor. */

export type GuardScreenName = 'normaliser' | 'intent_screen' | 'llm_screen' | 'independent_runs' | 'plausibility' | 'near_pass_mark' | 'audit_sample';

export interface GuardFindingView {
  /** e.g. `override`, `score_claim`, `verdict_shape`, `mixed_script`, `encoded_base64`, `gap 0.52`. */
  kind: string;
  /** Where: which candidate text (`answer`, `output 2`, ...) and which reading (`text`, `base64`, ...). */
  where: string;
  excerpt: string;
}

export interface GuardScreenView {
  name: GuardScreenName;
  ran: boolean;
  findings: GuardFindingView[];
  /** Free words for the reviewer, e.g. the second model's name or the evidence figures. */
  note?: string;
}

/** `machine`: the grade counts; `flagged`: it counts but a signal is recorded; `review`: a person decides. */
export type GuardDecision = 'machine' | 'flagged' | 'review';

export interface GuardReport {
  /** `exam` (certification: every signal sends the item to a person) or `practice`. */
  context: 'exam' | 'practice';
  screens: GuardScreenView[];
  /** The normalised candidate text that was screened, with decoded readings (shortened). */
  normalisedText: string;
  decision: GuardDecision;
  /** The review reason (when decision is review) or the flag (when flagged). */
  reason: string | null;
  /** One sentence on why the grade was or was not sent to review. */
  explanation: string;
  /** Chosen for the human audit sample (exam items graded by the model). */
  auditSampled: boolean;
}

/** One LLM-graded exam item for the instructor: review reason, guard report, audit sample and the human grade. */
export interface LlmExamItemView {
  attemptId: number;
  questionId: number;
  registrationId: number;
  status: 'final' | 'needs_review';
  reviewReason: string | null;
  /** Fraction of the item's points the model gave (null when it did not decide). */
  llmFraction: number | null;
  /** Fraction given by a person on the item (null until one grades it). */
  humanFraction: number | null;
  auditSampled: boolean;
  guards: GuardReport | null;
}

export interface LlmAuditReport {
  examId: number;
  /** Share of LLM-graded items sampled for audit (EXAM_AUDIT_SAMPLE_RATE). */
  sampleRate: number;
  llmGraded: number;
  sentToReview: number;
  sampled: number;
  audited: number;
  /** Agreement of the audit's human grades with the model's, on item points rounded (the calibration report's figures). */
  agreement: { n: number; qwk: number | null; exact: number; adjacent: number; meanAbsoluteDifference: number | null };
  items: LlmExamItemView[];
}
