import type { DutyAreaResultView, ExamPartDefinition, PartResultView } from '@aitrainer/contracts';

const round2 = (x: number) => Math.round(x * 100) / 100;

export interface AttemptScores {
  id: number;
  part: PartResultView['part'];
  state: string;
  maxScore: number;
}

export interface ItemScoreRow {
  attemptId: number;
  score: number | null;
  points: number;
  dutyArea: string;
}

export interface ComputedResult {
  parts: PartResultView[];
  dutyAreas: DutyAreaResultView[];
  complete: boolean;
  passed: boolean;
}

/** A candidate's result from their attempts and item scores: part scores scaled to 100, pass per part and overall. */
export function computeResult(defs: readonly ExamPartDefinition[], attempts: readonly AttemptScores[], scores: readonly ItemScoreRow[]): ComputedResult {
  const parts: PartResultView[] = defs.map((def) => {
    const attempt = attempts.find((a) => a.part === def.part && a.state === 'submitted');
    const mine = attempt ? scores.filter((s) => s.attemptId === attempt.id) : [];
    const score = mine.reduce((s, i) => s + (i.score ?? 0), 0);
    const maxScore = attempt?.maxScore ?? 0;
    const pendingItems = mine.filter((i) => i.score === null).length;
    const scaled = maxScore > 0 ? round2((score / maxScore) * 100) : 0;
    return { part: def.part, submitted: !!attempt, score: round2(score), maxScore, scaled, passMark: def.passMark, passed: !!attempt && pendingItems === 0 && scaled >= def.passMark, pendingItems };
  });
  const areas = new Map<string, DutyAreaResultView>();
  for (const s of scores.filter((i) => attempts.some((a) => a.id === i.attemptId && a.state === 'submitted'))) {
    const row = areas.get(s.dutyArea) ?? { dutyArea: s.dutyArea, score: 0, maxScore: 0 };
    row.score = round2(row.score + (s.score ?? 0));
    row.maxScore = round2(row.maxScore + s.points);
    areas.set(s.dutyArea, row);
  }
  const complete = parts.every((p) => p.submitted && p.pendingItems === 0);
  return { parts, dutyAreas: [...areas.values()], complete, passed: complete && parts.every((p) => p.passed) };
}
