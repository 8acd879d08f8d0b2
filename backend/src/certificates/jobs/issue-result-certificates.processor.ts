import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import { JOBS } from '../../infra/queue/queue.constants';
import { ExamResultCertificates } from '../exam-result-certificates';
import type { IssueResultCertificatesJob } from './issue-result-certificates.job';

/** Thin handler: issues a published pass's pair unless it has one (idempotent per result). */
@Injectable()
export class IssueResultCertificatesProcessor implements JobProcessor<IssueResultCertificatesJob> {
  readonly jobName = JOBS.issueResultCertificates;

  constructor(private readonly certificates: ExamResultCertificates) {}

  handle(payload: IssueResultCertificatesJob): Promise<void> {
    return this.certificates.repair(payload.resultId);
  }
}
