import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Res, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { UploadInterceptor } from '../common/uploads/upload.interceptor';
import { UPLOAD_LIMITS } from '../common/uploads/upload-limits';
import { createReadStream } from 'node:fs';
import type { Response } from 'express';
import type {
  DatasetImportResult,
  ExerciseItemView,
  ExerciseView,
  CalibrationReportView,
  ExerciseAgreementView,
  LabellingReviewDetail,
  LabellingReviewSummary,
  SaveAnswerResponse,
  SubmissionSummaryView,
  SubmissionView,
} from '@aitrainer/contracts';
import { AnyRole, Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CreateExerciseDto, SaveAnswerDto, SetGoldDto, SubmitLabellingReviewDto, UpdateExerciseDto } from './dto/exercise.dto';
import { LabellingReviewService } from './labelling-review.service';
import { LabellingCalibrationService } from './calibration.service';
import { ExercisesService, type UploadedFile } from './exercises.service';
import { PracticeService } from './practice.service';

type Uploads = { file?: UploadedFile[]; media?: UploadedFile[]; config?: UploadedFile[] };

/**
 * Multipart: `file` (the dataset or Label Studio export), any number of `media` files (images, audio) and, for a
 * Label Studio import, the project's labelling `config` (XML). Label Studio imports also take the text fields
 * `partial` ("true": import the valid tasks, report the others) and `goldRule` (first | latest | none).
 */
const uploads = () =>
  UploadInterceptor([{ name: 'file', maxCount: 1 }, { name: 'media', maxCount: 5000 }, { name: 'config', maxCount: 1 }], { maxFileBytes: UPLOAD_LIMITS.labellingFile, maxFields: 10 });
const calibrationUpload = () => UploadInterceptor([{ name: 'file', maxCount: 1 }], { maxFileBytes: UPLOAD_LIMITS.calibration, maxFields: 4 });

@ApiTags('labelling')
@ApiBearerAuth()
@Controller('v1/labelling')
export class LabellingController {
  constructor(
    private readonly exercises: ExercisesService,
    private readonly practice: PracticeService,
    private readonly reviews: LabellingReviewService,
    private readonly calibration: LabellingCalibrationService,
  ) {}

  @Post('exercises/:id/calibration')
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(calibrationUpload())
  calibrate(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @UploadedFiles() files: Uploads = {}): Promise<CalibrationReportView> {
    return this.calibration.start(ctx, id, files.file?.[0]);
  }

  @Get('exercises/:id/calibration')
  @Roles('instructor')
  calibrationReport(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<CalibrationReportView> {
    return this.calibration.latest(ctx, id);
  }

  @Get('reviews')
  @Roles('instructor', 'org_admin', 'platform_admin')
  reviewQueue(@Ctx() ctx: RequestContext): Promise<LabellingReviewSummary[]> {
    return this.reviews.queue(ctx);
  }

  @Get('reviews/:submissionId')
  @Roles('instructor', 'org_admin', 'platform_admin')
  reviewDetail(@Ctx() ctx: RequestContext, @Param('submissionId', ParseIntPipe) id: number): Promise<LabellingReviewDetail> {
    return this.reviews.detail(ctx, id);
  }

  @Post('reviews/:submissionId')
  @Roles('instructor', 'org_admin', 'platform_admin')
  @HttpCode(200)
  review(@Ctx() ctx: RequestContext, @Param('submissionId', ParseIntPipe) id: number, @Body() dto: SubmitLabellingReviewDto): Promise<LabellingReviewDetail> {
    return this.reviews.review(ctx, id, dto);
  }

  @Get('exercises')
  @Roles('instructor', 'student')
  list(@Ctx() ctx: RequestContext): Promise<ExerciseView[]> {
    return this.exercises.list(ctx);
  }

  @Post('exercises')
  @Roles('instructor')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateExerciseDto): Promise<ExerciseView> {
    return this.exercises.create(ctx, dto);
  }

  @Get('exercises/:id')
  @Roles('instructor', 'student')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExerciseView> {
    return this.exercises.get(ctx, id);
  }

  @Patch('exercises/:id')
  @Roles('instructor')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateExerciseDto): Promise<ExerciseView> {
    return this.exercises.update(ctx, id, dto);
  }

  @Post('exercises/:id/publish')
  @Roles('instructor')
  @HttpCode(200)
  publish(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExerciseView> {
    return this.exercises.publish(ctx, id);
  }

  @Post('exercises/:id/dataset')
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(uploads())
  importDataset(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @UploadedFiles() files: Uploads = {}): Promise<DatasetImportResult> {
    return this.exercises.importDataset(ctx, id, files.file?.[0], files.media ?? []);
  }

  @Post('exercises/:id/label-studio')
  @Roles('instructor')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(uploads())
  importLabelStudio(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseIntPipe) id: number,
    @UploadedFiles() files: Uploads = {},
    @Body() body: Record<string, unknown> = {},
  ): Promise<DatasetImportResult> {
    return this.exercises.importLabelStudio(ctx, id, files.file?.[0], files.media ?? [], files.config?.[0], { partial: body['partial'], goldRule: body['goldRule'] });
  }

  /** The Label Studio export in the form the tasks came in (JSON, JSON-MIN or CSV; JSON for other datasets). */
  @Get('exercises/:id/label-studio')
  @Roles('instructor')
  async exportLabelStudio(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: Response): Promise<string> {
    const file = await this.exercises.exportLabelStudio(ctx, id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return file.body;
  }

  @Get('exercises/:id/agreement')
  @Roles('instructor')
  agreement(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExerciseAgreementView> {
    return this.exercises.agreement(ctx, id);
  }

  @Get('exercises/:id/items')
  @Roles('instructor', 'student')
  items(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExerciseItemView[]> {
    return this.exercises.listItems(ctx, id);
  }

  @Put('exercises/:id/items/:itemId/gold')
  @Roles('instructor')
  setGold(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('itemId') itemId: string, @Body() dto: SetGoldDto): Promise<ExerciseItemView> {
    return this.exercises.setGold(ctx, id, itemId, dto.gold);
  }

  @Get('exercises/:id/media/:name')
  @Roles('instructor', 'student')
  async media(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('name') name: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.exercises.mediaFile(ctx, id, name);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(createReadStream(file.path), { type: file.mime });
  }

  @Get('exercises/:id/submissions')
  @Roles('instructor')
  submissionsOf(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SubmissionSummaryView[]> {
    return this.exercises.submissionsOf(ctx, id);
  }

  @Post('exercises/:id/submissions')
  @Roles('student')
  start(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SubmissionView> {
    return this.practice.start(ctx, id);
  }

  @Get('exercises/:id/my-submission')
  @Roles('student')
  mine(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SubmissionView> {
    return this.practice.latest(ctx, id);
  }

  @Get('submissions/:id')
  @AnyRole()
  submission(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SubmissionView> {
    return this.practice.get(ctx, id);
  }

  @Put('submissions/:id/answers/:itemId')
  @Roles('student')
  saveAnswer(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('itemId') itemId: string, @Body() dto: SaveAnswerDto): Promise<SaveAnswerResponse> {
    return this.practice.saveAnswer(ctx, id, itemId, dto.seq, dto.value);
  }

  @Post('submissions/:id/submit')
  @Roles('student')
  @HttpCode(202)
  submit(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SubmissionView> {
    return this.practice.submit(ctx, id);
  }
}
