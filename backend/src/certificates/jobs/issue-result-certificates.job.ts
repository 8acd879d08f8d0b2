/**
 * Payload of `issue-result-certificates`: the pair owed to a published pass that has none (publishing issues it at
 * once; this job is the repair when that call or a session's batch was interrupted). Job id `certificates-result-<id>`.
 */
export interface IssueResultCertificatesJob {
  resultId: number;
}

export const resultCertificatesJobId = (resultId: number) => `certificates-result-${resultId}`;
