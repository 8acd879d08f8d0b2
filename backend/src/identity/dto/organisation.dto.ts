import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ORGANISATION_KINDS, type CreateOrganisationRequest, type OrganisationKind } from '@aitrainer/contracts';
import { IsCreditCode } from '../../common/validation/identity-validators';

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
}
