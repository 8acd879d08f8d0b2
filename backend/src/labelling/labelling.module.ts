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

/** Labelling exercises: datasets with gold, Label Studio import/export, practice with autosave, grading jobs. */
@Module({
  imports: [TypeOrmModule.forFeature([...LABELLING_ENTITIES, User]), GradingModule],
  controllers: [LabellingController],
  providers: [ExercisesService, PracticeService, LabellingGrader, LabellingMediaStore],
  exports: [LabellingGrader],
})
export class LabellingModule {}

/** What the worker needs to run labelling jobs, without the HTTP controller. */
@Module({
  imports: [TypeOrmModule.forFeature(LABELLING_ENTITIES), GradingModule],
  providers: [LabellingGrader],
  exports: [LabellingGrader],
})
export class LabellingJobsModule {}
