import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type LoggerService } from '@nestjs/common';
import { installBeforeExpress, type RequestListener } from '../infra/http/before-express';
import proxyAddr from 'proxy-addr';
import { toErrorResponse } from '../common/errors/error.filter';
import { readFastJson, type FastJsonDeps } from '../infra/http/fast-json';
import type { Metrics } from '../infra/observability/metrics';
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
  const json: FastJsonDeps = { ...deps, headers: { ...deps.baseHeaders, 'Cache-Control': 'no-store' } };
  installBeforeExpress(server, (req, res, full) => takeFastPath(req, res, deps, json, full));
}

function takeFastPath(req: FastRequest, res: ServerResponse, deps: VerifyFastPathDeps, json: FastJsonDeps, full: RequestListener): boolean {
  if (req.method !== 'POST' || req.url !== VERIFY_ROUTE) return false;
  const length = Number(req.headers['content-length']);
  const type = req.headers['content-type'];
  if (!(length > 0 && length <= MAX_FAST_BODY) || !type?.startsWith('application/json')) return false;

  readFastJson(req, res, json, VERIFY_ROUTE, null, (parsed, reply) => {
    const body = parsed as { number?: unknown; name?: unknown } | null | undefined;
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
