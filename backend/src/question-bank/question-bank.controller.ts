import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Put, Query, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { QUESTION_IMPORT_FORMATS, type ImportQuestionsResponse, type QuestionView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import { UploadInterceptor, type UploadedBytes } from '../common/uploads/upload.interceptor';
import { UPLOAD_LIMITS } from '../common/uploads/upload-limits';
import { jsonFormField } from '../common/validation/validation.pipe';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CreateQuestionDto, ImportQuestionsFormDto, QuestionQueryDto, QuestionTagsDto } from './dto/question.dto';
import { QuestionBankService } from './question-bank.service';

type UploadedFiles = { file?: UploadedBytes[] };

function requiredFile(files: UploadedFiles): UploadedBytes {
  const file = files.file?.[0];
  if (!file || file.size === 0) throw DomainError.validation('file', 'FILE_REQUIRED');
  return file;
}

@ApiTags('question-bank')
@ApiBearerAuth()
@Controller('v1/question-bank')
export class QuestionBankController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get('questions')
  @Roles('instructor')
  list(@Ctx() ctx: RequestContext, @Query() query: QuestionQueryDto): Promise<QuestionView[]> {
    return this.bank.list(ctx, query);
  }

  @Post('questions')
  @Roles('instructor')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateQuestionDto): Promise<QuestionView> {
    return this.bank.create(ctx, dto);
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="question-bank.csv"')
  @Roles('instructor')
  exportCsv(@Ctx() ctx: RequestContext, @Query() query: QuestionQueryDto): Promise<string> {
    return this.bank.exportCsv(ctx, query);
  }

  /** Moodle XML (files included) for Moodle or another bank; labelling and prompt tasks are left out. */
  @Get('export.xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="question-bank.xml"')
  @Roles('instructor')
  exportXml(@Ctx() ctx: RequestContext, @Query() query: QuestionQueryDto): Promise<string> {
    return this.bank.exportMoodle(ctx, query, 'moodle_xml');
  }

  /** GIFT (text only: files are not carried); labelling and prompt tasks are left out. */
  @Get('export.gift')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="question-bank.gift.txt"')
  @Roles('instructor')
  exportGift(@Ctx() ctx: RequestContext, @Query() query: QuestionQueryDto): Promise<string> {
    return this.bank.exportMoodle(ctx, query, 'gift');
  }

  /** The same template as export.csv, as an Excel workbook. */
  @Get('export.xlsx')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', 'attachment; filename="question-bank.xlsx"')
  @Roles('instructor')
  async exportXlsx(@Ctx() ctx: RequestContext, @Query() query: QuestionQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.bank.exportXlsx(ctx, query));
  }

  /**
   * The bank's Excel template, multipart: `file` (.xlsx, at most 5 MB) and `tags` (JSON). The workbook is inspected
   * as a zip and read by a parse worker; skipped rows are named by their Excel row number and why.
   */
  @Post('imports/xlsx')
  @HttpCode(200)
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UploadInterceptor([{ name: 'file', maxCount: 1 }], { maxFileBytes: UPLOAD_LIMITS.questionBankXlsx, maxFields: 4 }))
  importXlsx(@Ctx() ctx: RequestContext, @UploadedFiles() files: UploadedFiles = {}, @Body() form: ImportQuestionsFormDto): Promise<ImportQuestionsResponse> {
    return this.bank.importXlsx(ctx, requiredFile(files), jsonFormField('tags', form.tags, QuestionTagsDto));
  }

  /**
   * GIFT, Moodle XML or the bank's CSV template, multipart: `file` (at most 20 MB; UTF-8 with or without BOM, UTF-16
   * with BOM, GB18030/GBK), `format` and `tags` (JSON). The answer names every question that could not be imported.
   */
  @Post('imports')
  @HttpCode(200)
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UploadInterceptor([{ name: 'file', maxCount: 1 }], { maxFileBytes: UPLOAD_LIMITS.questionBankText, maxFields: 4 }))
  import(@Ctx() ctx: RequestContext, @UploadedFiles() files: UploadedFiles = {}, @Body() form: ImportQuestionsFormDto): Promise<ImportQuestionsResponse> {
    if (!form.format) throw DomainError.validation('format', 'REQUIRED_ONE_OF', { allowed: QUESTION_IMPORT_FORMATS.join(', ') });
    return this.bank.importFile(ctx, form.format, requiredFile(files), jsonFormField('tags', form.tags, QuestionTagsDto));
  }

  @Get('questions/:id')
  @Roles('instructor')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<QuestionView> {
    return this.bank.get(ctx, id);
  }

  @Put('questions/:id')
  @Roles('instructor')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: CreateQuestionDto): Promise<QuestionView> {
    return this.bank.update(ctx, id, dto);
  }

  @Get('questions/:id/versions')
  @Roles('instructor')
  versions(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<QuestionView[]> {
    return this.bank.history(ctx, id);
  }
}
