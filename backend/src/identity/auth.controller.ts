import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DEMO_PASSWORD, DEMO_USERNAMES, ROLES, type DemoAccountsView, type LoginResponse, type TokenPair, type UserView } from '@aitrainer/contracts';
import { AnyRole, ClientIp, Ctx, Public } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { AuthService } from './auth.service';
import { UsersService } from './users.service';
import { ChangePasswordDto, LoginDto, RefreshDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  login(@Body() dto: LoginDto, @ClientIp() ip: string | null): Promise<LoginResponse> {
    return this.auth.login(dto.username, dto.password, ip);
  }

  /** The demo accounts that exist in this database (the demo data was loaded), in role order; none otherwise. */
  @Get('auth/demo-accounts')
  @Public()
  async demoAccounts(): Promise<DemoAccountsView> {
    const accounts: DemoAccountsView['accounts'] = [];
    for (const role of ROLES) {
      const user = await this.users.findByUsername(DEMO_USERNAMES[role]);
      if (user && user.role === role) accounts.push({ role, username: user.username, realName: user.realName });
    }
    return { password: accounts.length ? DEMO_PASSWORD : '', accounts };
  }

  @Post('auth/refresh')
  @Public()
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('auth/logout')
  @AnyRole()
  @ApiBearerAuth()
  @HttpCode(204)
  logout(@Ctx() ctx: RequestContext): Promise<void> {
    return this.auth.logout(ctx);
  }

  @Post('auth/password')
  @AnyRole()
  @ApiBearerAuth()
  @HttpCode(200)
  changePassword(@Ctx() ctx: RequestContext, @Body() dto: ChangePasswordDto): Promise<LoginResponse> {
    return this.auth.changePassword(ctx, dto.currentPassword, dto.newPassword);
  }

  @Get('me')
  @AnyRole()
  @ApiBearerAuth()
  me(@Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.me(ctx);
  }
}
