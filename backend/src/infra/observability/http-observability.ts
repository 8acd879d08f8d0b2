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
  const { logger, metrics } = options;
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path;
      metrics?.httpRequest(req.method, route, res.statusCode, seconds);
      if (!logger) return;
      const userId = (req as Request & { principal?: { userId: number } }).principal?.userId ?? null;
      const entry = { requestId, method: req.method, route: route ?? '(unmatched)', path: req.originalUrl.split('?')[0], status: res.statusCode, durationMs: Math.round(seconds * 1e4) / 10, userId };
      runWithRequestContext({ requestId }, () => {
        if (logger instanceof AppLogger) logger.request(entry);
        else logger.log(entry, 'Http');
      });
    });
    runWithRequestContext({ requestId }, next);
  };
}
