/** The provider-neutral shape of one chat call, as the grading and prompt contexts use it. */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Defaults to 0: grades must be as reproducible as the provider allows. */
  temperature?: number;
  /** Also reserved against the tokens-per-minute limit before the call is sent. */
  maxTokens: number;
  responseFormat?: ResponseFormat;
  seed?: number;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResult {
  text: string;
  /** The model the server says answered (may differ from the one asked for, e.g. a dated snapshot). */
  model: string;
  requestedModel: string;
  finishReason: string;
  usage: ChatUsage;
  costUsd: number;
  /** Set when the model declined: the `refusal` field of the message. */
  refusal?: string;
  /** HTTP attempts the SDK made for this one call (1 + retries). */
  attempts: number;
  latencyMs: number;
  requestId?: string;
}
