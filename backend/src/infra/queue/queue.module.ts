import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { BullJobQueue } from './bull-job-queue';
import { DbJobQueue } from './db-job-queue';
import { JOB_QUEUE, type JobQueue } from './job-queue';

/** Provides JOB_QUEUE: Bull when REDIS_URL is set, the database-backed in-process driver otherwise. */
@Global()
@Module({})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        {
          provide: JOB_QUEUE,
          inject: [DataSource],
          useFactory: (db: DataSource): JobQueue => (config.redisUrl ? new BullJobQueue(config.redisUrl, config.queuePrefix, config.jobBackoffMs, config.jobLeaseMs) : new DbJobQueue(db, { backoffMs: config.jobBackoffMs, leaseMs: config.jobLeaseMs })),
        },
      ],
      exports: [JOB_QUEUE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
