import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type LoggerService } from '@nestjs/common';
import { installBeforeExpress, type RequestListener } from '../infra/http/before-express';
import proxyAddr from 'proxy-addr';
import { toErrorResponse } from '../common/errors/error.filter';
import { JsonTooDeepError, jsonTooDeep } from '../common/validation/json-limits';
import type { Metrics } from '../infra/observability/metrics';
import { recordRequest } from '../infra/observability/http-observability';
import { requestIdFrom } from '../infra/observability/request-context';
import type { CertificateVerificationService } from './certificate-verification.service';

/** The route's pattern, as Express would label it in logs and metrics. */
export const VERIFY_ROUTE = '/api/v1/verify';
/** A number (<= 64) and a name (<= 100) fit easily; anything larger takes the full route and its validation. */
const MAX_FAST_BODY = 4 * 1024;
const errorLogger = new Logger('Http');

export interface VerifyFastPathDeps {
  verification: CertificateVerificationService;
  /** Express's compiled `trust proxy` setting, so the client address is exactly the one `req.ip` would give. */
  trustProxy: (addr: string, index: number) => boolean;
  metrics: Metrics | null;
  logger: LoggerService | null;
  instanceName: string;
  /** Headers every API answer carries (security headers); the fast path must not answer with fewer. */
  baseHeaders?: Record<string, string>;
}

type FastRequest = IncomingMessage & { body?: unknown };

/**
 * Public verification (`POST /api/v1/verify`, number + holder name) is the product's other hot route: bureaus and
 * employers check certificates at any rate the per-IP limit allows. Its usual case — a JSON body with a number and a
 * name — is served here, before Express and Nest, by the same CertificateVerificationService.verify the controller
 * calls (the same limit, lookup, equal-time name check, audit and answer). Whatever else arrives (another content
 * type, a body that is not exactly two strings, a large body) goes to the full route with the body already parsed, so the
 * controller's validation stays the one place that words a refusal.
 */
export function installVerifyFastPath(server: Server, deps: VerifyFastPathDeps): void {
  installBeforeExpress(server, (req, res, full) => takeFastPath(req, res, deps, full));
}

function takeFastPath(req: FastRequest, res: ServerResponse, deps: VerifyFastPathDeps, full: RequestListener): boolean {
  if (req.method !== 'POST' || req.url !== VERIFY_ROUTE) return false;
  const length = Number(req.headers['content-length']);
  const type = req.headers['content-type'];
  if (!(length > 0 && length <= MAX_FAST_BODY) || !type?.startsWith('application/json')) return false;

  const started = process.hrtime.bigint();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, {
        ...deps.baseHeaders,
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
        'Cache-Control': 'no-store',
        'X-Request-Id': requestId,
        'X-Instance': deps.instanceName,
      });
      res.end(payload);
      recordRequest(deps, { requestId, method: 'POST', route: VERIFY_ROUTE, path: VERIFY_ROUTE, status, started, userId: null });
    };
    let body: { number?: unknown; name?: unknown } | null;
    try {
      const raw = Buffer.concat(chunks);
      if (jsonTooDeep(raw)) {
        const { status, body: error } = toErrorResponse(new JsonTooDeepError(), errorLogger);
        reply(status, error);
        return;
      }
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch (e) {
      const { status, body: error } = toErrorResponse(Object.assign(e as Error, { type: 'entity.parse.failed' }), errorLogger);
      reply(status, error);
      return;
    }
    req.body = body;
    if (typeof body !== 'object' || body === null || typeof body.number !== 'string' || typeof body.name !== 'string' || Object.keys(body).length !== 2) {
      full(req, res);
      return;
    }
    const ip = proxyAddr(req, deps.trustProxy);
    deps.verification.verify(body.number, body.name, ip).then(
      (answer) => reply(200, answer),
      (error: unknown) => {
        const { status, body: errorBody, headers } = toErrorResponse(error, errorLogger);
        reply(status, errorBody, headers);
      },
    );
  });
  return true;
}
