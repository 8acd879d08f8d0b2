import { Controller, Get, Param, ParseIntPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { AttemptsService } from './attempts.service';

/**
 * Media of the labelling items on a candidate's paper, and files an imported question's text refers to, scoped to
 * their open attempt: the exercise need not be published for practice, and no other student can fetch it through
 * the exam.
 */
@ApiTags('exams')
@ApiBearerAuth()
@Controller('v1')
export class AttemptMediaController {
  constructor(private readonly attempts: AttemptsService) {}

  @Get('attempts/:id/media/:questionId/:name')
  @Roles('student')
  async media(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseIntPipe) id: number,
    @Param('questionId', ParseIntPipe) questionId: number,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.attempts.practicalMedia(ctx, id, questionId, name);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file.stream, { type: file.mime });
  }
}
