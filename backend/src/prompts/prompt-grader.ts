import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CaseFeedback, CheckFeedback, PromptTaskDefinition, ReviewReason } from '@aitrainer/contracts';
import {
  clampScore,
  combinedScore,
  evaluateCheck,
  fillPrompt,
  isPass,
  judgesDisagree,
  nearPassMark,
  rubricFraction,
  screenInjection,
  stripCodeFence,
  type CriterionScore,
} from '@aitrainer/domain';
import { LLM_CLIENT, type LlmClient } from '../infra/llm/llm-client';
import type { ChatMessage, ChatResult } from '../infra/llm/llm.types';
import { JsonSchemaValidator } from '../infra/json-schema';
import { criterionMessages, CRITERION_OUTPUT_SCHEMA, judgeMessages, JUDGE_OUTPUT_SCHEMA, REPAIR_REQUEST, templateHash } from './judge-prompts';

export interface JudgeRun {
  criteria: { id: string; score: number; evidence: string; rationale: string }[];
}

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
  model: string | null;
  promptHash: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Settings that keep a machine grade honest; see docs/grading.md. */
export const GRADING_GUARDS = {
  /** Judge runs differing by more than this fraction of a criterion's range go to review. */
  disagreementThreshold: 0.25,
  /** Results closer than this to the pass mark (points out of 100) go to review. */
  passMargin: 3,
  maxOutputTokens: 800,
  maxJudgeTokens: 1200,
};

class Usage {
  input = 0;
  output = 0;
  cost = 0;
  model: string | null = null;
  add(r: ChatResult): void {
    this.input += r.usage.inputTokens;
    this.output += r.usage.outputTokens;
    this.cost += r.costUsd;
  }
}

/**
 * Grades one prompt answer: (1) runs the candidate's prompt on every hidden case with the candidate model
 * and checks each output; (2) has the judge model score the rubric twice; (3) combines both by the task's
 * weights. Every decision (clamping, pass, when to ask a person) is made here in code, never by the model.
 * LLM errors propagate (the job retries transient ones).
 */
@Injectable()
export class PromptGrader {
  constructor(
    @Optional() @Inject(LLM_CLIENT) private readonly llm: LlmClient | null,
    private readonly schemas: JsonSchemaValidator,
  ) {}

  get configured(): boolean {
    return this.llm !== null;
  }

  async grade(def: PromptTaskDefinition, prompt: string): Promise<MachineGrade> {
    const llm = this.llm;
    if (!llm) throw new Error('PromptGrader.grade called without an LLM configured');
    const usage = new Usage();
    const reasons: ReviewReason[] = [];
    const injectionFindings = screenInjection(prompt);
    if (injectionFindings.length) reasons.push('possible_injection');

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
          const verdict = await this.judgeJson<{ met: boolean; reason?: string }>(criterionMessages(check.criterion, output), CRITERION_OUTPUT_SCHEMA, usage);
          if (verdict.kind !== 'ok') reasons.push(verdict.kind === 'refused' ? 'judge_refused' : 'judge_invalid_json');
          const met = verdict.kind === 'ok' && verdict.value.met === true;
          checks.push({ kind: check.kind, passed: met, note: met ? 'output meets the criterion' : 'output does not meet the criterion' });
        } else {
          const outcome = evaluateCheck(check, output, (schema, value) => this.schemas.validate(schema, value));
          checks.push({ kind: check.kind, ...outcome });
        }
      }
      checksPassed += checks.filter((c) => c.passed).length;
      checksTotal += checks.length;
      cases.push({ case: i + 1, passed: checks.every((c) => c.passed), checks, output });
    }
    const executionFraction = checksTotal > 0 ? checksPassed / checksTotal : null;

    // 2. rubric, judged twice
    const judgeRuns: JudgeRun[] = [];
    for (const seed of [1, 2]) {
      const verdict = await this.judgeJson<JudgeRun>(judgeMessages(def, prompt, cases.map((c) => c.output)), JUDGE_OUTPUT_SCHEMA, usage, seed);
      if (verdict.kind === 'refused') reasons.push('judge_refused');
      else if (verdict.kind === 'invalid') reasons.push('judge_invalid_json');
      else judgeRuns.push(this.clampRun(def, verdict.value));
      if (verdict.kind !== 'ok') break;
    }
    if (judgeRuns.length === 2 && judgesDisagree(def.rubric, judgeRuns[0].criteria, judgeRuns[1].criteria, GRADING_GUARDS.disagreementThreshold)) {
      reasons.push('judge_disagreement');
    }

    // 3. combine
    let criteria: JudgeRun['criteria'] = [];
    let rubric: number | null = null;
    let score100: number | null = null;
    if (judgeRuns.length === 2) {
      criteria = def.rubric.map((c) => {
        const [a, b] = judgeRuns.map((r) => r.criteria.find((x) => x.id === c.id)!);
        return { id: c.id, score: (a.score + b.score) / 2, evidence: a.evidence, rationale: a.rationale };
      });
      rubric = rubricFraction(def.rubric, criteria as CriterionScore[]);
      score100 = combinedScore(def, executionFraction, rubric);
      if (nearPassMark(score100, def.passMark, GRADING_GUARDS.passMargin)) reasons.push('near_pass_mark');
    }
    const reviewReason = reasons[0] ?? null;
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
      model: usage.model,
      promptHash: templateHash(),
      inputTokens: usage.input,
      outputTokens: usage.output,
      costUsd: Math.round(usage.cost * 1e9) / 1e9,
    };
  }

  /** Every rubric criterion present once, its score clamped to [0, maxScore]; text fields bounded. */
  private clampRun(def: PromptTaskDefinition, run: JudgeRun): JudgeRun {
    return {
      criteria: def.rubric.map((c) => {
        const given = run.criteria.find((x) => x.id === c.id);
        return {
          id: c.id,
          score: clampScore(given?.score, c.maxScore),
          evidence: String(given?.evidence ?? '').slice(0, 500),
          rationale: given ? String(given.rationale ?? '').slice(0, 1000) : 'the judge gave no score for this criterion',
        };
      }),
    };
  }

  /** One judge call returning schema-valid JSON, with one repair attempt; refusals are reported as such. */
  private async judgeJson<T>(
    messages: ChatMessage[],
    schema: Record<string, unknown>,
    usage: Usage,
    seed?: number,
  ): Promise<{ kind: 'ok'; value: T } | { kind: 'refused' } | { kind: 'invalid' }> {
    const llm = this.llm!;
    const ask = async (msgs: ChatMessage[]) => {
      const r = await llm.chat({ model: llm.models.judge, messages: msgs, maxTokens: GRADING_GUARDS.maxJudgeTokens, responseFormat: { type: 'json_object' }, seed });
      usage.add(r);
      usage.model = r.model;
      return r;
    };
    const parse = (r: ChatResult): T | null => {
      try {
        const value = JSON.parse(stripCodeFence(r.text)) as T;
        return this.schemas.validate(schema, value).length === 0 ? value : null;
      } catch {
        return null;
      }
    };
    const first = await ask(messages);
    if (first.refusal || first.finishReason === 'content_filter') return { kind: 'refused' };
    const parsed = parse(first);
    if (parsed !== null) return { kind: 'ok', value: parsed };
    const repaired = await ask([...messages, { role: 'assistant', content: first.text }, { role: 'user', content: REPAIR_REQUEST }]);
    if (repaired.refusal || repaired.finishReason === 'content_filter') return { kind: 'refused' };
    const second = parse(repaired);
    return second !== null ? { kind: 'ok', value: second } : { kind: 'invalid' };
  }
}
