import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Grade } from './entities/grade.entity';
import { GradingService } from './grading.service';
import { QueueAdminController } from './queue-admin.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Grade])],
  controllers: [QueueAdminController],
  providers: [GradingService],
  exports: [GradingService],
})
export class GradingModule {}
