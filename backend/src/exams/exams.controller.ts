import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { LlmAuditReport, AttemptView, BlueprintCheckView, BlueprintPreviewView, BulkRegistrationView, ExamReviewView, SessionCandidatesView, ExamResultView, ItemAnalysisReport, RegradeView, ExamSessionView, ExamView, RegistrationView, SaveExamAnswerResponse } from '@aitrainer/contracts';
import type { ScoreDistribution } from '@aitrainer/domain';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { BlueprintPreviewDto, BulkRegistrationDto, CreateExamDto, CreateSessionDto, GradeItemDto, RegisterCandidateDto, RegradeDto, SaveExamAnswerDto, SetExtraTimeDto, StartAttemptDto } from './dto/exam.dto';
import { AttemptsService } from './attempts.service';
import { ExamsService } from './exams.service';
import { ResultsService } from './results.service';
import { SessionsService } from './sessions.service';
import { LlmAuditService } from './llm-audit.service';

@ApiTags('exams')
@ApiBearerAuth()
@Controller('v1')
export class ExamsController {
  constructor(
    private readonly exams: ExamsService,
    private readonly sessions: SessionsService,
    private readonly attempts: AttemptsService,
    private readonly results: ResultsService,
    private readonly audit: LlmAuditService,
  ) {}

  // ---- exam definitions (instructors) ----

  @Get('exams')
  @Roles('instructor', 'org_admin')
  list(@Ctx() ctx: RequestContext): Promise<ExamView[]> {
    return this.exams.list(ctx);
  }

  @Post('exams')
  @Roles('instructor')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateExamDto): Promise<ExamView> {
    return this.exams.create(ctx, dto);
  }

  @Get('exams/:id')
  @Roles('instructor', 'org_admin')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExamView> {
    return this.exams.get(ctx, id);
  }

  @Put('exams/:id')
  @Roles('instructor')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: CreateExamDto): Promise<ExamView> {
    return this.exams.update(ctx, id, dto);
  }

  @Post('exams/blueprint-preview')
  @HttpCode(200)
  @Roles('instructor')
  preview(@Ctx() ctx: RequestContext, @Body() dto: BlueprintPreviewDto): Promise<BlueprintPreviewView> {
    return this.exams.previewBlueprint(ctx, dto);
  }

  @Delete('exams/:id')
  @HttpCode(204)
  @Roles('instructor')
  remove(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.exams.remove(ctx, id);
  }

  @Get('exams/:id/blueprint-check')
  @Roles('instructor')
  check(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<BlueprintCheckView> {
    return this.exams.checkBlueprint(ctx, id);
  }

  @Post('exams/:id/publish')
  @HttpCode(200)
  @Roles('instructor')
  publish(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExamView> {
    return this.exams.publish(ctx, id);
  }

  @Get('exams/:id/results')
  @Roles('instructor', 'org_admin')
  examResults(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<{ results: ExamResultView[]; distribution: Record<string, ScoreDistribution> }> {
    return this.results.forExam(ctx, id);
  }

  /** LLM-graded items with their guard reports, the human audit sample and its agreement with the model. */
  @Get('exams/:id/llm-audit')
  @Roles('instructor', 'org_admin')
  llmAudit(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<LlmAuditReport> {
    return this.audit.report(ctx, id);
  }

  @Get('exams/:id/item-analysis')
  @Roles('instructor')
  itemAnalysis(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ItemAnalysisReport> {
    return this.results.itemAnalysis(ctx, id);
  }

  /** Regrade one question across all attempts; `dryRun: true` lists whose pass/fail would change. */
  @Post('exams/:id/questions/:questionId/regrade')
  @HttpCode(200)
  @Roles('instructor')
  regrade(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('questionId', ParseIntPipe) questionId: number, @Body() dto: RegradeDto): Promise<RegradeView> {
    return this.results.regrade(ctx, id, questionId, dto);
  }

  // ---- sessions and registration (org admins; students register themselves) ----

  @Get('exam-sessions')
  @Roles('org_admin')
  sessionsList(@Ctx() ctx: RequestContext): Promise<ExamSessionView[]> {
    return this.sessions.list(ctx);
  }

  @Post('exam-sessions')
  @Roles('org_admin')
  createSession(@Ctx() ctx: RequestContext, @Body() dto: CreateSessionDto): Promise<ExamSessionView> {
    return this.sessions.create(ctx, dto);
  }

  @Get('exam-sessions/:id/registrations')
  @Roles('org_admin')
  registrations(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<RegistrationView[]> {
    return this.sessions.registrationsOf(ctx, id);
  }

  @Post('exam-sessions/:id/registrations')
  @Roles('org_admin', 'student')
  register(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: RegisterCandidateDto): Promise<RegistrationView> {
    return this.sessions.register(ctx, id, dto);
  }

  /** The cohorts studying the exam's courses, each student with their eligibility, before registering. */
  @Get('exam-sessions/:id/candidates')
  @Roles('org_admin')
  candidates(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<SessionCandidatesView> {
    return this.sessions.candidates(ctx, id);
  }

  /** Registers a whole cohort or a selection of it in one step; a row per student says what happened. */
  @Post('exam-sessions/:id/registrations/bulk')
  @HttpCode(200)
  @Roles('org_admin')
  registerMany(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: BulkRegistrationDto): Promise<BulkRegistrationView> {
    return this.sessions.registerMany(ctx, id, dto.userIds);
  }

  @Post('exam-sessions/:id/results/publish')
  @HttpCode(200)
  @Roles('org_admin')
  publishResults(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<{ published: number; stillIncomplete: number }> {
    return this.results.publishSession(ctx, id);
  }

  @Put('exam-registrations/:id/extra-time')
  @Roles('org_admin')
  extraTime(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: SetExtraTimeDto): Promise<RegistrationView> {
    return this.sessions.setExtraTime(ctx, id, dto.extraMinutes);
  }

  @Get('exam-registrations/mine')
  @Roles('student')
  mine(@Ctx() ctx: RequestContext): Promise<RegistrationView[]> {
    return this.sessions.mine(ctx);
  }

  @Get('exam-registrations/:id/result')
  @Roles('student', 'instructor', 'org_admin')
  result(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExamResultView> {
    return this.results.forRegistration(ctx, id);
  }

  /** The candidate's submitted paper with their answers and the feedback on them, once their result is published. */
  @Get('exam-registrations/:id/review')
  @Roles('student')
  review(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ExamReviewView> {
    return this.attempts.review(ctx, id);
  }

  // ---- the attempt engine (candidates) ----

  @Post('exam-registrations/:id/attempts')
  @HttpCode(200)
  @Roles('student')
  start(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: StartAttemptDto): Promise<AttemptView> {
    return this.attempts.start(ctx, id, dto.part);
  }

  @Get('attempts/:id')
  @Roles('student')
  attempt(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<AttemptView> {
    return this.attempts.get(ctx, id);
  }

  @Put('attempts/:id/answers/:questionId')
  @Roles('student')
  save(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('questionId', ParseIntPipe) questionId: number, @Body() dto: SaveExamAnswerDto): Promise<SaveExamAnswerResponse> {
    return this.attempts.saveAnswer(ctx, id, questionId, dto.seq, dto.value);
  }

  @Post('attempts/:id/submit')
  @HttpCode(200)
  @Roles('student')
  submit(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<AttemptView> {
    return this.attempts.submit(ctx, id);
  }

  @Put('attempts/:id/items/:questionId/grade')
  @Roles('instructor')
  grade(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('questionId', ParseIntPipe) questionId: number, @Body() dto: GradeItemDto): Promise<ExamResultView> {
    return this.results.gradeItem(ctx, id, questionId, dto.score, dto.reason);
  }
}
