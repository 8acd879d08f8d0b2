import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { ComponentStatus, HealthResponse } from '@aitrainer/contracts';
import { Public } from '../common/auth/decorators';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { REDIS } from '../infra/redis/redis.module';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const database: ComponentStatus = await withTimeout(this.db.query('SELECT 1'), 2000).then(() => 'up' as const, () => 'down' as const);
    const redis: ComponentStatus = this.redis
      ? await withTimeout(this.redis.ping(), 2000).then(() => 'up' as const, () => 'down' as const)
      : 'not-configured';
    const ok = database === 'up' && redis !== 'down';
    if (!ok) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'degraded',
      database: { status: database, driver: this.config.database.kind },
      redis: { status: redis },
      queue: { driver: this.redis ? 'bull' : 'in-process' },
      version: '0.1.0',
    };
  }
}
