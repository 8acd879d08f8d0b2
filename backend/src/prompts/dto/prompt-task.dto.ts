import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PROMPT_TASK_AUDIENCES, type PlaygroundRequest, type PromptTaskAudience, type PromptTaskDefinition, type SubmitPromptAnswerRequest, type SubmitReviewRequest } from '@aitrainer/contracts';

export class SavePromptTaskDto {
  @ApiProperty({ description: 'PromptTaskDefinition (see libs/contracts/src/prompts.ts)' })
  @IsObject()
  definition!: PromptTaskDefinition;

  @ApiProperty({ enum: PROMPT_TASK_AUDIENCES, required: false, description: 'Who practises the task once published (default organisation)' })
  @IsOptional() @IsIn(PROMPT_TASK_AUDIENCES as unknown as string[], { message: `must be one of ${PROMPT_TASK_AUDIENCES.join(', ')}` })
  audience?: PromptTaskAudience;
}

export class PlaygroundDto implements PlaygroundRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(8000)
  prompt!: string;

  @ApiProperty() @IsInt() @Min(0)
  exampleIndex!: number;
}

export class SubmitPromptAnswerDto implements SubmitPromptAnswerRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(8000)
  prompt!: string;
}

export class CriterionScoreDto {
  @IsString() @MinLength(1) @MaxLength(64)
  id!: string;

  @IsNumber() @Min(0) @Max(1000)
  score!: number;
}

export class SubmitReviewDto implements SubmitReviewRequest {
  @ApiProperty({ type: [CriterionScoreDto] })
  @IsArray() @ValidateNested({ each: true }) @Type(() => CriterionScoreDto)
  criteria!: CriterionScoreDto[];

  @ApiProperty() @IsString() @MinLength(1, { message: 'must explain the grade', context: { problem: 'GRADE_COMMENT_REQUIRED' } }) @MaxLength(4000)
  comment!: string;
}
