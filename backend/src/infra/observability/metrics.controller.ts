import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Metrics } from './metrics';
import { bearerMatches } from './metrics-auth';
import { aggregatedMetrics } from './cluster-metrics';

/**
 * GET /metrics (outside the /api prefix) in Prometheus text format; METRICS_TOKEN, when set, is required as a bearer
 * token. With several API processes on one port, the sum over all of them (`?scope=process`: this process only; each
 * answer names its process in the X-Instance header).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Query('scope') scope: string | undefined, @Res() res: Response): Promise<void> {
    if (!bearerMatches(this.config.observability.metricsToken, authorization)) throw DomainError.unauthenticated();
    const aggregate = scope === 'process' ? null : aggregatedMetrics();
    const { contentType, body } = aggregate ? { contentType: this.metrics.registry.contentType, body: await aggregate } : await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
