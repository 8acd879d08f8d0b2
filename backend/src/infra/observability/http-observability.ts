import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppLogger } from './app-logger';
import type { Metrics } from './metrics';
import { requestIdFrom, runWithRequestContext } from './request-context';

/**
 * Express middleware, first in the chain: takes X-Request-Id (or makes one), echoes it, runs the rest of the
 * request in that context (so logs and enqueued jobs carry it), and on finish writes the one request log
 * line and the latency histogram. The route label is Express's pattern, so ids never become label values.
 */
export function httpObservability(options: { logger: LoggerService | null; metrics: Metrics | null }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const userId = (req as Request & { principal?: { userId: number } }).principal?.userId ?? null;
      recordRequest(options, { requestId, method: req.method, route, path: req.originalUrl.split('?')[0] ?? '', status: res.statusCode, started, userId });
    });
    runWithRequestContext({ requestId }, next);
  };
}

export interface FinishedRequest {
  requestId: string;
  method: string;
  /** The route pattern (never ids), or undefined when no route matched. */
  route: string | undefined;
  path: string;
  status: number;
  /** process.hrtime.bigint() when the request arrived. */
  started: bigint;
  userId: number | null;
}

/** The one log line and the latency histogram of a finished request (also used by routes served outside Express). */
export function recordRequest(options: { logger: LoggerService | null; metrics: Metrics | null }, r: FinishedRequest): void {
  const { logger, metrics } = options;
  const seconds = Number(process.hrtime.bigint() - r.started) / 1e9;
  metrics?.httpRequest(r.method, r.route, r.status, seconds);
  if (!logger) return;
  if (logger instanceof AppLogger && !logger.isEnabled('info') && r.status < 500) return;
  const entry = { requestId: r.requestId, method: r.method, route: r.route ?? '(unmatched)', path: r.path, status: r.status, durationMs: Math.round(seconds * 1e4) / 10, userId: r.userId };
  runWithRequestContext({ requestId: r.requestId }, () => {
    if (logger instanceof AppLogger) logger.request(entry);
    else logger.log(entry, 'Http');
  });
}
