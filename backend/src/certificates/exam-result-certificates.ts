import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExamResultPublished, ExamResultPublishedPort } from '../exams/exam-result-published.port';
import { CertificateIssuanceService } from './certificate-issuance.service';

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
}
