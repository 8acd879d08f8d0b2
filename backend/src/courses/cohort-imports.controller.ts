import { Controller, Get, Header, Param, ParseIntPipe, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StudentImportResult, StudentImportView } from '@aitrainer/contracts';
import type { UploadedFileLike } from './uploaded-file';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { StudentImportService } from './student-import.service';

const TEMPLATE = '\uFEFF姓名,证件类型,证件号码,手机号,班级\r\n张三,居民身份证,11010519491231002X,13800138000,2026级人工智能训练师1班\r\n';

/** Roster imports of a school: CSV or .xlsx in, all-or-nothing, with a row-by-row report. */
@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('v1/cohort-imports')
export class CohortImportsController {
  constructor(private readonly imports: StudentImportService) {}

  @Post()
  @Roles('school_admin')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1 } }))
  import(@Ctx() ctx: RequestContext, @UploadedFile() file: UploadedFileLike | undefined): Promise<StudentImportResult> {
    return this.imports.import(ctx, file);
  }

  @Get()
  @Roles('school_admin')
  list(@Ctx() ctx: RequestContext): Promise<StudentImportView[]> {
    return this.imports.list(ctx);
  }

  @Get('template.csv')
  @Roles('school_admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="roster-template.csv"')
  template(): string {
    return TEMPLATE;
  }

  @Get(':id')
  @Roles('school_admin')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<StudentImportView> {
    return this.imports.get(ctx, id);
  }

  @Get(':id/report.csv')
  @Roles('school_admin')
  async report(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Res() res: Response, @Query('lang') lang?: string): Promise<void> {
    // `?lang=en` in English, `?lang=codes` with stable codes for machines; Chinese otherwise.
    const { fileName, csv } = await this.imports.reportCsv(ctx, id, lang === 'en' || lang === 'codes' ? lang : 'zh');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.send(csv);
  }
}
