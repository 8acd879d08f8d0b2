import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type LoggerService } from '@nestjs/common';
import { installBeforeExpress, type RequestListener } from '../infra/http/before-express';
import type { ExamAnswerValue } from '@aitrainer/contracts';
import { JsonTooDeepError, jsonTooDeep } from '../common/validation/json-limits';
import { toErrorResponse } from '../common/errors/error.filter';
import type { TokenService } from '../identity/token.service';
import type { Metrics } from '../infra/observability/metrics';
import { recordRequest } from '../infra/observability/http-observability';
import { requestIdFrom } from '../infra/observability/request-context';
import type { AttemptsService } from './attempts.service';

/** The route's pattern, as Express would label it in logs and metrics. */
export const ANSWER_SAVE_ROUTE = '/api/v1/attempts/:id/answers/:questionId';
const PATH = /^\/api\/v1\/attempts\/([1-9]\d{0,9})\/answers\/([1-9]\d{0,9})$/;
/** Larger bodies (long prompt answers) take the full route, which accepts up to 2 MB. */
const MAX_FAST_BODY = 64 * 1024;

export interface AnswerSaveFastPathDeps {
  tokens: TokenService;
  attempts: AttemptsService;
  metrics: Metrics | null;
  logger: LoggerService | null;
  instanceName: string;
  /** The same security headers every other response carries. */
  securityHeaders?: Record<string, string>;
}

type FastRequest = IncomingMessage & { body?: unknown };

/**
 * The answer save is the hottest request of the product (every candidate, every change, debounced). Its usual case —
 * a student's valid token, an answer of the right shape for a question on their open paper, a newer seq — is served
 * here, before Express and Nest: the token's signature and role are checked in memory, and one prepared statement
 * checks the login session, the attempt's owner, state and deadline and writes the answer (ExamAnswerStore).
 *
 * Everything else goes to the full route (ExamsController.save behind the guard, pipes and filter), with the body
 * already parsed: errors, an older seq, a closed attempt, a revoked session, SQLite. So the full route stays the one
 * place that decides what a refusal looks like, and this path can only ever answer "saved".
 */
export function installAnswerSaveFastPath(server: Server, deps: AnswerSaveFastPathDeps): void {
  installBeforeExpress(server, (req, res, full) => takeFastPath(req, res, deps, full));
}

function takeFastPath(req: FastRequest, res: ServerResponse, deps: AnswerSaveFastPathDeps, full: RequestListener): boolean {
  if (req.method !== 'PUT' || !req.url) return false;
  const match = PATH.exec(req.url);
  if (!match) return false;
  const auth = req.headers.authorization;
  const length = Number(req.headers['content-length']);
  const type = req.headers['content-type'];
  if (!auth?.startsWith('Bearer ') || !(length > 0 && length <= MAX_FAST_BODY) || !type?.startsWith('application/json')) return false;
  const principal = deps.tokens.verifiedClaims(auth.slice(7).trim());
  if (!principal || principal.role !== 'student') return false;

  const started = process.hrtime.bigint();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const reply = (status: number, body: unknown) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, {
        ...deps.securityHeaders,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
        'X-Request-Id': requestId,
        'X-Instance': deps.instanceName,
      });
      res.end(payload);
      recordRequest(deps, { requestId, method: 'PUT', route: ANSWER_SAVE_ROUTE, path: req.url ?? '', status, started, userId: principal.userId });
    };
    let body: { seq?: unknown; value?: unknown } | null;
    try {
      const raw = Buffer.concat(chunks);
      if (jsonTooDeep(raw)) {
        const { status, body: error } = toErrorResponse(new JsonTooDeepError(), new Logger('Http'));
        reply(status, error);
        return;
      }
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch (e) {
      // The stream is read: answer here, exactly as the JSON parser in front of the full route would.
      const { status, body: error } = toErrorResponse(Object.assign(e as Error, { type: 'entity.parse.failed' }), new Logger('Http'));
      reply(status, error);
      return;
    }
    // The full route must not read the stream again; it takes the parsed body as Express's JSON parser would leave it.
    req.body = body;
    const seq = body?.seq;
    const value = body?.value as ExamAnswerValue | null | undefined;
    if (typeof body !== 'object' || body === null || !Number.isSafeInteger(seq) || (seq as number) < 0 || value === undefined || value === null) {
      full(req, res);
      return;
    }
    deps.attempts.trySaveFast(principal, Number(match[1]), Number(match[2]), seq as number, value).then(
      (saved) => (saved ? reply(200, saved) : full(req, res)),
      () => full(req, res),
    );
  });
  return true;
}
