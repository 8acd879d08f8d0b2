import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { LoginResponse, TokenPair, UserView } from '@aitrainer/contracts';
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
