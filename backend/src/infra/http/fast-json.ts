import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, type LoggerService } from '@nestjs/common';
import { toErrorResponse } from '../../common/errors/error.filter';
import { JsonTooDeepError, jsonTooDeep } from '../../common/validation/json-limits';
import type { Metrics } from '../observability/metrics';
import { recordRequest } from '../observability/http-observability';
import { requestIdFrom } from '../observability/request-context';

export interface FastJsonDeps {
  metrics: Metrics | null;
  logger: LoggerService | null;
  instanceName: string;
  /** The headers every other answer carries (security headers): a fast path must not answer with fewer. */
  headers?: Record<string, string>;
}

export type FastReply = (status: number, body: unknown, headers?: Record<string, string>) => void;

const errorLogger = new Logger('Http');

/**
 * Reads a small JSON body of a request a fast path has taken (before Express), then calls `onBody` with the parsed body
 * (undefined when there was none) and a `reply` that answers as the full route would: the same headers, the request id
 * echoed, the instance named, the request logged and counted under `route`. A body that is not JSON, or nested too
 * deep, is answered here exactly as the JSON parser in front of the full route answers it (the stream is read, so it
 * cannot go there any more).
 */
export function readFastJson(req: IncomingMessage, res: ServerResponse, deps: FastJsonDeps, route: string, userId: number | null, onBody: (body: unknown, reply: FastReply) => void): void {
  const started = process.hrtime.bigint();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const reply: FastReply = (status, body, headers) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, {
        ...deps.headers,
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
        'X-Request-Id': requestId,
        'X-Instance': deps.instanceName,
      });
      res.end(payload);
      recordRequest(deps, { requestId, method: req.method ?? 'POST', route, path: (req.url ?? '').split('?')[0] ?? '', status, started, userId });
    };
    const raw = Buffer.concat(chunks);
    if (raw.length === 0) {
      onBody(undefined, reply);
      return;
    }
    let body: unknown;
    try {
      if (jsonTooDeep(raw)) {
        const { status, body: error } = toErrorResponse(new JsonTooDeepError(), errorLogger);
        reply(status, error);
        return;
      }
      body = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      const { status, body: error } = toErrorResponse(Object.assign(e as Error, { type: 'entity.parse.failed' }), errorLogger);
      reply(status, error);
      return;
    }
    onBody(body, reply);
  });
}
