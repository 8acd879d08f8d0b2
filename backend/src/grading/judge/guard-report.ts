import type { GuardReport, GuardScreenView, ReviewReason } from '@aitrainer/contracts';
import { decideReview, implausible, type Evidence, type ReviewDecision } from '@aitrainer/domain';
import type { RubricJudgement, ScreenOutcome } from './llm-judge';

/** The guards of one judged piece of work, before the grade-level signals (near the pass mark) are added. */
export interface PartialGuards {
  screens: GuardScreenView[];
  normalisedText: string;
  signals: ReviewReason[];
}

/**
 * Screens, the two independent runs and the plausibility check of one judged piece of work. `judgedFraction` is the
 * model's part of the grade (rubric fraction); `evidence` what the deterministic evidence suggests it is worth.
 */
export function judgeGuards(screen: ScreenOutcome, judged: RubricJudgement, models: { judge: string; second: string }, evidence: Evidence | null, judgedFraction: number | null): PartialGuards {
  const signals: ReviewReason[] = [...screen.signals, ...judged.reasons];
  const runs: GuardScreenView = {
    name: 'independent_runs',
    ran: true,
    findings: judged.reasons.map((r) => ({ kind: r, where: 'judge runs', excerpt: '' })),
    note: `run 1: whole work against the rubric (${models.judge}); run 2: each criterion against the reference (${models.second})`,
  };
  const gap = judgedFraction !== null && evidence ? judgedFraction - evidence.estimate : null;
  const isImplausible = judgedFraction !== null && implausible(judgedFraction, evidence);
  if (isImplausible) signals.push('implausible_grade');
  const plausibility: GuardScreenView = {
    name: 'plausibility',
    ran: evidence !== null && judgedFraction !== null,
    findings: isImplausible ? [{ kind: 'implausible_grade', where: 'grade', excerpt: `model ${round2(judgedFraction!)} vs evidence ${evidence!.estimate} (gap ${round2(gap!)})` }] : [],
    note: evidence ? `evidence ${evidence.estimate}: ${evidence.basis}` : 'no deterministic evidence for this work',
  };
  return { screens: [...screen.screens, runs, plausibility], normalisedText: screen.normalisedText, signals };
}

/** Guards of work that was not judged (nothing written, or no usable judgement): the screens only. */
export function screenOnlyGuards(screen: ScreenOutcome | null): PartialGuards {
  return { screens: screen?.screens ?? [], normalisedText: screen?.normalisedText ?? '', signals: screen?.signals ?? [] };
}

/**
 * Adds the grade-level signal (near the pass mark), applies the review policy of the context, and writes the report
 * a reviewer reads. Several parts (items of a submission) are merged, their screens named by item.
 */
export function concludeGuards(parts: { label?: string; guards: PartialGuards }[], nearPassMark: boolean, context: 'exam' | 'practice', auditSampled = false): { report: GuardReport; decision: ReviewDecision } {
  const signals: ReviewReason[] = parts.flatMap((p) => p.guards.signals);
  if (nearPassMark) signals.push('near_pass_mark');
  const decision = decideReview(signals, context);
  const screens: GuardScreenView[] = [];
  for (const p of parts) {
    for (const s of p.guards.screens) {
      const named = p.label ? { ...s, findings: s.findings.map((f) => ({ ...f, where: `${p.label}: ${f.where}` })) } : s;
      const same = screens.find((x) => x.name === s.name);
      if (same) {
        same.ran = same.ran || named.ran;
        same.findings.push(...named.findings);
      } else screens.push({ ...named, findings: [...named.findings] });
    }
  }
  screens.push({ name: 'near_pass_mark', ran: true, findings: nearPassMark ? [{ kind: 'near_pass_mark', where: 'grade', excerpt: '' }] : [] });
  const normalisedText = parts
    .map((p) => (p.label ? `[${p.label}]\n${p.guards.normalisedText}` : p.guards.normalisedText))
    .join('\n\n')
    .slice(0, 8000);
  return {
    report: { context, screens, normalisedText, decision: decision.decision, reason: decision.reason, explanation: decision.explanation, auditSampled },
    decision,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
