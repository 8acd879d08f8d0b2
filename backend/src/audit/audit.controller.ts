import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AuditEventView, Page } from '@aitrainer/contracts';
import { Roles } from '../common/auth/decorators';
import { AuditService } from './audit.service';

export class AuditQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
  @IsOptional() @IsString() @MaxLength(32) subjectType?: string;
  @IsOptional() @IsString() @MaxLength(64) subjectId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('platform_admin')
  list(@Query() q: AuditQuery): Promise<Page<AuditEventView>> {
    return this.audit.list(q.page ?? 1, q.pageSize ?? 50, q);
  }
}
