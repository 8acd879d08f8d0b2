import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  DUTY_AREAS,
  SKILL_LEVELS,
  type CourseDraftRequest,
  type CreateCourseRequest,
  type DutyArea,
  type EnrolRequest,
  type HeartbeatRequest,
  type LessonDraft,
  type MarkdownPreviewRequest,
  type ModuleDraft,
  type SkillLevel,
} from '@aitrainer/contracts';

export const MAX_LESSON_MARKDOWN = 100_000;
const KEY = /^[A-Za-z0-9_-]{1,36}$/;
const HTTP_URL = /^https?:\/\/[^\s<>"']+$/i;

export class LessonDraftDto implements LessonDraft {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(KEY, { message: 'must be 1-36 letters, digits, dashes or underscores', context: { problem: 'KEY_FORMAT' } })
  key?: string;

  @ApiProperty() @IsString() @MinLength(1, { message: 'is required' }) @MaxLength(200)
  title!: string;

  @ApiProperty() @IsString() @MaxLength(MAX_LESSON_MARKDOWN)
  contentMarkdown!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null && v !== '') @IsString() @MaxLength(500) @Matches(HTTP_URL, { message: 'must be an http(s) address', context: { problem: 'NOT_A_URL' } })
  videoUrl?: string | null;

  @ApiProperty({ description: 'Estimated minutes, counted towards training hours once completed' })
  @IsInt() @Min(1) @Max(600)
  durationMinutes!: number;
}

export class ModuleDraftDto implements ModuleDraft {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(KEY, { message: 'must be 1-36 letters, digits, dashes or underscores', context: { problem: 'KEY_FORMAT' } })
  key?: string;

  @ApiProperty() @IsString() @MinLength(1, { message: 'is required' }) @MaxLength(200)
  title!: string;

  @ApiProperty({ type: [LessonDraftDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => LessonDraftDto)
  lessons!: LessonDraftDto[];
}

class CourseFieldsDto {
  @ApiProperty({ example: '数据标注基础（五级）' }) @IsString() @MinLength(1, { message: 'is required' }) @MaxLength(200)
  title!: string;

  @ApiProperty() @IsString() @MaxLength(5000)
  description!: string;

  @ApiProperty({ enum: SKILL_LEVELS }) @IsIn(SKILL_LEVELS as SkillLevel[], { message: 'must be a level from 1 to 5', context: { problem: 'LEVEL_FORMAT' } })
  targetLevel!: SkillLevel;

  @ApiProperty({ enum: DUTY_AREAS, isArray: true })
  @IsArray() @ArrayMaxSize(DUTY_AREAS.length) @IsIn(DUTY_AREAS as DutyArea[], { each: true, message: `each must be one of ${DUTY_AREAS.join(', ')}` })
  dutyAreas!: DutyArea[];

  @ApiPropertyOptional({ nullable: true, description: 'Training hours required; empty = the level’s reference hours' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber({ maxDecimalPlaces: 1 }, { message: 'must be a number of hours with at most one decimal', context: { problem: 'HOURS_FORMAT' } }) @Min(0) @Max(1000)
  requiredHours?: number | null;

  @ApiPropertyOptional({ description: 'Share (0-100) of a lesson’s estimated time a student must spend on it' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  minTimePercent?: number;

}

export class CourseDraftDto extends CourseFieldsDto implements CourseDraftRequest {
  @ApiProperty({ type: [ModuleDraftDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ModuleDraftDto)
  modules!: ModuleDraftDto[];
}

export class CreateCourseDto extends CourseFieldsDto implements CreateCourseRequest {
  @ApiPropertyOptional({ type: [ModuleDraftDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ModuleDraftDto)
  modules?: ModuleDraftDto[];
}

export class MarkdownPreviewDto implements MarkdownPreviewRequest {
  @ApiProperty() @IsString() @MaxLength(MAX_LESSON_MARKDOWN)
  markdown!: string;
}

export class EnrolDto implements EnrolRequest {
  @ApiPropertyOptional() @ValidateIf((o: EnrolDto) => o.userId === undefined) @IsInt({ message: 'or userId is required', context: { problem: 'COHORT_OR_USER_REQUIRED' } }) @Min(1)
  cohortId?: number;

  @ApiPropertyOptional() @ValidateIf((o: EnrolDto) => o.cohortId === undefined) @IsInt({ message: 'or cohortId is required', context: { problem: 'COHORT_OR_USER_REQUIRED' } }) @Min(1)
  userId?: number;
}

export class HeartbeatDto implements HeartbeatRequest {
  @ApiPropertyOptional({ enum: ['open', 'beat'] }) @IsOptional() @IsIn(['open', 'beat'], { message: 'must be open or beat' })
  event?: 'open' | 'beat';

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  reachedEnd?: boolean;
}
