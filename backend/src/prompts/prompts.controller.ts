import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { PlaygroundResponse, PromptAnswerView, PromptTaskStudentView, PromptTaskSummary, PromptTaskView, ReviewDetail, ReviewItemSummary } from '@aitrainer/contracts';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { PromptTasksService } from './prompt-tasks.service';
import { PromptPracticeService } from './prompt-practice.service';
import { PromptGradingService } from './prompt-grading.service';
import { PlaygroundDto, SavePromptTaskDto, SubmitPromptAnswerDto, SubmitReviewDto } from './dto/prompt-task.dto';

const AUTHORS = ['instructor', 'org_admin', 'platform_admin'] as const;

@ApiTags('prompt tasks')
@ApiBearerAuth()
@Controller('v1')
export class PromptsController {
  constructor(
    private readonly tasks: PromptTasksService,
    private readonly practice: PromptPracticeService,
    private readonly grading: PromptGradingService,
  ) {}

  // authoring
  @Get('prompt-tasks') @Roles(...AUTHORS)
  list(@Ctx() ctx: RequestContext): Promise<PromptTaskSummary[]> {
    return this.tasks.list(ctx);
  }

  @Post('prompt-tasks') @Roles(...AUTHORS)
  create(@Ctx() ctx: RequestContext, @Body() dto: SavePromptTaskDto): Promise<PromptTaskView> {
    return this.tasks.create(ctx, dto.definition, dto.audience);
  }

  @Get('prompt-tasks/:id') @Roles(...AUTHORS)
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<PromptTaskView> {
    return this.tasks.get(ctx, id);
  }

  @Put('prompt-tasks/:id') @Roles(...AUTHORS)
  update(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: SavePromptTaskDto): Promise<PromptTaskView> {
    return this.tasks.update(ctx, id, dto.definition, dto.audience);
  }

  @Post('prompt-tasks/:id/publish') @Roles(...AUTHORS) @HttpCode(200)
  publish(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<PromptTaskSummary> {
    return this.tasks.publish(ctx, id);
  }

  // practice
  @Get('practice/prompt-tasks') @Roles('student')
  published(@Ctx() ctx: RequestContext): Promise<PromptTaskSummary[]> {
    return this.practice.list(ctx);
  }

  @Get('practice/prompt-tasks/:id') @Roles('student')
  studentView(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<PromptTaskStudentView> {
    return this.practice.view(ctx, id);
  }

  @Post('practice/prompt-tasks/:id/playground') @Roles('student') @HttpCode(200)
  playground(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: PlaygroundDto): Promise<PlaygroundResponse> {
    return this.practice.playground(ctx, id, dto.prompt, dto.exampleIndex);
  }

  @Post('practice/prompt-tasks/:id/answers') @Roles('student') @HttpCode(202)
  submit(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: SubmitPromptAnswerDto): Promise<PromptAnswerView> {
    return this.practice.submit(ctx, id, dto.prompt);
  }

  @Get('practice/prompt-tasks/:id/answers') @Roles('student')
  myAnswers(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<PromptAnswerView[]> {
    return this.practice.myAnswers(ctx, id);
  }

  @Get('practice/prompt-answers/:id') @Roles('student')
  answer(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<PromptAnswerView> {
    return this.practice.answer(ctx, id);
  }

  // human review
  @Get('reviews/prompt-answers') @Roles(...AUTHORS)
  reviewQueue(@Ctx() ctx: RequestContext): Promise<ReviewItemSummary[]> {
    return this.grading.queue(ctx);
  }

  @Get('reviews/prompt-answers/:id') @Roles(...AUTHORS)
  reviewDetail(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<ReviewDetail> {
    return this.grading.detail(ctx, id);
  }

  @Post('reviews/prompt-answers/:id') @Roles(...AUTHORS) @HttpCode(200)
  review(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: SubmitReviewDto): Promise<ReviewDetail> {
    return this.grading.review(ctx, id, dto);
  }
}
