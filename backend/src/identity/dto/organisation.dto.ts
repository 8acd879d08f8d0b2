import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ORGANISATION_KINDS, type CreateOrganisationRequest, type OrganisationKind, type UpdateOrganisationRequest } from '@aitrainer/contracts';
import { IsCreditCode, IsTimeZone } from '../../common/validation/identity-validators';

export class CreateOrganisationDto implements CreateOrganisationRequest {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS as OrganisationKind[], { message: `must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind!: OrganisationKind;

  @ApiProperty({ example: '某某职业技术学院' })
  @IsString() @MinLength(2) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '91110000600037341L', description: '统一社会信用代码; required for the issuing enterprise' })
  @ValidateIf((o: CreateOrganisationDto) => o.kind === 'issuer' || o.creditCode !== undefined)
  @IsCreditCode()
  creditCode?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone its times are shown in (default Asia/Shanghai)' })
  @IsOptional() @IsTimeZone()
  timeZone?: string;
}

export class UpdateOrganisationDto implements UpdateOrganisationRequest {
  // Absent means unchanged; null is refused like any other non-string (IsOptional would let null through).
  @ApiPropertyOptional({ example: '某某职业技术学院' })
  @ValidateIf((o: UpdateOrganisationDto) => o.name !== undefined) @IsString() @MinLength(2) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @ValidateIf((o: UpdateOrganisationDto) => o.timeZone !== undefined) @IsString() @IsTimeZone()
  timeZone?: string;
}
