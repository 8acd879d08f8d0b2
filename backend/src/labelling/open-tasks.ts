import type { AnswerValue, ExerciseLabels, ItemData, OpenTaskGrading, OpenTaskType } from '@aitrainer/contracts';
import { problemAt } from '@aitrainer/scoring';
import type { Problem } from './task-definitions';

/**
 * Pure rules of the open-ended annotation types: what an item and an answer must hold, the exact part of a
 * grade (preference choice, error-review corrections) and how it combines with the judged part.
 * No framework import: practice grading and (later) practical exam items share them.
 */

export const MAX_OPEN_TEXT = 20_000;
const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export function openItemProblems(taskType: OpenTaskType, data: ItemData): Problem[] {
  const p: Problem[] = [];
  switch (taskType) {
    case 'sft_writing':
      if (data.sftDirection !== 'write_response' && data.sftDirection !== 'write_instruction') p.push(problemAt('sftDirection', 'MUST_BE_ONE_OF', { allowed: 'write_response, write_instruction' }));
      else if (data.sftDirection === 'write_response' && !isNonEmpty(data.instruction)) p.push(problemAt('instruction', 'SFT_INSTRUCTION_REQUIRED'));
      else if (data.sftDirection === 'write_instruction' && !isNonEmpty(data.response)) p.push(problemAt('response', 'SFT_RESPONSE_REQUIRED'));
      break;
    case 'preference_rationale':
      if (typeof data.prompt !== 'string') p.push(problemAt('prompt', 'NOT_TEXT'));
      if (!Array.isArray(data.responses) || data.responses.length < 2) p.push(problemAt('responses', 'RESPONSES_FORMAT'));
      else {
        const seen = new Set<string>();
        data.responses.forEach((r, i) => {
          if (typeof r !== 'object' || r === null || !isNonEmpty(r.id) || typeof r.text !== 'string') p.push(problemAt(`responses[${i}]`, 'RESPONSE_FORMAT'));
          else if (seen.has(r.id)) p.push(problemAt(`responses[${i}].id`, 'DUPLICATE_VALUE', { value: r.id }));
          else seen.add(r.id);
        });
      }
      break;
    case 'guideline_writing':
      if (!isNonEmpty(data.text)) p.push(problemAt('text', 'GUIDELINE_DATASET_REQUIRED'));
      if (data.guideline !== undefined && typeof data.guideline !== 'string') p.push(problemAt('guideline', 'NOT_TEXT'));
      break;
    case 'error_review':
      if (!Array.isArray(data.batch) || data.batch.length === 0) p.push(problemAt('batch', 'BATCH_FORMAT'));
      else {
        const seen = new Set<string>();
        data.batch.forEach((b, i) => {
          if (typeof b !== 'object' || b === null || !isNonEmpty(b.id) || typeof b.text !== 'string' || typeof b.label !== 'string') p.push(problemAt(`batch[${i}]`, 'BATCH_ITEM_FORMAT'));
          else if (seen.has(b.id)) p.push(problemAt(`batch[${i}].id`, 'DUPLICATE_VALUE', { value: b.id }));
          else seen.add(b.id);
        });
      }
      break;
  }
  return p;
}

export function canonicalOpenValue(taskType: OpenTaskType, v: Record<string, unknown>): AnswerValue {
  switch (taskType) {
    case 'sft_writing':
    case 'guideline_writing':
      return { text: v['text'] } as AnswerValue;
    case 'preference_rationale':
      return { choice: v['choice'], rationale: v['rationale'] ?? '' } as AnswerValue;
    case 'error_review':
      return {
        corrections: Array.isArray(v['corrections'])
          ? v['corrections'].map((c) => (typeof c === 'object' && c !== null ? { id: c.id, label: c.label, ...(c.explanation !== undefined && { explanation: c.explanation }) } : c))
          : v['corrections'],
      } as AnswerValue;
  }
}

/** Problems with an answer (or gold) of an open-ended item; `gold` makes the reference text required. */
export function openAnswerProblems(taskType: OpenTaskType, labels: ExerciseLabels, data: ItemData, value: Record<string, unknown>, base: string): Problem[] {
  const p: Problem[] = [];
  const text = (key: string, required: boolean, max = MAX_OPEN_TEXT) => {
    const v = value[key];
    if (typeof v !== 'string') p.push(problemAt(`${base}.${key}`, 'NOT_TEXT'));
    else if (v.length > max) p.push(problemAt(`${base}.${key}`, 'TOO_LONG', { max }));
    else if (required && v.trim() === '') p.push(problemAt(`${base}.${key}`, 'REQUIRED'));
  };
  switch (taskType) {
    case 'sft_writing':
    case 'guideline_writing':
      text('text', base === 'gold');
      break;
    case 'preference_rationale': {
      const ids = (data.responses ?? []).map((r) => r.id);
      if (typeof value['choice'] !== 'string' || !ids.includes(value['choice'])) p.push(problemAt(`${base}.choice`, 'MUST_BE_ONE_OF', { allowed: ids.join(', ') }));
      if (value['rationale'] !== undefined || base !== 'gold') text('rationale', false, 5000);
      break;
    }
    case 'error_review': {
      const list = value['corrections'];
      if (!Array.isArray(list)) {
        p.push(problemAt(`${base}.corrections`, 'CORRECTIONS_FORMAT'));
        break;
      }
      const batch = new Set((data.batch ?? []).map((b) => b.id));
      const allowed = labels.labels ?? [];
      const seen = new Set<string>();
      list.forEach((c, i) => {
        const at = `${base}.corrections[${i}]`;
        if (typeof c !== 'object' || c === null) return void p.push(problemAt(at, 'CORRECTION_FORMAT'));
        const { id, label, explanation } = c as Record<string, unknown>;
        if (typeof id !== 'string' || !batch.has(id)) p.push(problemAt(`${at}.id`, 'NOT_IN_BATCH'));
        else if (seen.has(id)) p.push(problemAt(`${at}.id`, 'CORRECTED_TWICE', { item: id }));
        else seen.add(id);
        if (typeof label !== 'string' || !allowed.includes(label)) p.push(problemAt(`${at}.label`, 'MUST_BE_ONE_OF', { allowed: allowed.join(', ') }));
        if (explanation !== undefined && (typeof explanation !== 'string' || explanation.length > 2000)) p.push(problemAt(`${at}.explanation`, 'TOO_LONG', { max: 2000 }));
      });
      break;
    }
  }
  return p;
}

/**
 * The exact part of an open-ended item, in [0, 1], or null for types without one.
 * Error review: F1 of the corrections (item id and corrected label must both match gold); nothing to find and
 * nothing flagged is full marks.
 */
export function exactPart(taskType: OpenTaskType, gold: AnswerValue, answer: AnswerValue | null): number | null {
  switch (taskType) {
    case 'preference_rationale':
      return answer && 'choice' in answer && 'choice' in gold && answer.choice === gold.choice ? 1 : 0;
    case 'error_review': {
      const g = new Set(('corrections' in gold ? gold.corrections : []).map((c) => `${c.id}\u0000${c.label}`));
      const a = new Set((answer && 'corrections' in answer ? answer.corrections : []).map((c) => `${c.id}\u0000${c.label}`));
      if (g.size === 0 && a.size === 0) return 1;
      const hits = [...a].filter((k) => g.has(k)).length;
      return hits === 0 ? 0 : (2 * hits) / (g.size + a.size);
    }
    default:
      return null;
  }
}

/** Score out of 100 (two decimals): weighted mean of the exact part (when the type has one) and the judged part. */
export function openItemScore(grading: OpenTaskGrading, exact: number | null, judged: number): number {
  const we = exact === null ? 0 : grading.weights.exact;
  const wj = grading.weights.judged;
  if (we + wj <= 0) return 0;
  return Math.round(((we * (exact ?? 0) + wj * judged) / (we + wj)) * 10000) / 100;
}

export function openGradingProblems(grading: OpenTaskGrading | undefined): Problem[] {
  if (!grading || typeof grading !== 'object') return [problemAt('scoring.openGrading', 'OPEN_GRADING_REQUIRED')];
  const p: Problem[] = [];
  const base = 'scoring.openGrading';
  if (!Array.isArray(grading.rubric) || grading.rubric.length === 0) p.push(problemAt(`${base}.rubric`, 'RUBRIC_EMPTY'));
  else {
    const ids = new Set<string>();
    grading.rubric.forEach((c, i) => {
      const at = `${base}.rubric[${i}]`;
      if (typeof c !== 'object' || c === null) return void p.push(problemAt(at, 'CRITERION_FORMAT'));
      if (!isNonEmpty(c.id) || ids.has(c.id)) p.push(problemAt(`${at}.id`, 'CRITERION_ID_UNIQUE'));
      ids.add(c.id);
      if (!isNonEmpty(c.name)) p.push(problemAt(`${at}.name`, 'REQUIRED'));
      if (!(typeof c.weight === 'number' && c.weight > 0)) p.push(problemAt(`${at}.weight`, 'POSITIVE'));
      if (!(typeof c.maxScore === 'number' && c.maxScore > 0)) p.push(problemAt(`${at}.maxScore`, 'POSITIVE'));
      if (!Array.isArray(c.levels) || c.levels.length === 0) p.push(problemAt(`${at}.levels`, 'LEVELS_REQUIRED'));
      else
        c.levels.forEach((l, j) => {
          if (typeof l?.score !== 'number' || l.score < 0 || l.score > c.maxScore) p.push(problemAt(`${at}.levels[${j}].score`, 'BETWEEN', { min: 0, max: c.maxScore }));
          if (typeof l?.descriptor !== 'string') p.push(problemAt(`${at}.levels[${j}].descriptor`, 'NOT_TEXT'));
        });
      if (c.anchors !== undefined && (!Array.isArray(c.anchors) || c.anchors.some((a) => typeof a?.text !== 'string' || typeof a?.score !== 'number'))) {
        p.push(problemAt(`${at}.anchors`, 'ANCHORS_FORMAT'));
      }
    });
  }
  const w = grading.weights;
  if (typeof w !== 'object' || w === null || !(w.exact >= 0) || !(w.judged >= 0) || w.exact + w.judged <= 0) p.push(problemAt(`${base}.weights`, 'WEIGHTS_FORMAT'));
  if (!(typeof grading.passMark === 'number' && grading.passMark >= 0 && grading.passMark <= 100)) p.push(problemAt(`${base}.passMark`, 'BETWEEN', { min: 0, max: 100 }));
  return p;
}
