/**
 * Token counts before the provider reports them, for reserving against the tokens-per-minute limit.
 * Latin text runs about 4 characters per token; Chinese, Japanese and Korean about 1 per character, so
 * a characters/4 rule would under-reserve Chinese prompts fourfold.
 */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/gu;

/** Per-message framing (role markers) that providers bill on top of the text. */
const MESSAGE_OVERHEAD = 4;
/** Reserved for the answer when a request sets no max_tokens. */
export const DEFAULT_COMPLETION_RESERVE = 1024;

export function estimateTokens(text: string): number {
  const wide = text.match(WIDE)?.length ?? 0;
  const narrow = [...text].length - wide;
  return wide + Math.ceil(narrow / 4);
}

interface WireRequest {
  messages?: { content?: unknown }[];
  max_tokens?: number;
  max_completion_tokens?: number;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('');
  }
  return '';
}

/** Prompt estimate plus the answer budget, from the JSON body the SDK is about to send. */
export function estimateRequestTokens(body: unknown): number {
  if (typeof body !== 'string') return DEFAULT_COMPLETION_RESERVE;
  let parsed: WireRequest;
  try {
    parsed = JSON.parse(body) as WireRequest;
  } catch {
    return Math.ceil(body.length / 4) + DEFAULT_COMPLETION_RESERVE;
  }
  const prompt = (parsed.messages ?? []).reduce((sum, m) => sum + MESSAGE_OVERHEAD + estimateTokens(contentText(m.content)), 0);
  return prompt + (parsed.max_tokens ?? parsed.max_completion_tokens ?? DEFAULT_COMPLETION_RESERVE);
}
