import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FullIdNumberResponse, Page, UserView } from '@aitrainer/contracts';
import { AnyRole, Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { UsersService } from './users.service';
import { CreateUserDto, ListUsersQuery } from './dto/user.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('platform_admin', 'school_admin', 'org_admin', 'instructor')
  list(@Ctx() ctx: RequestContext, @Query() q: ListUsersQuery): Promise<Page<UserView>> {
    return this.users.list(ctx, q);
  }

  @Post()
  @Roles('platform_admin', 'school_admin', 'org_admin')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(ctx, dto);
  }

  @Get(':id')
  @AnyRole()
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<UserView> {
    return this.users.get(ctx, id);
  }

  @Get(':id/id-number')
  @AnyRole()
  fullIdNumber(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<FullIdNumberResponse> {
    return this.users.fullIdNumber(ctx, id);
  }
}
