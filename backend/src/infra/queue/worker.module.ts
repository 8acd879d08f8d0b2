import { Inject, Injectable, Logger, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CONCURRENCY, type JobName } from './queue.constants';
import { JOB_METRICS, JOB_QUEUE, PermanentJobError, type JobContext, type JobMetricsSink, type JobQueue } from './job-queue';

/** A thin job handler: it takes the typed payload and calls the owning context's service. */
export interface JobProcessor<P = unknown> {
  readonly jobName: JobName;
  handle(payload: P, ctx: JobContext): Promise<void>;
}

const PROCESSOR_TYPES = Symbol('PROCESSOR_TYPES');

@Injectable()
class WorkerRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(PROCESSOR_TYPES) private readonly types: Type<JobProcessor>[],
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(JOB_METRICS) private readonly metrics: JobMetricsSink | null = null,
  ) {}

  onApplicationBootstrap(): void {
    for (const type of this.types) {
      const processor = this.moduleRef.get(type, { strict: false });
      this.queue.process(processor.jobName, CONCURRENCY[processor.jobName], (payload, ctx) => this.run(processor, payload, ctx));
    }
    this.logger.log(`Worker handling ${this.types.length} job kind(s) on the ${this.queue.driver} queue`);
  }

  /** One try of a job: timed and counted, and logged in the context (request id) the driver restored. */
  private async run(processor: JobProcessor, payload: unknown, ctx: JobContext): Promise<void> {
    // The same job id twice in this process at once: only after the queue forgot a running job (Redis restarted
    // empty) and the reconciler offered it again. The first run finishes the work; should it fail, the database
    // still says the work is owed and the next reconciliation offers it again.
    if (this.running.has(ctx.jobId)) {
      this.logger.log(`${processor.jobName} ${ctx.jobId} is already running in this worker; this copy ends`);
      return;
    }
    this.running.add(ctx.jobId);
    try {
      await this.runOnce(processor, payload, ctx);
    } finally {
      this.running.delete(ctx.jobId);
    }
  }

  private readonly running = new Set<string>();

  private async runOnce(processor: JobProcessor, payload: unknown, ctx: JobContext): Promise<void> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      await processor.handle(payload, ctx);
      this.metrics?.jobFinished(processor.jobName, elapsed(), 'completed');
      this.logger.log(`${processor.jobName} ${ctx.jobId} completed in ${elapsed()} ms (try ${ctx.attempt}/${ctx.maxAttempts})`);
    } catch (e) {
      this.metrics?.jobFinished(processor.jobName, elapsed(), e instanceof PermanentJobError ? 'permanent-failure' : 'failure');
      throw e;
    }
  }
}

/** Only worker processes (and the one-process start) import this: API processes enqueue but never run jobs. */
@Module({})
export class WorkerModule {
  /** `services`: providers that run beside the handlers in worker processes only (the work reconciler). */
  static forRoot(processors: Type<JobProcessor>[], imports: DynamicModule['imports'] = [], services: Type[] = []): DynamicModule {
    return {
      module: WorkerModule,
      imports,
      providers: [...processors, { provide: PROCESSOR_TYPES, useValue: processors }, WorkerRunner, ...services],
    };
  }
}
