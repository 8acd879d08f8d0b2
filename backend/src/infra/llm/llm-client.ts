import type { Redis } from 'ioredis';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { LlmConfig } from '../config/app-config';
import { CallContext, GatedOpenAI } from './gated-openai';
import { LlmTransientError, toLlmError } from './llm.errors';
import type { ChatRequest, ChatResult, ResponseFormat } from './llm.types';
import { LlmGate } from './limits/llm-gate';
import type { LimitStore } from './limits/limit-store';
import { MemoryLimitStore } from './limits/memory-limit-store';
import { RedisLimitStore } from './limits/redis-limit-store';

export const LLM_CLIENT = Symbol('LLM_CLIENT');

/** The production unit of LLM_RPM and LLM_TPM. */
const MINUTE_MS = 60_000;
/** A call waits at most this long for the limits before failing transiently (its job retries later). */
const DEFAULT_MAX_WAIT_MS = 5 * MINUTE_MS;
/** A dead process's slot comes back this long after its attempt would have timed out anyway. */
const SLOT_LEASE_GRACE_MS = 30_000;

/** One chat call as metrics see it: outcome is `ok` or the LlmError code (`rate_limited`, `timeout`, ...). */
export interface LlmCallRecord {
  model: string;
  outcome: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
}

/** Optional observer of LLM calls (the Prometheus metrics). */
export interface LlmMetricsSink {
  llmCall(record: LlmCallRecord): void;
}
export const LLM_METRICS = Symbol('LLM_METRICS');

export interface LlmClientOptions {
  /** Told about every chat call (calls, tokens, failures, cost by model and outcome). */
  metrics?: LlmMetricsSink | null;
  /** Shared limits across processes; without it the limits hold within this process only. */
  redis?: Redis | null;
  /** Separates budgets in Redis (and in memory): one prefix per provider account. */
  keyPrefix?: string;
  maxWaitMs?: number;
  /** Tests only: shortens the minute of LLM_RPM/LLM_TPM so that a window passes in seconds. */
  rateWindowMs?: number;
  /** Tests only: a store to share or inspect. */
  limitStore?: LimitStore;
}

/**
 * Extra time added to the sliding window. Requests reach the provider a few milliseconds after being
 * admitted, unevenly; without a margin the provider could see RPM+1 requests within its minute.
 */
function windowMargin(windowMs: number): number {
  return Math.min(1000, Math.max(50, Math.round(windowMs * 0.02)));
}

function toWireFormat(format: ResponseFormat | undefined): ChatCompletionCreateParamsNonStreaming['response_format'] {
  if (!format || format.type !== 'json_schema') return format;
  return { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? true } };
}

/**
 * The one way the backend talks to an OpenAI-compatible model: temperature 0 by default, the model the
 * server reports recorded, cost computed, and limits shared by every worker process. Errors are
 * LlmTransientError (retry the job later) or LlmPermanentError (fail it for good).
 */
export class LlmClient {
  readonly models: { candidate: string; judge: string; secondJudge: string; screen: string };
  private readonly sdk: GatedOpenAI;
  private readonly metrics: LlmMetricsSink | null;

  constructor(
    private readonly config: LlmConfig,
    options: LlmClientOptions = {},
  ) {
    this.metrics = options.metrics ?? null;
    this.models = { candidate: config.model, judge: config.judgeModel, secondJudge: config.secondJudgeModel ?? config.judgeModel, screen: config.screenModel ?? config.judgeModel };
    const prefix = options.keyPrefix ?? 'llm-limits';
    const store = options.limitStore ?? (options.redis ? new RedisLimitStore(options.redis, prefix) : MemoryLimitStore.shared(prefix));
    const windowMs = options.rateWindowMs ?? MINUTE_MS;
    const gate = new LlmGate(
      store,
      {
        concurrency: config.concurrency,
        requestsPerWindow: config.rpm,
        tokensPerWindow: config.tpm,
        windowMs: windowMs + windowMargin(windowMs),
        slotLeaseMs: config.timeoutMs + SLOT_LEASE_GRACE_MS,
      },
      options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    );
    this.sdk = new GatedOpenAI(
      { baseURL: config.baseUrl, apiKey: config.apiKey, timeout: config.timeoutMs, maxRetries: config.maxRetries },
      gate,
    );
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const started = Date.now();
    try {
      const result = await this.chatOnce(request);
      this.metrics?.llmCall({ model: request.model, outcome: 'ok', inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, costUsd: result.costUsd, latencyMs: result.latencyMs });
      return result;
    } catch (err) {
      const outcome = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'error';
      this.metrics?.llmCall({ model: request.model, outcome, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: Date.now() - started });
      throw err;
    }
  }

  private async chatOnce(request: ChatRequest): Promise<ChatResult> {
    const call = new CallContext();
    const started = Date.now();
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: request.model,
      messages: request.messages,
      temperature: request.temperature ?? 0,
      max_tokens: request.maxTokens,
      ...(request.responseFormat && { response_format: toWireFormat(request.responseFormat) }),
      ...(request.seed !== undefined && { seed: request.seed }),
    };
    let completion: ChatCompletion;
    let requestId: string | null;
    try {
      ({ data: completion, request_id: requestId } = await this.sdk.inCall(call, () =>
        this.sdk.chat.completions.create(params, { signal: call.abort.signal }).withResponse(),
      ));
    } catch (err) {
      if (call.gateError) throw call.gateError;
      throw toLlmError(err instanceof SyntaxError ? new LlmTransientError('bad_response', 'The LLM answered with a body that is not JSON', { cause: err }) : err);
    }
    return this.toResult(request, completion, call, Date.now() - started, requestId ?? undefined);
  }

  /** The model ids the endpoint offers: a cheap reachability and key check for health pages. */
  async listModels(): Promise<string[]> {
    try {
      const page = await this.sdk.models.list();
      return page.data.map((m) => m.id);
    } catch (err) {
      throw toLlmError(err);
    }
  }

  private async toResult(request: ChatRequest, completion: ChatCompletion, call: CallContext, latencyMs: number, requestId?: string): Promise<ChatResult> {
    const choice = completion.choices?.[0];
    if (!choice?.message) {
      throw new LlmTransientError('bad_response', 'The LLM answered without a choice');
    }
    const inputTokens = completion.usage?.prompt_tokens ?? 0;
    const outputTokens = completion.usage?.completion_tokens ?? 0;
    if (completion.usage) await call.permit?.settleTokens(inputTokens + outputTokens);
    const cost = (inputTokens * this.config.priceInputPer1k + outputTokens * this.config.priceOutputPer1k) / 1000;
    const refusal = choice.message.refusal ?? undefined;
    return {
      text: choice.message.content ?? '',
      model: completion.model || request.model,
      requestedModel: request.model,
      finishReason: choice.finish_reason ?? 'unknown',
      usage: { inputTokens, outputTokens },
      // Rounded to a billionth of a dollar: float noise must not show up in stored grades.
      costUsd: Math.round(cost * 1e9) / 1e9,
      ...(refusal ? { refusal } : {}),
      attempts: call.attempts,
      latencyMs,
      ...(requestId ? { requestId } : {}),
    };
  }
}
