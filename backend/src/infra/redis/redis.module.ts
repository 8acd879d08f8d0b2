import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config';

export const REDIS = Symbol('REDIS');

/**
 * One shared ioredis client when REDIS_URL is set; `null` on the embedded default. Commands issued in the same tick
 * (the rate-limit counts of concurrent verifications, session checks) leave in one write: auto-pipelining.
 */
@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  static forRoot(config: AppConfig): DynamicModule {
    const client = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false, enableAutoPipelining: true }) : null;
    return { module: RedisModule, providers: [{ provide: REDIS, useValue: client }], exports: [REDIS] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
