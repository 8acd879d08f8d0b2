import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import { EXAM_PARTS, type ExamPart } from '@aitrainer/contracts';
import { installBeforeExpress, type RequestListener } from '../infra/http/before-express';
import { readFastJson, type FastJsonDeps } from '../infra/http/fast-json';
import type { TokenService } from '../identity/token.service';
import type { AttemptsService } from './attempts.service';

/** The routes' patterns, as Express labels them in logs and metrics. */
export const ATTEMPT_START_ROUTE = '/api/v1/exam-registrations/:id/attempts';
export const ATTEMPT_SUBMIT_ROUTE = '/api/v1/attempts/:id/submit';
const START = /^\/api\/v1\/exam-registrations\/([1-9]\d{0,9})\/attempts$/;
const SUBMIT = /^\/api\/v1\/attempts\/([1-9]\d{0,9})\/submit$/;
/** `{"part":"theory"}` or nothing: anything larger is unusual and takes the full route. */
const MAX_BODY = 1024;

export interface AttemptStormFastPathDeps extends FastJsonDeps {
  tokens: TokenService;
  attempts: AttemptsService;
  /** Express's compiled `trust proxy` setting, so the client address is the one `req.ip` would give. */
  trustProxy: (addr: string, index: number) => boolean;
}

type FastRequest = IncomingMessage & { body?: unknown };

/**
 * A session's storm: every candidate starts within the first minutes and submits within the last. Express and Nest
 * cost each request about a millisecond of routing, guards and pipes (their router alone walks every route before
 * this one), which at 1,000 starts a second is a whole core. So the usual start and submit — a student's valid token
 * for a live login session, a well-formed body — are served here by the very AttemptsService.start / submit the
 * controller calls (the same checks, statements and answer).
 *
 * Anything else, and every refusal, goes to the full route with the body already parsed, which checks everything
 * again and words the refusal: this path only ever answers 200. A refusal changes nothing before it is thrown (start
 * and submit decide in one conditional statement), so running the full route after it gives the same answer.
 */
export function installAttemptStormFastPath(server: Server, deps: AttemptStormFastPathDeps): void {
  installBeforeExpress(server, (req, res, full) => takeFastPath(req, res, deps, full));
}

function takeFastPath(req: FastRequest, res: ServerResponse, deps: AttemptStormFastPathDeps, full: RequestListener): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const start = START.exec(req.url);
  const submit = start ? null : SUBMIT.exec(req.url);
  if (!start && !submit) return false;
  const auth = req.headers.authorization;
  const lengthHeader = req.headers['content-length'];
  const length = lengthHeader === undefined ? NaN : Number(lengthHeader);
  if (!auth?.startsWith('Bearer ') || !(length >= 0 && length <= MAX_BODY)) return false;
  if (length > 0 && !req.headers['content-type']?.startsWith('application/json')) return false;
  const principal = deps.tokens.verifiedClaims(auth.slice(7).trim());
  if (!principal || principal.role !== 'student') return false;

  const route = start ? ATTEMPT_START_ROUTE : ATTEMPT_SUBMIT_ROUTE;
  const id = Number((start ?? submit)?.[1]);
  readFastJson(req, res, deps, route, principal.userId, (body, reply) => {
    // The full route must not read the stream again; it takes the parsed body as Express's JSON parser would leave it.
    req.body = body;
    const part = (body as { part?: unknown } | undefined)?.part;
    if (start && !(typeof body === 'object' && body !== null && Object.keys(body).length === 1 && EXAM_PARTS.includes(part as ExamPart))) {
      full(req, res);
      return;
    }
    const ctx = { principal, ip: proxyAddr(req, deps.trustProxy) };
    const work = async () => {
      // Submit on MySQL: the session's check and the submit in one statement; when it moves nothing, the usual way.
      const submitted = submit ? await deps.attempts.submitInSession(ctx, id) : null;
      if (submitted) return submitted;
      // The guard's check of the login session (logout and password changes end it at once).
      if (!(await deps.tokens.sessionActive(principal.sessionId))) return null;
      return start ? deps.attempts.start(ctx, id, part as ExamPart) : deps.attempts.submit(ctx, id);
    };
    work().then(
      (view) => (view ? reply(200, view) : full(req, res)),
      () => full(req, res),
    );
  });
  return true;
}
