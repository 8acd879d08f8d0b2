import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { installBeforeExpress, type RequestListener } from '../infra/http/before-express';
import type { ExamAnswerValue } from '@aitrainer/contracts';
import type { TokenService } from '../identity/token.service';
import type { Metrics } from '../infra/observability/metrics';
import { readFastJson, type FastJsonDeps } from '../infra/http/fast-json';
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
  const json: FastJsonDeps = { ...deps, headers: deps.securityHeaders };
  installBeforeExpress(server, (req, res, full) => takeFastPath(req, res, deps, json, full));
}

function takeFastPath(req: FastRequest, res: ServerResponse, deps: AnswerSaveFastPathDeps, json: FastJsonDeps, full: RequestListener): boolean {
  if (req.method !== 'PUT' || !req.url) return false;
  const match = PATH.exec(req.url);
  if (!match) return false;
  const auth = req.headers.authorization;
  const length = Number(req.headers['content-length']);
  const type = req.headers['content-type'];
  if (!auth?.startsWith('Bearer ') || !(length > 0 && length <= MAX_FAST_BODY) || !type?.startsWith('application/json')) return false;
  const principal = deps.tokens.verifiedClaims(auth.slice(7).trim());
  if (!principal || principal.role !== 'student') return false;

  readFastJson(req, res, json, ANSWER_SAVE_ROUTE, principal.userId, (parsed, reply) => {
    const body = parsed as { seq?: unknown; value?: unknown } | null | undefined;
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
