import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis.module';
import { LLM_CLIENT, LLM_METRICS, LlmClient, type LlmMetricsSink } from './llm-client';

/**
 * Provides LLM_CLIENT: an LlmClient, or `null` when no LLM is configured. Callers inject it as
 * `LlmClient | null` and must handle null (prompt answers then go to human review).
 * Needs ConfigModule and RedisModule (both global) in the application.
 */
@Module({
  providers: [
    {
      provide: LLM_CLIENT,
      inject: [APP_CONFIG, REDIS, { token: LLM_METRICS, optional: true }],
      useFactory: (config: AppConfig, redis: Redis | null, metrics?: LlmMetricsSink): LlmClient | null =>
        // The budget is per deployment (QUEUE_PREFIX), so deployments sharing one Redis do not share limits.
        config.llm ? new LlmClient(config.llm, { redis, metrics, keyPrefix: `${config.queuePrefix}:llm-limits` }) : null,
    },
  ],
  exports: [LLM_CLIENT],
})
export class LlmModule {}
