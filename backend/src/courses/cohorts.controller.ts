import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, IsString, MaxLength, Min, MinLength } from 'class-validator';
import type { AssignInstructorRequest, CohortDetailView, CohortView, CreateCohortRequest } from '@aitrainer/contracts';
import { Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { CohortsService } from './cohorts.service';

export class CreateCohortDto implements CreateCohortRequest {
  @ApiProperty({ example: '2026级人工智能训练师1班' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;
}

export class AssignInstructorDto implements AssignInstructorRequest {
  @ApiProperty()
  @IsInt() @Min(1)
  userId!: number;
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

  @Get(':id')
  @Roles('platform_admin', 'school_admin', 'instructor')
  detail(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<CohortDetailView> {
    return this.cohorts.detail(ctx, id);
  }

  @Post(':id/instructors')
  @Roles('school_admin')
  assignInstructor(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: AssignInstructorDto): Promise<CohortDetailView> {
    return this.cohorts.assignInstructor(ctx, id, dto.userId);
  }

  @Delete(':id/instructors/:userId')
  @Roles('school_admin')
  removeInstructor(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('userId', ParseIntPipe) userId: number): Promise<CohortDetailView> {
    return this.cohorts.removeInstructor(ctx, id, userId);
  }
}
