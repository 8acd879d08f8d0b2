import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class IssuerSettingsDto {
  @ApiProperty({ enum: ['Y', 'S'] }) @IsIn(['Y', 'S'])
  kind!: 'Y' | 'S';

  @ApiProperty({ example: '0001' }) @IsString() @MaxLength(4)
  evaluationBodyCode!: string;

  @ApiProperty({ example: '33' }) @IsString() @MaxLength(2)
  provinceCode!: string;

  @ApiProperty({ example: '010001' }) @IsString() @MaxLength(6)
  siteSerial!: string;

  @ApiProperty({ example: 'AIT' }) @IsString() @MaxLength(8)
  enterprisePrefix!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  evaluationBodyName?: string;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true })
  querySites?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255)
  verificationBaseUrl?: string | null;
}

export class CertificateStatusDto {
  @ApiProperty({ enum: ['revoked', 'suspended', 'valid'], description: 'valid reinstates a suspended certificate' }) @IsIn(['revoked', 'suspended', 'valid'])
  status!: 'revoked' | 'suspended' | 'valid';

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500)
  reason!: string;
}

export class ReissueDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(400)
  reason!: string;
}

export class VerifyDto {
  @ApiProperty({ description: 'Certificate number (national 22 characters or enterprise)' }) @IsString() @MinLength(1) @MaxLength(64)
  number!: string;

  @ApiProperty({ description: "Holder's name as printed" }) @IsString() @MinLength(1) @MaxLength(100)
  name!: string;
}

export class CreateBureauKeyDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ type: [String], example: ['verify', 'bulk_verify', 'audit'] }) @IsArray() @ArrayMaxSize(5) @IsString({ each: true })
  scopes!: string[];

  @ApiProperty({ description: 'Rows verified per day (China date)', example: 200000 }) @IsInt() @Min(1) @Max(10_000_000)
  dailyQuota!: number;
}

export class CertificateSearchQuery {
  @IsOptional() @IsString() @MaxLength(40)
  number?: string;

  @IsOptional() @IsString() @MaxLength(100)
  holderName?: string;
}

export class VerifyCredentialDto {
  @ApiProperty({ description: 'The VC-JWT (text) or the credential JSON with its embedded proof (object or text)', oneOf: [{ type: 'string' }, { type: 'object' }] })
  @IsDefined()
  credential!: string | Record<string, unknown>;
}
