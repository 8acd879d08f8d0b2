import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  EXAM_PARTS,
  QUESTION_TYPES,
  type BlueprintSection,
  type CreateExamRequest,
  type CreateSessionRequest,
  type Difficulty,
  type ExamAnswerValue,
  type ExamEligibilityRules,
  type ExamPart,
  type ExamPartDefinition,
  type QuestionType,
  type RegisterCandidateRequest,
  type RegradeRequest,
  type SaveExamAnswerRequest,
  type SetExtraTimeRequest,
  type BulkRegistrationRequest,
  type BlueprintPreviewRequest,
  type SkillLevel,
  type StartAttemptRequest,
} from '@aitrainer/contracts';

export class ExamPartDto implements ExamPartDefinition {
  @ApiProperty({ enum: EXAM_PARTS }) @IsIn(EXAM_PARTS) part!: ExamPart;
  @ApiProperty({ example: 90 }) @IsNumber() @Min(1) @Max(600) durationMinutes!: number;
  @ApiProperty({ example: 60 }) @IsNumber() @Min(0) @Max(100) passMark!: number;
}

export class BlueprintSectionDto implements BlueprintSection {
  @ApiProperty({ enum: EXAM_PARTS }) @IsIn(EXAM_PARTS) part!: ExamPart;
  @ApiProperty({ enum: QUESTION_TYPES }) @IsIn(QUESTION_TYPES) type!: QuestionType;
  @ApiProperty({ example: 50 }) @IsInt() @Min(1) @Max(500) count!: number;
  @ApiProperty({ example: 0.5 }) @IsNumber() @Min(0.01) @Max(100) points!: number;
  @ApiPropertyOptional() @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) dutyAreas?: string[];
  @ApiPropertyOptional({ example: { easy: 10, hard: 5 } }) @IsOptional() @IsObject() difficultyMix?: Partial<Record<Difficulty, number>>;
}

export class EligibilityDto implements ExamEligibilityRules {
  @ApiProperty({ type: [Number] }) @IsArray() @ArrayMaxSize(50) @IsInt({ each: true }) requiredCourseIds!: number[];
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(1000) minTrainingHours?: number;
}

export class CreateExamDto implements CreateExamRequest {
  @ApiProperty({ example: '人工智能训练师（四级）2026年第1期' }) @IsString() @MinLength(1) @MaxLength(200) title!: string;
  @ApiProperty({ example: 4 }) @IsInt() @Min(1) @Max(5) level!: SkillLevel;
  @ApiProperty({ type: [ExamPartDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => ExamPartDto) parts!: ExamPartDto[];
  @ApiProperty({ type: [BlueprintSectionDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => BlueprintSectionDto) blueprint!: BlueprintSectionDto[];
  @ApiProperty({ type: EligibilityDto }) @IsObject() @ValidateNested() @Type(() => EligibilityDto) eligibility!: EligibilityDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() shuffleOptions?: boolean;
}

export class BlueprintPreviewDto implements BlueprintPreviewRequest {
  @ApiProperty({ example: 5 }) @IsInt() @Min(1) @Max(5) level!: SkillLevel;
  @ApiProperty({ type: [BlueprintSectionDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => BlueprintSectionDto) blueprint!: BlueprintSectionDto[];
}

export class CreateSessionDto implements CreateSessionRequest {
  @ApiProperty() @IsInt() examId!: number;
  @ApiProperty({ example: '杭州职业技术学院 A301' }) @IsString() @MinLength(1) @MaxLength(200) venue!: string;
  @ApiProperty() @IsISO8601() startsAt!: string;
  @ApiProperty() @IsISO8601() endsAt!: string;
}

export class RegisterCandidateDto implements RegisterCandidateRequest {
  @ApiPropertyOptional() @IsOptional() @IsInt() userId?: number;
  @ApiPropertyOptional({ description: 'Instead of userId: the candidate\'s username' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) username?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(600) extraMinutes?: number;
}

export class BulkRegistrationDto implements BulkRegistrationRequest {
  @ApiProperty({ type: [Number] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsInt({ each: true }) userIds!: number[];
}

export class SetExtraTimeDto implements SetExtraTimeRequest {
  @ApiProperty() @IsInt() @Min(0) @Max(600) extraMinutes!: number;
}

export class StartAttemptDto implements StartAttemptRequest {
  @ApiProperty({ enum: EXAM_PARTS }) @IsIn(EXAM_PARTS) part!: ExamPart;
}

export class SaveExamAnswerDto implements SaveExamAnswerRequest {
  @ApiProperty({ description: 'Client sequence number; the highest wins' }) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) seq!: number;
  @ApiProperty({ description: 'true/false, an option key, a list of keys, or text' }) @IsDefined() value!: ExamAnswerValue;
}

export class GradeItemDto {
  @ApiProperty() @IsNumber() @Min(0) score!: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
}

export class RegradeDto implements RegradeRequest {
  @ApiProperty({ enum: ['score', 'rescore'] }) @IsIn(['score', 'rescore']) mode!: 'score' | 'rescore';
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) score?: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
  @ApiProperty() @IsBoolean() dryRun!: boolean;
}
