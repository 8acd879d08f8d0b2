import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GradingModule } from '../grading/grading.module';
import { User } from '../identity/entities/user.entity';
import { LABELLING_ENTITIES } from './entities';
import { ExercisesService } from './exercises.service';
import { LabellingController } from './labelling.controller';
import { LabellingGrader } from './labelling-grader.service';
import { LabellingMediaStore } from './labelling-media.store';
import { PracticeService } from './practice.service';
import { LlmModule } from '../infra/llm/llm.module';
import { JsonSchemaValidator } from '../infra/json-schema';
import { LlmJudge } from '../grading/judge/llm-judge';
import { OpenTaskGrader } from './open-task-grader';
import { MistakeExplainer } from './mistake-explainer.service';
import { LabellingReviewService } from './labelling-review.service';
import { LabellingCalibrationService } from './calibration.service';
import { LabellingExamItemGrader } from './exam-item-grader';
import { LabellingExamCandidateView } from './exam-candidate-view';

const GRADING_PROVIDERS = [LabellingGrader, OpenTaskGrader, MistakeExplainer, LabellingCalibrationService, LabellingExamItemGrader, LlmJudge, JsonSchemaValidator];

/** Labelling exercises: datasets with gold, Label Studio import/export, practice with autosave, grading jobs. */
@Module({
  imports: [TypeOrmModule.forFeature([...LABELLING_ENTITIES, User]), GradingModule, LlmModule],
  controllers: [LabellingController],
  providers: [ExercisesService, PracticeService, LabellingReviewService, LabellingMediaStore, LabellingExamCandidateView, ...GRADING_PROVIDERS],
  // LabellingExamItemGrader and LabellingExamCandidateView: the ports exams grade and show practical items through.
  exports: [LabellingGrader, OpenTaskGrader, LabellingExamItemGrader, LabellingExamCandidateView],
})
export class LabellingModule {}

/** What the worker needs to run labelling jobs, without the HTTP controller. */
@Module({
  imports: [TypeOrmModule.forFeature(LABELLING_ENTITIES), GradingModule, LlmModule],
  providers: [...GRADING_PROVIDERS, LabellingMediaStore, LabellingExamCandidateView],
  // LabellingExamItemGrader and LabellingExamCandidateView: the ports practical exam items are graded and shown through.
  exports: [LabellingGrader, MistakeExplainer, LabellingCalibrationService, LabellingExamItemGrader, LabellingExamCandidateView],
})
export class LabellingJobsModule {}
