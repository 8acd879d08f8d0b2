import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { LearningLessonView, LessonProgressView, MyCourseSummaryView, MyCourseView } from '@aitrainer/contracts';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { HeartbeatDto } from './dto/course.dto';
import { LearningService } from './learning.service';

@ApiTags('learning')
@ApiBearerAuth()
@Controller('v1/my/courses')
export class LearningController {
  constructor(private readonly learning: LearningService) {}

  @Get()
  @Roles('student')
  list(@Ctx() ctx: RequestContext): Promise<MyCourseSummaryView[]> {
    return this.learning.myCourses(ctx);
  }

  @Get(':id')
  @Roles('student')
  course(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<MyCourseView> {
    return this.learning.myCourse(ctx, id);
  }

  @Get(':id/lessons/:key')
  @Roles('student')
  lesson(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('key') key: string): Promise<LearningLessonView> {
    return this.learning.lesson(ctx, id, key);
  }

  @Post(':id/lessons/:key/heartbeat')
  @HttpCode(200)
  @Roles('student')
  heartbeat(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('key') key: string, @Body() dto: HeartbeatDto): Promise<LessonProgressView> {
    return this.learning.heartbeat(ctx, id, key, dto.event ?? 'beat', dto.reachedEnd === true);
  }
}
