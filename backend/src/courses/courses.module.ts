import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { StorageModule } from '../infra/storage/storage.module';
import { User } from '../identity/entities/user.entity';
import { Cohort, CohortStudent } from './entities/cohort.entity';
import { COURSE_ENTITIES } from './entities/course.entity';
import { CohortsController } from './cohorts.controller';
import { CohortsService } from './cohorts.service';
import { CohortImportsController } from './cohort-imports.controller';
import { StudentImportService } from './student-import.service';
import { CoursesController } from './courses.controller';
import { CoursesService } from './courses.service';
import { CourseContentRepository } from './course-content.repository';
import { LearningController } from './learning.controller';
import { LearningService } from './learning.service';
import { CourseClock } from './course-clock';

@Module({
  imports: [TypeOrmModule.forFeature([Cohort, CohortStudent, User, ...COURSE_ENTITIES]), StorageModule],
  controllers: [CohortsController, CohortImportsController, CoursesController, LearningController],
  providers: [CohortsService, StudentImportService, CoursesService, CourseContentRepository, LearningService, CourseClock, PasswordHasher, FieldCipher],
  // LearningService answers eligibility for the exams context.
  exports: [CohortsService, LearningService],
})
export class CoursesModule {}
