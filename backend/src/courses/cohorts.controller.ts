import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { CohortView, CreateCohortRequest } from '@aitrainer/contracts';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CohortsService } from './cohorts.service';

export class CreateCohortDto implements CreateCohortRequest {
  @ApiProperty({ example: '2026级人工智能训练师1班' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;
}

@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('v1/cohorts')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Get()
  @Roles('platform_admin', 'school_admin', 'instructor')
  list(@Ctx() ctx: RequestContext): Promise<CohortView[]> {
    return this.cohorts.list(ctx);
  }

  @Post()
  @Roles('school_admin')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateCohortDto): Promise<CohortView> {
    return this.cohorts.create(ctx, dto.name);
  }
}
