import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Cohort, CohortStudent } from './entities/cohort.entity';
import { CohortsController } from './cohorts.controller';
import { CohortsService } from './cohorts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Cohort, CohortStudent])],
  controllers: [CohortsController],
  providers: [CohortsService],
  exports: [CohortsService],
})
export class CoursesModule {}
