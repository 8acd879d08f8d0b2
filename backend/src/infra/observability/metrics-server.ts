import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics';
import { bearerMatches } from './metrics-auth';

/**
 * A worker has no HTTP API: it serves GET /metrics (same METRICS_TOKEN rule) and GET /live on its own small
 * port, so Prometheus can scrape job durations and failures, and Kubernetes can probe the process.
 */
export async function startMetricsServer(metrics: Metrics, port: number, token: string | null): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404,"code":"NOT_FOUND"}');
      return;
    }
    if (!bearerMatches(token, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"statusCode":401,"code":"UNAUTHENTICATED"}');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', () => resolve()));
  server.unref();
  return server;
}
