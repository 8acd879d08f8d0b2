import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { OrganisationView } from '@aitrainer/contracts';
import { AnyRole, Ctx, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { OrganisationsService } from './organisations.service';
import { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @AnyRole()
  list(@Ctx() ctx: RequestContext): Promise<OrganisationView[]> {
    return this.organisations.list(ctx);
  }

  @Get(':id')
  @AnyRole()
  get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<OrganisationView> {
    return this.organisations.get(ctx, id);
  }

  @Post()
  @Roles('platform_admin')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateOrganisationDto): Promise<OrganisationView> {
    return this.organisations.create(ctx, dto);
  }

  @Patch(':id')
  @Roles('platform_admin', 'org_admin')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateOrganisationDto): Promise<OrganisationView> {
    return this.organisations.update(ctx, id, dto);
  }
}
