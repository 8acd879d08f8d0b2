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

  /** Liveness: the process answers HTTP. Nothing external is checked, so a database outage never restarts pods. */
  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: 503 while the database is unreachable or migrations are pending (a new image before its
   * migration Job ran), so a load balancer sends no traffic to a process that would fail on the schema.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'not-ready'; database: ComponentStatus; migrations: 'applied' | 'pending' | 'unknown' }> {
    let database: ComponentStatus = 'down';
    let migrations: 'applied' | 'pending' | 'unknown' = 'unknown';
    try {
      await withTimeout(this.db.query('SELECT 1'), 2000);
      database = 'up';
      migrations = (await withTimeout(this.db.showMigrations(), 2000)) ? 'pending' : 'applied';
    } catch {
      // database stays 'down' or migrations 'unknown': not ready either way
    }
    const ok = database === 'up' && migrations === 'applied';
    if (!ok) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ready' : 'not-ready', database, migrations };
  }

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
