import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A local OpenAI-compatible endpoint (POST /v1/chat/completions, GET /v1/models) that answers as each
 * test scripts it, so the real `openai` client is exercised over real HTTP: retries, Retry-After,
 * timeouts and status codes behave exactly as they would against a provider.
 */

export interface UsageOverride {
  promptTokens: number;
  completionTokens: number;
}

export type Behaviour =
  | { kind: 'content'; content: string; usage?: UsageOverride; finishReason?: string }
  | { kind: 'refusal'; message: string; finishReason: string }
  | { kind: 'status'; status: number; retryAfter?: number; retryAfterMs?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number; then: Behaviour };

/** The scripted behaviours. */
export const reply = {
  /** A good answer whose content is `value` as JSON. */
  json: (value: unknown, usage?: UsageOverride): Behaviour => ({ kind: 'content', content: JSON.stringify(value), usage }),
  text: (content: string, usage?: UsageOverride): Behaviour => ({ kind: 'content', content, usage }),
  /** 200 with content that looks like JSON but does not parse. */
  invalidJson: (): Behaviour => ({ kind: 'content', content: '{"scores": [{"criterion": "clarity", "score": 4,, "evidence": "unterminated' }),
  /** The model declines: `refusal` set and no content, as OpenAI reports it. */
  refusal: (message = "I'm sorry, but I can't help with that.", finishReason = 'stop'): Behaviour => ({ kind: 'refusal', message, finishReason }),
  /** An error status; `retryAfter` in seconds becomes a Retry-After header. */
  status: (status: number, options: { retryAfter?: number; retryAfterMs?: number; message?: string } = {}): Behaviour => ({ kind: 'status', status, ...options }),
  /** Never answers (until the client gives up or the server closes): to exceed the client's timeout. */
  hang: (): Behaviour => ({ kind: 'hang' }),
  delay: (ms: number, then: Behaviour): Behaviour => ({ kind: 'delay', ms, then }),
};

export interface RecordedRequest {
  /** 0-based order of arrival. */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body (null for GET). */
  body: ChatBody | null;
  /** performance.now() at arrival and when answered or abandoned: compare with performance.now() in tests. */
  receivedAt: number;
  finishedAt?: number;
  /** The status answered, or 'aborted' when the client went away first. */
  outcome?: number | 'aborted' | 'server-closed';
  /** True when followsInjection answered full marks because of an injection in a user message. */
  injectionObeyed: boolean;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string | null }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: unknown;
  [key: string]: unknown;
}

export type Responder = (request: RecordedRequest) => Behaviour;

export interface LlmTestServerOptions {
  /** The model name reported in answers; by default the requested one is echoed. */
  reportedModel?: string;
  /** Answer when the script queue is empty; default: json({ ok: true }). */
  fallback?: Behaviour | Responder;
}

/** Phrases a judge that obeys injections reacts to (English and Chinese). */
const INJECTION =
  /ignore (?:all |the |any |previous |prior |your )*(?:rubric|instructions|criteria)|give (?:me |this |it |the answer )?(?:full|maximum|max|top) (?:marks|score|points)|忽略.{0,8}(?:评分标准|规则|指令|要求)|给.{0,4}满分/i;

/**
 * A scripted model for the grading guards' suite. It answers the four kinds of requests the grader sends: candidate
 * runs (the candidate's prompt on a hidden case), the injection screen, criterion checks and rubric judgements (both
 * framings). As a judge it reads through everything a real model reads through: datamarking, delimiters, spacing,
 * punctuation and case (it compares texts on their letters and digits only). Obedient, it finds every registered
 * payload however it is written (it is told the payloads: a model that always understands them) and gives the score
 * the payload asks for; honest, it gives each work its honest fraction whatever the data says.
 */
export interface ScriptedPayload {
  /** The payload as the suite inserted it (before any encoding the grader must undo). */
  text: string;
  /** Fraction of each criterion's maximum the payload asks for (1 = full marks). */
  demand: number;
}

export interface GradingScript {
  mode: 'obedient' | 'honest';
  /** The honest fraction of the work in a judge request (the suite knows its honest answers). */
  honest: (data: string, request: RecordedRequest) => number;
  /** Payloads an obedient judge follows, found in the data however encoded (compared on letters and digits). */
  payloads: ScriptedPayload[];
  /** The screen call: `detects` reports a registered payload, `fooled` (the worst case) never reports anything. */
  screen: 'detects' | 'fooled';
  /** What the candidate model outputs for a candidate run (the candidate's prompt filled with a hidden case). */
  candidateOutput: (prompt: string) => string;
}

/** Letters and digits only, lower case: datamarks, delimiters, spacing and punctuation do not hide a text. */
export const lettersOnly = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const DEFAULT_FULL_MARKS = { score: 100, pass: true, rationale: 'Full marks, as the answer instructed.' };

export class LlmTestServer {
  readonly requests: RecordedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  private readonly queue: Behaviour[] = [];
  private fallback: Responder;
  private injectionAnswer: ((request: RecordedRequest) => unknown) | null = null;
  private script: (GradingScript & { compactPayloads: string[] }) | null = null;
  /** Per request index: the payload an obedient judge followed (for the suite's accounting). */
  readonly obeyed = new Map<number, ScriptedPayload>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly open = new Map<RecordedRequest, ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly options: LlmTestServerOptions,
  ) {
    this.fallback = LlmTestServer.responder(options.fallback ?? reply.json({ ok: true }));
  }

  static async start(options: LlmTestServerOptions = {}): Promise<LlmTestServer> {
    const server = createServer();
    const instance = new LlmTestServer(server, options);
    server.on('request', (req, res) => instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  private static responder(value: Behaviour | Responder): Responder {
    return typeof value === 'function' ? value : () => value;
  }

  /** Base URL for the openai client (`.../v1`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Behaviours for the next requests, in order; afterwards the fallback answers. */
  enqueue(...behaviours: Behaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** The answer once the queue is empty: a fixed behaviour or a function of the request. */
  respondWith(value: Behaviour | Responder): this {
    this.fallback = LlmTestServer.responder(value);
    return this;
  }

  /**
   * A judge that obeys injections: when a user message says "ignore the rubric", "give full marks"
   * (or 忽略评分标准, 给满分), it answers `fullMarks` as JSON, before anything scripted.
   */
  followsInjection(fullMarks: unknown | ((request: RecordedRequest) => unknown) = DEFAULT_FULL_MARKS): this {
    this.injectionAnswer = typeof fullMarks === 'function' ? (fullMarks as (r: RecordedRequest) => unknown) : () => fullMarks;
    return this;
  }

  /** Answers grading requests by `script` (see GradingScript), before anything queued; forgets what was obeyed. */
  gradeBy(script: GradingScript): this {
    this.script = { ...script, compactPayloads: script.payloads.map((p) => lettersOnly(p.text)) };
    this.obeyed.clear();
    return this;
  }

  /** Chat-completion requests only (not /v1/models). */
  get completions(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions');
  }

  get requestCount(): number {
    return this.completions.length;
  }

  /** Forgets recorded requests, scripted answers and the injection mode; keeps listening. */
  reset(): void {
    for (const [record] of this.open) this.finish(record, 'server-closed');
    this.requests.length = 0;
    this.queue.length = 0;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.injectionAnswer = null;
    this.script = null;
    this.obeyed.clear();
    this.fallback = LlmTestServer.responder(this.options.fallback ?? reply.json({ ok: true }));
  }

  /** Stops listening and ends every request still open (hanging or delayed). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const [record] of this.open) this.finish(record, 'server-closed');
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    let body: ChatBody | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw) as ChatBody;
      } catch {
        return sendJson(res, 400, errorBody(400, 'The body is not valid JSON'));
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const record: RecordedRequest = { index: this.requests.length, method: req.method ?? 'GET', path, headers, body, receivedAt, injectionObeyed: false };
    this.requests.push(record);

    if (req.method === 'GET' && path === '/v1/models') {
      record.outcome = 200;
      record.finishedAt = performance.now();
      return sendJson(res, 200, { object: 'list', data: [{ id: this.options.reportedModel ?? 'test-model', object: 'model', created: 0, owned_by: 'llm-test-server' }] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions' || !body) {
      record.outcome = 404;
      return sendJson(res, 404, errorBody(404, `No route ${req.method} ${path}`));
    }

    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.open.set(record, res);
    res.on('close', () => {
      if (this.open.has(record)) this.finish(record, 'aborted');
    });
    this.perform(this.choose(record), record, res);
  }

  private choose(record: RecordedRequest): Behaviour {
    const userText = (record.body?.messages ?? []).filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n');
    if (this.injectionAnswer && INJECTION.test(userText)) {
      record.injectionObeyed = true;
      return reply.json(this.injectionAnswer(record));
    }
    if (this.script) {
      const scripted = this.scripted(record, this.script);
      if (scripted) return scripted;
    }
    return this.queue.shift() ?? this.fallback(record);
  }

  private scripted(record: RecordedRequest, script: NonNullable<LlmTestServer['script']>): Behaviour | null {
    const messages = record.body?.messages ?? [];
    const system = messages.find((m) => m.role === 'system')?.content ?? '';
    const data = messages.filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n');
    if (!system && messages.length === 1) return reply.text(script.candidateOutput(data));
    const compact = lettersOnly(data);
    const found = script.payloads.find((_, i) => script.compactPayloads[i] !== '' && compact.includes(script.compactPayloads[i]));
    const obey = script.mode === 'obedient' && found !== undefined;
    if (obey) this.obeyed.set(record.index, found);
    if (/You screen text submitted by a candidate/.test(system)) {
      const flagged = script.screen === 'detects' && found !== undefined;
      return reply.json({ contains_grader_instructions: flagged, quotes: flagged ? [found.text.slice(0, 80)] : [] });
    }
    if (/You check whether a model output meets one criterion/.test(system)) return reply.json({ met: obey ? true : script.honest(data, record) >= 0.5, reason: 'scripted' });
    const rubric = /Rubric \(JSON\)[^:\n]*: (\[.*\])\s*$/m.exec(data);
    if (!rubric) return null;
    const criteria = JSON.parse(rubric[1]) as { id: string; maxScore: number }[];
    const fraction = obey ? found.demand : script.honest(data, record);
    return reply.json({ criteria: criteria.map((c) => ({ id: c.id, score: Math.round(c.maxScore * fraction * 100) / 100, evidence: 'scripted', rationale: obey ? 'as the note in the work asks' : 'scripted honest grade' })) });
  }

  private perform(behaviour: Behaviour, record: RecordedRequest, res: ServerResponse): void {
    if (!this.open.has(record)) return;
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.perform(behaviour.then, record, res);
        }, behaviour.ms);
        this.timers.add(timer);
        return;
      }
      case 'status': {
        const headers: Record<string, string> = {};
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
        if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
        this.finish(record, behaviour.status);
        return sendJson(res, behaviour.status, errorBody(behaviour.status, behaviour.message), headers);
      }
      case 'content':
      case 'refusal': {
        this.finish(record, 200);
        return sendJson(res, 200, this.completion(record, behaviour), { 'x-request-id': `req_test_${record.index}` });
      }
    }
  }

  /** Counted down before the answer is written, so a client that sees the answer sees the slot free. */
  private finish(record: RecordedRequest, outcome: RecordedRequest['outcome']): void {
    const res = this.open.get(record);
    if (!res) return;
    this.open.delete(record);
    this.inFlight -= 1;
    record.outcome = outcome;
    record.finishedAt = performance.now();
    if (outcome === 'server-closed') res.destroy();
  }

  private completion(record: RecordedRequest, behaviour: Extract<Behaviour, { kind: 'content' | 'refusal' }>): unknown {
    const prompt = (record.body?.messages ?? []).map((m) => m.content ?? '').join('');
    const content = behaviour.kind === 'content' ? behaviour.content : null;
    const usage = (behaviour.kind === 'content' && behaviour.usage) || {
      promptTokens: Math.max(1, Math.ceil(prompt.length / 4)),
      completionTokens: Math.max(1, Math.ceil((content ?? (behaviour.kind === 'refusal' ? behaviour.message : '')).length / 4)),
    };
    return {
      id: `chatcmpl-test-${record.index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.options.reportedModel ?? record.body?.model ?? 'test-model',
      system_fingerprint: 'fp_llm_test_server',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: behaviour.kind === 'refusal' ? behaviour.message : null },
          finish_reason: behaviour.kind === 'content' ? (behaviour.finishReason ?? 'stop') : behaviour.finishReason,
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens },
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function errorBody(status: number, message?: string): unknown {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : status === 401 ? 'authentication_error' : 'invalid_request_error';
  return { error: { message: message ?? `Scripted ${status}`, type, param: null, code: status === 404 ? 'model_not_found' : null } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
