import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ReviewReason, RubricCriterion } from '@aitrainer/contracts';
import { clampScore, judgesDisagree, stripCodeFence } from '@aitrainer/domain';
import { LLM_CLIENT, type LlmClient } from '../../infra/llm/llm-client';
import type { ChatMessage, ChatResult } from '../../infra/llm/llm.types';
import { JsonSchemaValidator } from '../../infra/json-schema';

/** Settings that keep a machine grade honest; see docs/grading.md. Shared by every LLM-graded task. */
export const GRADING_GUARDS = {
  /** Judge runs differing by more than this fraction of a criterion's range go to review. */
  disagreementThreshold: 0.25,
  /** Results closer than this to the pass mark (points out of 100) go to review. */
  passMargin: 3,
  maxOutputTokens: 800,
  maxJudgeTokens: 1200,
};

export const REPAIR_REQUEST = 'Your answer was not JSON of the required shape. Answer again with only the JSON object, nothing else.';

/** The JSON a rubric judge must answer with. */
export const RUBRIC_OUTPUT_SCHEMA = {
  type: 'object',
  required: ['criteria'],
  properties: {
    criteria: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'score'],
        properties: { id: { type: 'string' }, score: { type: 'number' }, evidence: { type: 'string' }, rationale: { type: 'string' } },
      },
    },
  },
};

export interface JudgedCriterion {
  id: string;
  score: number;
  evidence: string;
  rationale: string;
}

export interface JudgeRun {
  criteria: JudgedCriterion[];
}

export type JudgeVerdict<T> = { kind: 'ok'; value: T } | { kind: 'refused' } | { kind: 'invalid' };

/** Tokens, cost and the model the provider reported, summed over the calls of one grade. */
export class JudgeUsage {
  input = 0;
  output = 0;
  cost = 0;
  model: string | null = null;
  add(r: ChatResult): void {
    this.input += r.usage.inputTokens;
    this.output += r.usage.outputTokens;
    this.cost += r.costUsd;
  }
  get costUsd(): number {
    return Math.round(this.cost * 1e9) / 1e9;
  }
}

export interface RubricJudgement {
  /** Clamped runs that produced usable JSON (two when all went well). */
  runs: JudgeRun[];
  /** Mean of the two runs per criterion; empty unless both runs succeeded. */
  criteria: JudgedCriterion[];
  /** Why a person must decide, from the judging alone (refusal, invalid JSON, disagreement). */
  reasons: ReviewReason[];
}

/**
 * The judging guards shared by prompt and open-ended labelling grading: schema-validated JSON with one repair,
 * refusals reported, scores clamped to each criterion's range, two runs compared for disagreement.
 * Callers build the messages (candidate text only inside data blocks) and decide pass and review in code.
 */
@Injectable()
export class LlmJudge {
  constructor(
    @Optional() @Inject(LLM_CLIENT) private readonly llm: LlmClient | null,
    private readonly schemas: JsonSchemaValidator,
  ) {}

  get configured(): boolean {
    return this.llm !== null;
  }

  /** The LLM client; throws when none is configured (callers check `configured` first). */
  get client(): LlmClient {
    if (!this.llm) throw new Error('LlmJudge used without an LLM configured');
    return this.llm;
  }

  validate(schema: Record<string, unknown>, value: unknown): string[] {
    return this.schemas.validate(schema, value);
  }

  /** Scores a rubric twice; see RubricJudgement. LLM errors propagate (the job retries transient ones). */
  async judgeRubricTwice(rubric: RubricCriterion[], messages: ChatMessage[], usage: JudgeUsage): Promise<RubricJudgement> {
    const runs: JudgeRun[] = [];
    const reasons: ReviewReason[] = [];
    for (const seed of [1, 2]) {
      const verdict = await this.judgeJson<JudgeRun>(messages, RUBRIC_OUTPUT_SCHEMA, usage, seed);
      if (verdict.kind === 'refused') reasons.push('judge_refused');
      else if (verdict.kind === 'invalid') reasons.push('judge_invalid_json');
      else runs.push(clampRun(rubric, verdict.value));
      if (verdict.kind !== 'ok') break;
    }
    if (runs.length === 2 && judgesDisagree(rubric, runs[0].criteria, runs[1].criteria, GRADING_GUARDS.disagreementThreshold)) {
      reasons.push('judge_disagreement');
    }
    const criteria =
      runs.length === 2
        ? rubric.map((c) => {
            const [a, b] = runs.map((r) => r.criteria.find((x) => x.id === c.id)!);
            return { id: c.id, score: (a.score + b.score) / 2, evidence: a.evidence, rationale: a.rationale };
          })
        : [];
    return { runs, criteria, reasons };
  }

  /** One judge call returning schema-valid JSON, with one repair attempt; refusals are reported as such. */
  async judgeJson<T>(messages: ChatMessage[], schema: Record<string, unknown>, usage: JudgeUsage, seed?: number): Promise<JudgeVerdict<T>> {
    const llm = this.client;
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

/** Every rubric criterion present once, its score clamped to [0, maxScore]; text fields bounded. */
export function clampRun(rubric: RubricCriterion[], run: JudgeRun): JudgeRun {
  return {
    criteria: rubric.map((c) => {
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
