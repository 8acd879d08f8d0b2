import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { OrganisationPartnersView, OrganisationView } from '@aitrainer/contracts';
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

  /** A certifying enterprise's partner schools (only their students can be registered into its exam sessions). */
  @Get(':id/partners')
  @Roles('platform_admin', 'org_admin')
  partners(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<OrganisationPartnersView> {
    return this.organisations.partners(ctx, id);
  }

  @Put(':id/partners/:schoolId')
  @Roles('platform_admin', 'org_admin')
  addPartner(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('schoolId', ParseIntPipe) schoolId: number): Promise<OrganisationPartnersView> {
    return this.organisations.addPartner(ctx, id, schoolId);
  }

  @Delete(':id/partners/:schoolId')
  @Roles('platform_admin', 'org_admin')
  removePartner(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Param('schoolId', ParseIntPipe) schoolId: number): Promise<OrganisationPartnersView> {
    return this.organisations.removePartner(ctx, id, schoolId);
  }
}
