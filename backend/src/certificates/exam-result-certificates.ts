import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExamResultPublished, ExamResultPublishedPort } from '../exams/exam-result-published.port';
import { CertificateIssuanceService } from './certificate-issuance.service';
import { DomainError } from '../common/errors/domain-error';
import { PermanentJobError } from '../infra/queue/job-queue';

/**
 * The certificates context's implementation of the exams port: a published pass issues the pair (idempotent per
 * result, so a second publish or a repair run returns the existing pair). The issuer is the exam session's
 * organisation. Bind it in the exams module: `{ provide: EXAM_RESULT_PUBLISHED, useExisting: ExamResultCertificates }`
 * with CertificatesModule imported there (it exports this provider).
 */
@Injectable()
export class ExamResultCertificates implements ExamResultPublishedPort {
  private readonly logger = new Logger(ExamResultCertificates.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly issuance: CertificateIssuanceService,
  ) {}

  async published(event: ExamResultPublished): Promise<void> {
    if (!event.passed || !event.parts.every((p) => p.passed)) return;
    const rows = (await this.dataSource.query('SELECT s.id AS session_id, s.organisation_id FROM exam_registrations r JOIN exam_sessions s ON s.id = r.session_id WHERE r.id = ?', [event.registrationId])) as { session_id: number; organisation_id: number | null }[];
    const session = rows[0];
    if (!session || session.organisation_id === null) {
      this.logger.warn(`result ${event.resultId}: the session has no issuing organisation; no certificates`);
      return;
    }
    await this.issuance.issuePair({
      resultId: event.resultId,
      holderUserId: event.userId,
      level: event.level,
      trade: null,
      parts: event.parts,
      sessionId: Number(session.session_id),
      issuerId: Number(session.organisation_id),
    });
  }

  /**
   * The `issue-result-certificates` job: a published pass with no pair yet (the call at publish or a session's batch
   * was interrupted) gets it now; one that has it, or is no longer published, is left alone.
   */
  async repair(resultId: number): Promise<void> {
    const rows = (await this.dataSource.query(
      'SELECT r.id, r.registration_id, r.exam_id, r.user_id, r.status, r.passed, r.detail, r.published_at, r.published_by, e.occupation, e.level FROM exam_results r JOIN exams e ON e.id = r.exam_id WHERE r.id = ?',
      [resultId],
    )) as { id: number; registration_id: number; exam_id: number; user_id: number; status: string; passed: number | boolean; detail: string; published_at: Date | string | null; published_by: number | null; occupation: string; level: number }[];
    const r = rows[0];
    if (!r || r.status !== 'published') return;
    const parts = ((JSON.parse(r.detail) as { parts?: { part: string; scaled: number; passed: boolean }[] }).parts ?? []).map((p) => ({ part: p.part, scaled: p.scaled, passed: p.passed }));
    try {
      await this.published({
        resultId: Number(r.id),
        registrationId: Number(r.registration_id),
        examId: Number(r.exam_id),
        userId: Number(r.user_id),
        occupation: r.occupation,
        level: Number(r.level) as ExamResultPublished['level'],
        passed: Boolean(Number(r.passed)),
        parts: parts as ExamResultPublished['parts'],
        publishedAt: r.published_at ? new Date(r.published_at).toISOString() : new Date().toISOString(),
        publishedBy: Number(r.published_by ?? 0),
      });
    } catch (e) {
      // A refusal (no issuer settings, holder gone) does not go away by retrying.
      if (e instanceof DomainError) throw new PermanentJobError(e.message);
      throw e;
    }
  }
}
