import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMySQL, RateLimiterRedis, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.module';

/** The table every database-backed limiter shares (created by the CreateRateLimits migration). */
export const RATE_LIMIT_TABLE = 'rate_limits';

export interface RateLimitOptions {
  /** Distinguishes one limit's keys from another's in the shared store. */
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/**
 * Limits (sign-in failures, public verifications) hold across every API process: in Redis when REDIS_URL is set,
 * otherwise in the database itself, so several API processes on the embedded default (SQLite) or on MySQL without
 * Redis still count together. No limit lives in one process's memory.
 */
@Injectable()
export class RateLimiters {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  create(options: RateLimitOptions): RateLimiterAbstract {
    if (this.redis) return new RateLimiterRedis({ storeClient: this.redis, ...options });
    const driver = this.dataSource.driver as unknown as { databaseConnection?: unknown; pool?: unknown; database?: string };
    if (this.dataSource.options.type === 'mysql') {
      return new RateLimiterMySQL({ storeClient: driver.pool, storeType: 'pool', dbName: driver.database, tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false, ...options });
    }
    return new RateLimiterSQLite({ storeClient: driver.databaseConnection, storeType: 'better-sqlite3', tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false, ...options });
  }
}
