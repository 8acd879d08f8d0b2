import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { ChangePasswordRequest, LoginRequest, RefreshRequest } from '@aitrainer/contracts';
import { IsAcceptablePassword } from '../../common/validation/identity-validators';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'demo.student' })
  @IsString() @MinLength(1) @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'Demo@2026' })
  @IsString() @MinLength(1) @MaxLength(128)
  password!: string;
}

export class RefreshDto implements RefreshRequest {
  @ApiProperty()
  @IsString() @MinLength(10) @MaxLength(200)
  refreshToken!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(128)
  currentPassword!: string;

  @ApiProperty({ description: 'At least 8 characters with a letter and a digit' })
  @IsAcceptablePassword()
  newPassword!: string;
}
