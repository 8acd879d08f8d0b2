import type { AnswerValue, ExerciseLabels, ItemData, OpenTaskGrading, OpenTaskType } from '@aitrainer/contracts';
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
      if (data.sftDirection !== 'write_response' && data.sftDirection !== 'write_instruction') p.push({ path: 'sftDirection', problem: 'must be "write_response" or "write_instruction"' });
      else if (data.sftDirection === 'write_response' && !isNonEmpty(data.instruction)) p.push({ path: 'instruction', problem: 'must be a non-empty string when the candidate writes the response' });
      else if (data.sftDirection === 'write_instruction' && !isNonEmpty(data.response)) p.push({ path: 'response', problem: 'must be a non-empty string when the candidate writes the instruction' });
      break;
    case 'preference_rationale':
      if (typeof data.prompt !== 'string') p.push({ path: 'prompt', problem: 'must be a string' });
      if (!Array.isArray(data.responses) || data.responses.length < 2) p.push({ path: 'responses', problem: 'must be an array of at least two {id, text}' });
      else {
        const seen = new Set<string>();
        data.responses.forEach((r, i) => {
          if (typeof r !== 'object' || r === null || !isNonEmpty(r.id) || typeof r.text !== 'string') p.push({ path: `responses[${i}]`, problem: 'must be an object {id, text}' });
          else if (seen.has(r.id)) p.push({ path: `responses[${i}].id`, problem: `"${r.id}" is used twice` });
          else seen.add(r.id);
        });
      }
      break;
    case 'guideline_writing':
      if (!isNonEmpty(data.text)) p.push({ path: 'text', problem: 'must describe the dataset the guideline is for' });
      if (data.guideline !== undefined && typeof data.guideline !== 'string') p.push({ path: 'guideline', problem: 'must be a string (the guideline to review)' });
      break;
    case 'error_review':
      if (!Array.isArray(data.batch) || data.batch.length === 0) p.push({ path: 'batch', problem: 'must be a non-empty array of {id, text, label}' });
      else {
        const seen = new Set<string>();
        data.batch.forEach((b, i) => {
          if (typeof b !== 'object' || b === null || !isNonEmpty(b.id) || typeof b.text !== 'string' || typeof b.label !== 'string') p.push({ path: `batch[${i}]`, problem: 'must be an object {id, text, label}' });
          else if (seen.has(b.id)) p.push({ path: `batch[${i}].id`, problem: `"${b.id}" is used twice` });
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
    if (typeof v !== 'string') p.push({ path: `${base}.${key}`, problem: 'must be a string' });
    else if (v.length > max) p.push({ path: `${base}.${key}`, problem: `must be at most ${max} characters` });
    else if (required && v.trim() === '') p.push({ path: `${base}.${key}`, problem: 'must not be empty' });
  };
  switch (taskType) {
    case 'sft_writing':
    case 'guideline_writing':
      text('text', base === 'gold');
      break;
    case 'preference_rationale': {
      const ids = (data.responses ?? []).map((r) => r.id);
      if (typeof value['choice'] !== 'string' || !ids.includes(value['choice'])) p.push({ path: `${base}.choice`, problem: `must be one of ${ids.join(', ')}` });
      if (value['rationale'] !== undefined || base !== 'gold') text('rationale', false, 5000);
      break;
    }
    case 'error_review': {
      const list = value['corrections'];
      if (!Array.isArray(list)) {
        p.push({ path: `${base}.corrections`, problem: 'must be an array of {id, label, explanation}' });
        break;
      }
      const batch = new Set((data.batch ?? []).map((b) => b.id));
      const allowed = labels.labels ?? [];
      const seen = new Set<string>();
      list.forEach((c, i) => {
        const at = `${base}.corrections[${i}]`;
        if (typeof c !== 'object' || c === null) return void p.push({ path: at, problem: 'must be an object {id, label, explanation}' });
        const { id, label, explanation } = c as Record<string, unknown>;
        if (typeof id !== 'string' || !batch.has(id)) p.push({ path: `${at}.id`, problem: 'must name an item of the batch' });
        else if (seen.has(id)) p.push({ path: `${at}.id`, problem: `"${id}" is corrected twice` });
        else seen.add(id);
        if (typeof label !== 'string' || !allowed.includes(label)) p.push({ path: `${at}.label`, problem: `must be one of ${allowed.join(', ')}` });
        if (explanation !== undefined && (typeof explanation !== 'string' || explanation.length > 2000)) p.push({ path: `${at}.explanation`, problem: 'must be a string of at most 2000 characters' });
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
  if (!grading || typeof grading !== 'object') return [{ path: 'scoring.openGrading', problem: 'is required for an open-ended task type: rubric, weights and pass mark' }];
  const p: Problem[] = [];
  const base = 'scoring.openGrading';
  if (!Array.isArray(grading.rubric) || grading.rubric.length === 0) p.push({ path: `${base}.rubric`, problem: 'must have at least one criterion' });
  else {
    const ids = new Set<string>();
    grading.rubric.forEach((c, i) => {
      const at = `${base}.rubric[${i}]`;
      if (typeof c !== 'object' || c === null) return void p.push({ path: at, problem: 'must be a criterion object' });
      if (!isNonEmpty(c.id) || ids.has(c.id)) p.push({ path: `${at}.id`, problem: 'must be present and unique' });
      ids.add(c.id);
      if (!isNonEmpty(c.name)) p.push({ path: `${at}.name`, problem: 'must not be empty' });
      if (!(typeof c.weight === 'number' && c.weight > 0)) p.push({ path: `${at}.weight`, problem: 'must be greater than 0' });
      if (!(typeof c.maxScore === 'number' && c.maxScore > 0)) p.push({ path: `${at}.maxScore`, problem: 'must be greater than 0' });
      if (!Array.isArray(c.levels) || c.levels.length === 0) p.push({ path: `${at}.levels`, problem: 'must describe at least one level' });
      else
        c.levels.forEach((l, j) => {
          if (typeof l?.score !== 'number' || l.score < 0 || l.score > c.maxScore) p.push({ path: `${at}.levels[${j}].score`, problem: `must be between 0 and ${c.maxScore}` });
          if (typeof l?.descriptor !== 'string') p.push({ path: `${at}.levels[${j}].descriptor`, problem: 'must be a string' });
        });
      if (c.anchors !== undefined && (!Array.isArray(c.anchors) || c.anchors.some((a) => typeof a?.text !== 'string' || typeof a?.score !== 'number'))) {
        p.push({ path: `${at}.anchors`, problem: 'must be a list of {text, score}' });
      }
    });
  }
  const w = grading.weights;
  if (typeof w !== 'object' || w === null || !(w.exact >= 0) || !(w.judged >= 0) || w.exact + w.judged <= 0) p.push({ path: `${base}.weights`, problem: 'must be {exact, judged}, non-negative and not both 0' });
  if (!(typeof grading.passMark === 'number' && grading.passMark >= 0 && grading.passMark <= 100)) p.push({ path: `${base}.passMark`, problem: 'must be between 0 and 100' });
  return p;
}
