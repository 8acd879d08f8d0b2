import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JOB_METRICS, JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { LLM_METRICS } from '../llm/llm-client';
import { Metrics } from './metrics';

/**
 * Provides the process's Metrics (also as the job and LLM metrics sinks). Global, after QueueModule: queue
 * depth is read from JOB_QUEUE on each scrape. API processes add MetricsController; workers serve the same
 * registry on METRICS_PORT (metrics-server.ts).
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        {
          provide: Metrics,
          inject: [JOB_QUEUE],
          useFactory: (queue: JobQueue) => {
            const metrics = new Metrics();
            metrics.watchQueue(queue);
            return metrics;
          },
        },
        { provide: JOB_METRICS, useExisting: Metrics },
        { provide: LLM_METRICS, useExisting: Metrics },
      ],
      exports: [Metrics, JOB_METRICS, LLM_METRICS],
    };
  }
}
