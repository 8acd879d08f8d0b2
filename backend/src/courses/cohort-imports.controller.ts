import { Controller, Get, Header, Param, ParseIntPipe, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StudentImportResult, StudentImportView } from '@aitrainer/contracts';
import { UploadInterceptor, type UploadedBytes } from '../common/uploads/upload.interceptor';
import { UPLOAD_LIMITS } from '../common/uploads/upload-limits';
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
  @UseInterceptors(UploadInterceptor([{ name: 'file', maxCount: 1 }], { maxFileBytes: UPLOAD_LIMITS.roster, maxFields: 4 }))
  import(@Ctx() ctx: RequestContext, @UploadedFiles() files: { file?: UploadedBytes[] } = {}): Promise<StudentImportResult> {
    return this.imports.import(ctx, files.file?.[0]);
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
