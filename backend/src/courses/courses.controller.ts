import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { UploadInterceptor, type UploadedBytes } from '../common/uploads/upload.interceptor';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AttachmentView, CourseDetailView, CourseRosterEntry, CourseSummaryView, EnrolResult, MarkdownPreviewResponse } from '@aitrainer/contracts';
import { AnyRole, Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CoursesService, MAX_ATTACHMENT_BYTES } from './courses.service';
import { CourseDraftDto, CreateCourseDto, EnrolDto, MarkdownPreviewDto } from './dto/course.dto';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('v1/courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get()
  @Roles('instructor', 'school_admin', 'platform_admin')
  list(@Ctx() ctx: RequestContext): Promise<CourseSummaryView[]> {
    return this.courses.list(ctx);
  }

  @Post()
  @Roles('instructor')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateCourseDto): Promise<CourseDetailView> {
    return this.courses.create(ctx, dto);
  }

  @Post('markdown-preview')
  @Roles('instructor')
  preview(@Body() dto: MarkdownPreviewDto): MarkdownPreviewResponse {
    return this.courses.preview(dto.markdown);
  }

  @Get(':id')
  @Roles('instructor', 'school_admin', 'platform_admin')
  detail(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<CourseDetailView> {
    return this.courses.detail(ctx, id);
  }

  @Put(':id/draft')
  @Roles('instructor')
  saveDraft(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: CourseDraftDto): Promise<CourseDetailView> {
    return this.courses.saveDraft(ctx, id, dto);
  }

  @Post(':id/publish')
  @Roles('instructor')
  publish(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<CourseDetailView> {
    return this.courses.publish(ctx, id);
  }

  @Post(':id/lessons/:lessonKey/attachments')
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UploadInterceptor([{ name: 'file', maxCount: 1 }], { maxFileBytes: MAX_ATTACHMENT_BYTES, maxFields: 4 }))
  addAttachment(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseIntPipe) id: number,
    @Param('lessonKey') lessonKey: string,
    @UploadedFiles() files: { file?: UploadedBytes[] } = {},
  ): Promise<AttachmentView> {
    return this.courses.addAttachment(ctx, id, lessonKey, files.file?.[0]);
  }

  @Get(':id/attachments/:attachmentId')
  @AnyRole()
  async download(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseIntPipe) id: number,
    @Param('attachmentId', ParseIntPipe) attachmentId: number,
    @Res() res: Response,
  ): Promise<void> {
    const { attachment, stream } = await this.courses.openAttachment(ctx, id, attachmentId);
    // Always a download, never rendered by the browser: an uploaded .html cannot run in the portal's origin.
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(attachment.size));
    res.setHeader('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    stream.pipe(res);
  }

  @Post(':id/enrolments')
  @Roles('instructor', 'school_admin')
  enrol(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: EnrolDto): Promise<EnrolResult> {
    return this.courses.enrol(ctx, id, dto);
  }

  @Get(':id/roster')
  @Roles('instructor', 'school_admin', 'platform_admin')
  roster(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<CourseRosterEntry[]> {
    return this.courses.roster(ctx, id);
  }
}
