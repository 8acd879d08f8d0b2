import { Injectable } from '@nestjs/common';
import type { CaseFeedback, CheckFeedback, GuardReport, PromptTaskDefinition, ReviewReason } from '@aitrainer/contracts';
import { combinedScore, evaluateCheck, executionEvidence, fillPrompt, isPass, missingVariables, nearPassMark, rubricFraction, type CriterionScore } from '@aitrainer/domain';
import { GRADING_GUARDS, JudgeUsage, LlmJudge, type JudgeRun } from '../grading/judge/llm-judge';
import { buildFramings } from '../grading/judge/judge-framings';
import { concludeGuards, judgeGuards } from '../grading/judge/guard-report';
import { criterionMessages, CRITERION_OUTPUT_SCHEMA, promptJudgeMaterial, promptPieces, promptTaskText, templateHash } from './judge-prompts';

export { GRADING_GUARDS, type JudgeRun };

export interface MachineGrade {
  /** null when a person must decide (no usable judgement). */
  score100: number | null;
  passed: boolean | null;
  executionFraction: number | null;
  rubricFraction: number | null;
  reviewReason: ReviewReason | null;
  cases: (CaseFeedback & { output: string })[];
  judgeRuns: JudgeRun[];
  criteria: JudgeRun['criteria'];
  injectionFindings: string[];
  /** Screens run, findings, the normalised text and the review decision. */
  guards: GuardReport;
  model: string | null;
  promptHash: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Grades one prompt answer: (1) runs the candidate's prompt on every hidden case with the candidate model
 * and checks each output; (2) has the judge model score the rubric twice; (3) combines both by the task's
 * weights. Every decision (clamping, pass, when to ask a person) is made here in code, never by the model.
 * LLM errors propagate (the job retries transient ones).
 */
@Injectable()
export class PromptGrader {
  constructor(private readonly judge: LlmJudge) {}

  get configured(): boolean {
    return this.judge.configured;
  }

  /** `context`: `exam` when the grade counts towards a certification exam (every signal then goes to a person). */
  async grade(def: PromptTaskDefinition, prompt: string, context: 'exam' | 'practice' = 'practice'): Promise<MachineGrade> {
    const llm = this.judge.client;
    const usage = new JudgeUsage();
    const reasons: ReviewReason[] = [];

    // 1. execution on the hidden cases
    const cases: MachineGrade['cases'] = [];
    let checksPassed = 0;
    let checksTotal = 0;
    for (const [i, hidden] of def.hiddenCases.entries()) {
      const result = await llm.chat({
        model: llm.models.candidate,
        messages: [{ role: 'user', content: fillPrompt(prompt, hidden.input) }],
        maxTokens: GRADING_GUARDS.maxOutputTokens,
      });
      usage.add(result);
      const output = result.text;
      const checks: CheckFeedback[] = [];
      for (const check of hidden.checks) {
        if (check.kind === 'llm_criterion') {
          const verdict = await this.judge.judgeJson<{ met: boolean; reason?: string }>(criterionMessages(check.criterion, output), CRITERION_OUTPUT_SCHEMA, usage);
          if (verdict.kind !== 'ok') reasons.push(verdict.kind === 'refused' ? 'judge_refused' : 'judge_invalid_json');
          const met = verdict.kind === 'ok' && verdict.value.met === true;
          checks.push({ kind: check.kind, passed: met, note: met ? 'output meets the criterion' : 'output does not meet the criterion' });
        } else {
          const outcome = evaluateCheck(check, output, (schema, value) => this.judge.validate(schema, value));
          checks.push({ kind: check.kind, ...outcome });
        }
      }
      checksPassed += checks.filter((c) => c.passed).length;
      checksTotal += checks.length;
      cases.push({ case: i + 1, passed: checks.every((c) => c.passed), checks, output });
    }
    const executionFraction = checksTotal > 0 ? checksPassed / checksTotal : null;

    // 2. screen the prompt and every output it produced, then judge the rubric twice, independently
    const outputs = cases.map((c) => c.output);
    const screen = await this.judge.screen(promptPieces(prompt, outputs), { taskText: promptTaskText(def) }, usage);
    const judged = await this.judge.judgeRubricTwice(def.rubric, buildFramings(promptJudgeMaterial(def, prompt, outputs)), usage);
    const judgeRuns = judged.runs;

    // 3. combine
    const criteria = judged.criteria;
    let rubric: number | null = null;
    let score100: number | null = null;
    let nearPass = false;
    if (judgeRuns.length === 2) {
      rubric = rubricFraction(def.rubric, criteria as CriterionScore[]);
      score100 = combinedScore(def, executionFraction, rubric);
      nearPass = nearPassMark(score100, def.passMark, GRADING_GUARDS.passMargin);
    }
    // 4. plausibility: the judged part against the hidden-case checks and the prompt's structure
    const evidence = executionEvidence(executionFraction, missingVariables(prompt, def.variables).length, prompt.trim().length);
    const partial = judgeGuards(screen, judged, { judge: llm.models.judge, second: llm.models.secondJudge }, evidence, rubric);
    partial.signals.unshift(...reasons);
    const { report, decision } = concludeGuards([{ guards: partial }], nearPass, context);
    const reviewReason = decision.decision === 'review' ? decision.reason : null;
    const injectionFindings = report.screens.find((s) => s.name === 'intent_screen')!.findings.map((f) => `${f.kind} in ${f.where}: ${f.excerpt}`);
    return {
      score100: score100,
      passed: score100 === null ? null : isPass(score100, def.passMark),
      executionFraction,
      rubricFraction: rubric,
      reviewReason,
      cases,
      judgeRuns,
      criteria,
      injectionFindings,
      guards: report,
      model: usage.model,
      promptHash: templateHash(),
      inputTokens: usage.input,
      outputTokens: usage.output,
      costUsd: usage.costUsd,
    };
  }
}
