import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoursesModule } from '../courses/courses.module';
import { User } from '../identity/entities/user.entity';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { EXAM_ENTITIES } from './entities/exam.entity';
import { AttemptsService } from './attempts.service';
import { ExamAnswerStore } from './exam-answer.store';
import { ExamPapersService } from './exam-papers.service';
import { DrawMissingPapersOnBoot } from './jobs/draw-missing-papers.on-boot';
import { CertificatesModule } from '../certificates/certificates.module';
import { ExamResultCertificates } from '../certificates/exam-result-certificates';
import { EXAM_RESULT_PUBLISHED } from './exam-result-published.port';
import { ExamsController } from './exams.controller';
import { AttemptMediaController } from './attempt-media.controller';
import { ExamsService } from './exams.service';
import { ResultsService } from './results.service';
import { SessionsService } from './sessions.service';
import { GradingModule } from '../grading/grading.module';
import { LabellingJobsModule, LabellingModule } from '../labelling/labelling.module';
import { PromptsModule } from '../prompts/prompts.module';
import { PracticalItemGrader } from './practical-item-grader';
import { ShortAnswerJudge } from './short-answer-judge';
import { LlmAuditService } from './llm-audit.service';
import { LlmModule } from '../infra/llm/llm.module';
import { JsonSchemaValidator } from '../infra/json-schema';
import { LlmJudge } from '../grading/judge/llm-judge';

const providers = [
  ExamsService,
  SessionsService,
  AttemptsService,
  ResultsService,
  ExamAnswerStore,
  ExamPapersService,
  // Published passes become certificate pairs: the certificates context implements the port (idempotent per result).
  { provide: EXAM_RESULT_PUBLISHED, useExisting: ExamResultCertificates },
];

/**
 * Exams, blueprints, sessions, registrations, the attempt engine and results. The candidate's paper shows practical
 * items through the labelling context's LabellingExamCandidateView and the prompts context's PromptTasksService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([...EXAM_ENTITIES, User]), QuestionBankModule, CoursesModule, CertificatesModule, LabellingModule, PromptsModule, GradingModule],
  controllers: [ExamsController, AttemptMediaController],
  providers: [...providers, LlmAuditService],
  exports: [AttemptsService, ResultsService],
})
export class ExamsModule {}

/** What the worker needs for the deadline job, without the HTTP controller. */
@Module({
  imports: [TypeOrmModule.forFeature([...EXAM_ENTITIES, User]), QuestionBankModule, CoursesModule, CertificatesModule, LabellingJobsModule, PromptsModule],
  providers: [...providers, DrawMissingPapersOnBoot],
  exports: [AttemptsService, ResultsService],
})
export class ExamsJobsModule {}

/**
 * What the worker needs for `grade-exam-item`: practical items graded through the labelling context's port
 * (LabellingExamItemGrader) and the prompts context's PromptGrader, short answers by the shared LlmJudge; grades
 * stored by GradingService.
 */
@Module({
  imports: [TypeOrmModule.forFeature(EXAM_ENTITIES), ExamsJobsModule, QuestionBankModule, GradingModule, LabellingJobsModule, PromptsModule, LlmModule],
  providers: [PracticalItemGrader, ShortAnswerJudge, LlmJudge, JsonSchemaValidator],
  exports: [PracticalItemGrader],
})
export class ExamGradingJobsModule {}
