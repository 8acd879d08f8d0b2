import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode, type QueuesOverview } from '@aitrainer/contracts';
import { AuditService } from '../audit/audit.service';
import { JOB_QUEUE, type FailedJob, type JobQueue } from '../infra/queue/job-queue';
import { QUEUES, type QueueName } from '../infra/queue/queue.constants';
import { DASHBOARD_COOKIE, DASHBOARD_PATH } from './queue-dashboard';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';

export class FailedJobsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** Queue state for platform admins: counts by state, failed jobs with reasons, retry. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/queues')
export class QueueAdminController {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens Bull's dashboard in the browser: an HttpOnly cookie scoped to the dashboard path, as long-lived as the access token. */
  @Post('dashboard-session')
  @Roles('platform_admin')
  @HttpCode(200)
  dashboardSession(@Req() req: Request, @Res({ passthrough: true }) res: Response): { url: string } {
    if (this.queue.driver !== 'bull') throw new DomainError(ErrorCode.NotFound, 'The Bull dashboard exists when the queue runs on Redis (REDIS_URL)');
    const token = (req.headers.authorization ?? '').slice(7).trim();
    res.cookie(DASHBOARD_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: DASHBOARD_PATH,
      maxAge: this.config.auth.accessTokenTtlSeconds * 1000,
    });
    return { url: `${DASHBOARD_PATH}/` };
  }

  @Get()
  @Roles('platform_admin')
  async counts(): Promise<QueuesOverview> {
    return { driver: this.queue.driver, queues: await this.queue.counts() };
  }

  @Get('failed')
  @Roles('platform_admin')
  failed(@Query() q: FailedJobsQuery): Promise<FailedJob[]> {
    return this.queue.failed(q.limit ?? 100);
  }

  @Post(':queue/jobs/:jobId/retry')
  @Roles('platform_admin')
  @HttpCode(202)
  async retry(@Ctx() ctx: RequestContext, @Param('queue') queue: string, @Param('jobId') jobId: string): Promise<{ retried: true }> {
    if (!(Object.values(QUEUES) as string[]).includes(queue)) throw DomainError.validation('queue', 'MUST_BE_ONE_OF', { allowed: Object.values(QUEUES).join(', ') });
    if (!(await this.queue.retry(queue as QueueName, jobId))) throw DomainError.notFound('Failed job');
    await this.audit.record({ actorId: ctx.principal.userId, action: 'job.retried', subjectType: 'job', subjectId: jobId, ip: ctx.ip, detail: { queue } });
    return { retried: true };
  }
}
