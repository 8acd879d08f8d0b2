import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBase64, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { DIFFICULTIES, QUESTION_IMPORT_FORMATS, QUESTION_TYPES, type CreateQuestionRequest, type ImportQuestionsRequest, type QuestionImportFormat, type Difficulty, type QuestionContent, type QuestionTags, type QuestionType, type SkillLevel } from '@aitrainer/contracts';

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

/** The bank's Excel template: the .xlsx file as base64, with the default tags. */
export class ImportQuestionsXlsxDto {
  @ApiProperty({ description: 'the .xlsx file, base64' }) @IsString() @MinLength(1) @MaxLength(2_000_000) content!: string;
  @ApiProperty({ type: QuestionTagsDto }) @IsObject() @ValidateNested() @Type(() => QuestionTagsDto) tags!: QuestionTagsDto;
}

export class ImportQuestionsDto implements ImportQuestionsRequest {
  @ApiProperty({ enum: QUESTION_IMPORT_FORMATS }) @IsIn(QUESTION_IMPORT_FORMATS) format!: QuestionImportFormat;
  /** The file's text; or its bytes as contentBase64 (decoded on the server, which detects the encoding). */
  @ApiProperty({ required: false }) @ValidateIf((o: ImportQuestionsDto) => o.contentBase64 === undefined) @IsString() @MinLength(1) @MaxLength(1_500_000) content?: string;
  @ApiProperty({ required: false, description: 'the file, base64' }) @ValidateIf((o: ImportQuestionsDto) => o.contentBase64 !== undefined) @IsBase64() @MinLength(1) @MaxLength(2_000_000) contentBase64?: string;
  @ApiProperty({ type: QuestionTagsDto }) @IsObject() @ValidateNested() @Type(() => QuestionTagsDto) tags!: QuestionTagsDto;
}
