import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { ID_DOCUMENT_TYPES, ROLES, type CreateUserRequest, type IdDocumentType, type Role } from '@aitrainer/contracts';
import { IsAcceptablePassword, IsIdNumberFor } from '../../common/validation/identity-validators';

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({ example: 'zhang.san' })
  @IsString() @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'must be 3-64 letters, digits, dots, dashes or underscores', context: { problem: 'USERNAME_FORMAT' } })
  username!: string;

  @ApiProperty()
  @IsAcceptablePassword()
  password!: string;

  @ApiProperty({ example: '张三' })
  @IsString() @MinLength(1) @MaxLength(100)
  realName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as Role[], { message: `must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional()
  @IsOptional() @IsInt() @Min(1)
  organisationId?: number;

  @ApiPropertyOptional({ example: '13800138000' })
  @IsOptional() @IsString() @Matches(/^\+?[0-9 -]{5,20}$/, { message: 'must be a phone number', context: { problem: 'NOT_A_PHONE' } })
  phone?: string;

  @ApiPropertyOptional({ enum: ID_DOCUMENT_TYPES })
  @ValidateIf((o: CreateUserDto) => o.role === 'student' || o.idDocumentType !== undefined || o.idNumber !== undefined)
  @IsIn(ID_DOCUMENT_TYPES as IdDocumentType[], { message: `is required for students and must be one of ${ID_DOCUMENT_TYPES.join(', ')}` })
  idDocumentType?: IdDocumentType;

  @ApiPropertyOptional({ example: '11010519491231002X' })
  @ValidateIf((o: CreateUserDto) => o.role === 'student' || o.idDocumentType !== undefined || o.idNumber !== undefined)
  @IsString({ message: 'is required for students', context: { problem: 'REQUIRED' } })
  @IsIdNumberFor('idDocumentType')
  idNumber?: string;
}

export class ResetPasswordDto {
  @ApiProperty()
  @IsAcceptablePassword()
  password!: string;
}

export class ListUsersQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) organisationId?: number;
  @IsOptional() @IsIn(ROLES as Role[]) role?: Role;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}
