import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ImportQuestionsResponse, QuestionView } from '@aitrainer/contracts';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CreateQuestionDto, ImportQuestionsDto, ImportQuestionsXlsxDto, QuestionQueryDto } from './dto/question.dto';
import { QuestionBankService } from './question-bank.service';

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

  /** The bank's Excel template (base64 of the .xlsx); skipped rows are named by their Excel row number and why. */
  @Post('imports/xlsx')
  @HttpCode(200)
  @Roles('instructor')
  importXlsx(@Ctx() ctx: RequestContext, @Body() dto: ImportQuestionsXlsxDto): Promise<ImportQuestionsResponse> {
    return this.bank.importXlsx(ctx, dto.content, dto.tags);
  }

  /** GIFT, Moodle XML or the bank's CSV template; the answer names every question that could not be imported and why. */
  @Post('imports')
  @HttpCode(200)
  @Roles('instructor')
  import(@Ctx() ctx: RequestContext, @Body() dto: ImportQuestionsDto): Promise<ImportQuestionsResponse> {
    return this.bank.import(ctx, dto);
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
