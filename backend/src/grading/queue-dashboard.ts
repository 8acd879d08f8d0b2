import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ErrorCode } from '@aitrainer/contracts';
import { BullJobQueue } from '../infra/queue/bull-job-queue';
import { JOB_QUEUE, type JobQueue } from '../infra/queue/job-queue';
import { QUEUES } from '../infra/queue/queue.constants';
import { TokenService } from '../identity/token.service';
import { DomainError } from '../common/errors/domain-error';

export const DASHBOARD_PATH = '/api/admin/bull-board';
export const DASHBOARD_COOKIE = 'aitrainer_board';

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/**
 * Bull's own dashboard, for platform admins, when the queue runs on Redis. A browser cannot send the
 * bearer token on page loads, so the portal first asks for a dashboard session: an HttpOnly cookie that
 * carries the admin's short-lived access token, scoped to this path and checked on every request.
 */
export function mountQueueDashboard(app: NestExpressApplication): void {
  const queue = app.get<JobQueue>(JOB_QUEUE);
  const tokens = app.get(TokenService);
  const guard = (req: Request, res: Response, next: NextFunction) => {
    const token = cookie(req, DASHBOARD_COOKIE);
    const deny = (status: number, message: string) => res.status(status).json({ statusCode: status, code: status === 401 ? ErrorCode.Unauthenticated : ErrorCode.Forbidden, message });
    if (!token) return deny(401, 'Open the queue dashboard from the portal (platform admins only)');
    tokens.authenticate(token).then(
      (p) => (p.role === 'platform_admin' ? next() : deny(403, 'Platform admins only')),
      (e: unknown) => deny(401, e instanceof DomainError ? e.message : 'Sign in again'),
    );
  };
  if (!(queue instanceof BullJobQueue)) {
    app.use(DASHBOARD_PATH, guard, (_req: Request, res: Response) =>
      res.status(404).json({ statusCode: 404, code: ErrorCode.NotFound, message: 'The Bull dashboard exists when the queue runs on Redis (REDIS_URL); use the portal queue page' }),
    );
    return;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(QUEUES).map((q) => new BullAdapter(queue.queue(q))), serverAdapter });
  app.use(DASHBOARD_PATH, guard, serverAdapter.getRouter());
}
