import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoursesModule } from '../courses/courses.module';
import { User } from '../identity/entities/user.entity';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { EXAM_ENTITIES } from './entities/exam.entity';
import { AttemptsService } from './attempts.service';
import { ExamAnswerStore } from './exam-answer.store';
import { EXAM_RESULT_PUBLISHED, NoCertificatesYet } from './exam-result-published.port';
import { ExamsController } from './exams.controller';
import { ExamsService } from './exams.service';
import { ResultsService } from './results.service';
import { SessionsService } from './sessions.service';

const providers = [
  ExamsService,
  SessionsService,
  AttemptsService,
  ResultsService,
  ExamAnswerStore,
  // The certificates context will bind its implementation of the port here.
  { provide: EXAM_RESULT_PUBLISHED, useClass: NoCertificatesYet },
];

/** Exams, blueprints, sessions, registrations, the attempt engine and results. */
@Module({
  imports: [TypeOrmModule.forFeature([...EXAM_ENTITIES, User]), QuestionBankModule, CoursesModule],
  controllers: [ExamsController],
  providers,
  exports: [AttemptsService, ResultsService],
})
export class ExamsModule {}

/** What the worker needs for the deadline job, without the HTTP controller. */
@Module({
  imports: [TypeOrmModule.forFeature([...EXAM_ENTITIES, User]), QuestionBankModule, CoursesModule],
  providers,
  exports: [AttemptsService],
})
export class ExamsJobsModule {}
