import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LlmModule } from '../infra/llm/llm.module';
import { JsonSchemaValidator } from '../infra/json-schema';
import { GradingModule } from '../grading/grading.module';
import { User } from '../identity/entities/user.entity';
import { PromptTask, PromptTaskVersion } from './entities/prompt-task.entity';
import { PlaygroundUsage, PromptAnswer } from './entities/prompt-answer.entity';
import { PromptTasksService } from './prompt-tasks.service';
import { PromptPracticeService } from './prompt-practice.service';
import { PromptGradingService } from './prompt-grading.service';
import { PromptGrader } from './prompt-grader';
import { LlmJudge } from '../grading/judge/llm-judge';
import { PromptsController } from './prompts.controller';

@Module({
  imports: [TypeOrmModule.forFeature([PromptTask, PromptTaskVersion, PromptAnswer, PlaygroundUsage, User]), LlmModule, GradingModule],
  controllers: [PromptsController],
  providers: [PromptTasksService, PromptPracticeService, PromptGradingService, PromptGrader, LlmJudge, JsonSchemaValidator],
  // PromptGrader and PromptTasksService: what practical exam items (prompt_task) are graded with.
  exports: [PromptGradingService, PromptGrader, PromptTasksService],
})
export class PromptsModule {}
