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
    const actorIds = [...new Set(rows.map((e) => e.actorId).filter((id): id is number => id !== null))];
    const actors = new Map<number, { real_name: string; username: string }>();
    if (actorIds.length) {
      const found = (await this.events.manager.query(`SELECT id, real_name, username FROM users WHERE id IN (${actorIds.map(() => '?').join(', ')})`, actorIds)) as { id: number; real_name: string; username: string }[];
      for (const u of found) actors.set(Number(u.id), u);
    }
    return {
      total,
      items: rows.map((e) => ({
        id: e.id,
        actorId: e.actorId,
        actorName: e.actorId !== null ? (actors.get(e.actorId)?.real_name ?? null) : null,
        actorUsername: e.actorId !== null ? (actors.get(e.actorId)?.username ?? null) : null,
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
