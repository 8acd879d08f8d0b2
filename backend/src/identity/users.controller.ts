import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FullIdNumberResponse, Page, UserView } from '@aitrainer/contracts';
import { AnyRole, Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { UsersService } from './users.service';
import { CreateUserDto, ListUsersQuery, ResetPasswordDto } from './dto/user.dto';

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

  /** An administrator sets a new password for an account they manage (audited; its sessions end). */
  @Post(':id/password')
  @HttpCode(200)
  @Roles('platform_admin', 'school_admin', 'org_admin')
  resetPassword(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: ResetPasswordDto): Promise<UserView> {
    return this.users.resetPassword(ctx, id, dto.password);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Roles('platform_admin', 'school_admin', 'org_admin')
  disable(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<UserView> {
    return this.users.setDisabled(ctx, id, true);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('platform_admin', 'school_admin', 'org_admin')
  enable(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<UserView> {
    return this.users.setDisabled(ctx, id, false);
  }

  /** Ends every sign-in wait of the account (the failures someone else caused); audited. */
  @Post(':id/unlock-sign-in')
  @HttpCode(200)
  @Roles('platform_admin', 'school_admin', 'org_admin')
  unlockSignIn(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<UserView> {
    return this.users.unlockSignIn(ctx, id);
  }

  @Get(':id/id-number')
  @AnyRole()
  fullIdNumber(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<FullIdNumberResponse> {
    return this.users.fullIdNumber(ctx, id);
  }
}
