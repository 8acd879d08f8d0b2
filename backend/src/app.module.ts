import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './infra/config/app-config';
import { ConfigModule } from './infra/config/config.module';
import { dataSourceOptions } from './infra/database/data-source-options';
import { RedisModule } from './infra/redis/redis.module';
import { LimitsModule } from './infra/limits/limits.module';
import { UploadsModule } from './common/uploads/uploads.module';
import { QueueModule } from './infra/queue/queue.module';
import { ObservabilityModule } from './infra/observability/observability.module';
import { MetricsController } from './infra/observability/metrics.controller';
import { WorkerModule, type JobProcessor } from './infra/queue/worker.module';
import { WorkReconciler } from './infra/queue/work-reconciler';
import { AccessGuard } from './common/auth/access.guard';
import { AuditModule } from './audit/audit.module';
import { IdentityModule } from './identity/identity.module';
import { CoursesModule } from './courses/courses.module';
import { GradingModule } from './grading/grading.module';
import { HealthController } from './health/health.controller';
import { LabellingJobsModule, LabellingModule } from './labelling/labelling.module';
import { GradeLabellingSubmissionProcessor } from './labelling/jobs/grade-labelling-submission.processor';
import { ExplainLabellingMistakesProcessor } from './labelling/jobs/explain-labelling-mistakes.processor';
import { CalibrateLabellingJudgeProcessor } from './labelling/jobs/calibrate-labelling-judge.processor';
import { PromptsModule } from './prompts/prompts.module';
import { GradePromptAnswerProcessor } from './prompts/jobs/grade-prompt-answer.processor';
import { QuestionBankModule } from './question-bank/question-bank.module';
import { ExamGradingJobsModule, ExamsJobsModule, ExamsModule } from './exams/exams.module';
import { CertificatesModule } from './certificates/certificates.module';
import { SubmitAttemptAtDeadlineProcessor } from './exams/jobs/submit-attempt-at-deadline.processor';
import { ScoreExamAttemptProcessor } from './exams/jobs/score-exam-attempt.processor';
import { GradeExamItemProcessor } from './exams/jobs/grade-exam-item.processor';
import { IssueResultCertificatesProcessor } from './certificates/jobs/issue-result-certificates.processor';

/** Every job processor of every context. Worker processes run them; API processes only enqueue. */
export const JOB_PROCESSORS: Type<JobProcessor>[] = [GradeLabellingSubmissionProcessor, ExplainLabellingMistakesProcessor, CalibrateLabellingJudgeProcessor, GradePromptAnswerProcessor, SubmitAttemptAtDeadlineProcessor, ScoreExamAttemptProcessor, GradeExamItemProcessor, IssueResultCertificatesProcessor];

function infrastructure(config: AppConfig): DynamicModule['imports'] {
  return [ConfigModule.forRoot(config), TypeOrmModule.forRoot(dataSourceOptions(config)), RedisModule.forRoot(config), LimitsModule, UploadsModule, QueueModule.forRoot(config), ObservabilityModule.forRoot(), AuditModule];
}

/** The modules job processors need (their contexts' services). */
function processorContexts(): DynamicModule['imports'] {
  return [GradingModule, LabellingJobsModule, PromptsModule, ExamsJobsModule, ExamGradingJobsModule, CertificatesModule];
}

/** The API process: HTTP controllers of every context behind the deny-by-default access guard, optionally the worker too. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: { runWorker: boolean }): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ...(infrastructure(config) ?? []),
        IdentityModule.forRoot(config),
        CoursesModule,
        GradingModule,
        LabellingModule,
        PromptsModule,
        QuestionBankModule,
        ExamsModule,
        CertificatesModule,
        ...(options.runWorker ? [WorkerModule.forRoot(JOB_PROCESSORS, processorContexts(), [WorkReconciler])] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}

/** The worker process: job handlers, no HTTP. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [...(infrastructure(config) ?? []), WorkerModule.forRoot(JOB_PROCESSORS, processorContexts(), [WorkReconciler])],
    };
  }
}
