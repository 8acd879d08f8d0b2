import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

/** Optional, but not null: a field left out keeps its value, `null` is refused by the field's own rules. */
const OmitOrValid = () => ValidateIf((_o, v) => v !== undefined);
import {
  EXERCISE_AUDIENCES,
  LABELLING_TASK_TYPES,
  type AnswerValue,
  type CreateExerciseRequest,
  type ExerciseAudience,
  type ExerciseScoringOptions,
  type LabellingTaskType,
  type SaveAnswerRequest,
  type SetGoldRequest,
  type SubmitLabellingReviewRequest,
  type OpenTaskGrading,
  type UpdateExerciseRequest,
} from '@aitrainer/contracts';

export class ScoringOptionsDto implements ExerciseScoringOptions {
  @IsOptional() @IsIn(['exact', 'partial'], { message: 'must be exact or partial' }) spanMode?: 'exact' | 'partial';
  @IsOptional() @IsNumber() @Min(0.01) @Max(1) iouThreshold?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) cerFullMarksAtOrBelow?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) cerZeroAtOrAbove?: number;
  @IsOptional() @IsBoolean() showPredictions?: boolean;
  /** Open-ended types: rubric, weights and pass mark (checked by the service, which names each field). */
  @IsOptional() @IsObject() openGrading?: OpenTaskGrading;
}

class LabelSetsDto {
  @ApiPropertyOptional({ type: [String], example: ['positive', 'negative'] })
  @OmitOrValid() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true }) labels?: string[];
  @ApiPropertyOptional({ type: [String], example: ['PER', 'ORG', 'LOC'] })
  @OmitOrValid() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true }) entityTypes?: string[];
  @ApiPropertyOptional({ type: [String] })
  @OmitOrValid() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true }) intents?: string[];
  @ApiPropertyOptional({ type: [String] })
  @OmitOrValid() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true }) slotNames?: string[];
}

export class CreateExerciseDto extends LabelSetsDto implements CreateExerciseRequest {
  @ApiProperty({ example: '新闻情感分类练习' })
  @IsString() @MinLength(1) @MaxLength(200) title!: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(5000) description?: string;

  @ApiProperty({ enum: LABELLING_TASK_TYPES })
  @IsIn(LABELLING_TASK_TYPES as unknown as string[], { message: `must be one of ${LABELLING_TASK_TYPES.join(', ')}` })
  taskType!: LabellingTaskType;

  @ApiPropertyOptional({ enum: EXERCISE_AUDIENCES })
  @IsOptional() @IsIn(EXERCISE_AUDIENCES as unknown as string[], { message: `must be one of ${EXERCISE_AUDIENCES.join(', ')}` })
  audience?: ExerciseAudience;

  @ApiPropertyOptional({ type: ScoringOptionsDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ScoringOptionsDto) scoring?: ScoringOptionsDto;
}

export class UpdateExerciseDto extends LabelSetsDto implements UpdateExerciseRequest {
  @OmitOrValid() @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @OmitOrValid() @IsString() @MaxLength(5000) description?: string;
  @OmitOrValid() @IsIn(EXERCISE_AUDIENCES as unknown as string[], { message: `must be one of ${EXERCISE_AUDIENCES.join(', ')}` }) audience?: ExerciseAudience;
  @OmitOrValid() @IsObject() @ValidateNested() @Type(() => ScoringOptionsDto) scoring?: ScoringOptionsDto;
}

/** The value's shape depends on the exercise's task type: the service checks it with @aitrainer/scoring. */
export class SetGoldDto implements SetGoldRequest {
  @ApiProperty({ type: Object, example: { label: 'positive' } })
  @IsObject() gold!: AnswerValue;
}

export class SaveAnswerDto implements SaveAnswerRequest {
  @ApiProperty({ example: 7, description: 'client sequence number; the highest one wins' })
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) seq!: number;

  @ApiProperty({ type: Object, example: { spans: [{ start: 0, end: 2, type: 'PER' }] } })
  @IsObject() value!: AnswerValue;
}

export class ReviewCriterionScoreDto {
  @IsString() @MinLength(1) @MaxLength(64) id!: string;
  @IsNumber() @Min(0) @Max(1000) score!: number;
}

export class ReviewItemDto {
  @IsString() @MinLength(1) @MaxLength(191) itemId!: string;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ReviewCriterionScoreDto) criteria!: ReviewCriterionScoreDto[];
}

export class SubmitLabellingReviewDto implements SubmitLabellingReviewRequest {
  @ApiProperty({ type: [ReviewItemDto] })
  @IsArray() @ArrayMaxSize(20_000) @ValidateNested({ each: true }) @Type(() => ReviewItemDto) items!: ReviewItemDto[];

  @ApiProperty() @IsString() @MinLength(1, { message: 'must explain the grade', context: { problem: 'GRADE_COMMENT_REQUIRED' } }) @MaxLength(4000) comment!: string;
}
