import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AuditEventView, Page } from '@aitrainer/contracts';
import { AuditEvent } from './audit-event.entity';

export interface AuditRecord {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId?: string | number | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.events.insert({
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId == null ? null : String(entry.subjectId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
      createdAt: new Date(),
    });
  }

  async list(page: number, pageSize: number, filter: { subjectType?: string; subjectId?: string }): Promise<Page<AuditEventView>> {
    const where = { ...(filter.subjectType && { subjectType: filter.subjectType }), ...(filter.subjectId && { subjectId: filter.subjectId }) };
    const [rows, total] = await this.events.findAndCount({ where, order: { id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    return {
      total,
      items: rows.map((e) => ({
        id: e.id,
        actorId: e.actorId,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
        ip: e.ip,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }
}
