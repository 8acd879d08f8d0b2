import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { DIFFICULTIES, QUESTION_IMPORT_FORMATS, QUESTION_TYPES, type CreateQuestionRequest, type QuestionImportFormat, type Difficulty, type QuestionContent, type QuestionTags, type QuestionType, type SkillLevel } from '@aitrainer/contracts';

export class QuestionTagsDto implements QuestionTags {
  @ApiProperty({ example: '4-04-05-05' }) @IsString() @MinLength(1) @MaxLength(16) occupation!: string;
  @ApiProperty({ example: [4, 5] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @IsInt({ each: true }) @Min(1, { each: true }) @Max(5, { each: true }) levels!: SkillLevel[];
  @ApiProperty({ example: '数据标注' }) @IsString() @MinLength(1) @MaxLength(100) dutyArea!: string;
  @ApiProperty({ example: '标注规范' }) @IsString() @MaxLength(200) knowledgePoint!: string;
  @ApiProperty({ enum: DIFFICULTIES }) @IsIn(DIFFICULTIES) difficulty!: Difficulty;
}

export class CreateQuestionDto implements CreateQuestionRequest {
  @ApiProperty({ enum: QUESTION_TYPES }) @IsIn(QUESTION_TYPES) type!: QuestionType;
  /** Checked per type by `questionContentProblems` (libs/domain), which names each wrong field. */
  @ApiProperty({ type: Object }) @IsObject() content!: QuestionContent;
  @ApiProperty({ type: QuestionTagsDto }) @IsObject() @ValidateNested() @Type(() => QuestionTagsDto) tags!: QuestionTagsDto;
}

export class QuestionQueryDto {
  @IsOptional() @IsIn(QUESTION_TYPES) type?: QuestionType;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5) level?: number;
  @IsOptional() @IsString() @MaxLength(100) dutyArea?: string;
  @IsOptional() @IsString() @MaxLength(200) knowledgePoint?: string;
  @IsOptional() @IsIn(DIFFICULTIES) difficulty?: Difficulty;
  @IsOptional() @IsString() @MaxLength(100) q?: string;
}

/**
 * The text fields of a question import (multipart/form-data, beside the `file`): `tags` is the JSON of the tags for
 * every imported question; `format` names the file's format (not sent for the Excel template).
 */
export class ImportQuestionsFormDto {
  @ApiProperty({ enum: QUESTION_IMPORT_FORMATS, required: false }) @IsOptional() @IsIn(QUESTION_IMPORT_FORMATS) format?: QuestionImportFormat;
  @ApiProperty({ description: 'JSON of the tags (QuestionTags)' }) @IsString() @MinLength(2) @MaxLength(4000) tags!: string;
}
