import { codedProblem, type OutputCheck, type ProblemArgs, type ProblemCode, type ProblemParamValue, type PromptTaskDefinition, type RubricCriterion } from '@aitrainer/contracts';

/**
 * Rules for grading a candidate's prompt, framework-free so the worker, the API and tests share them.
 * The model only supplies raw judgements; every number that decides a grade is computed here.
 */

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Variables the task requires that the prompt does not use as `{{name}}`. */
export function missingVariables(prompt: string, variables: string[]): string[] {
  const used = new Set([...prompt.matchAll(VARIABLE)].map((m) => m[1]));
  return variables.filter((v) => !used.has(v));
}

/** The candidate's prompt with each `{{name}}` replaced by the case's value (unknown names stay as written). */
export function fillPrompt(prompt: string, input: Record<string, string>): string {
  return prompt.replace(VARIABLE, (whole, name: string) => (Object.prototype.hasOwnProperty.call(input, name) ? input[name] : whole));
}

export const DATA_OPEN = '<<<CANDIDATE_DATA';
export const DATA_CLOSE = 'CANDIDATE_DATA>>>';

/**
 * Candidate text goes inside a data block whose delimiters it cannot forge: runs of angle brackets and
 * chat-template control tokens are replaced by look-alikes that mean nothing to the judge's template.
 */
export function neutraliseDelimiters(text: string): string {
  return text
    .replace(/<{3,}/g, (m) => '‹'.repeat(m.length))
    .replace(/>{3,}/g, (m) => '›'.repeat(m.length))
    .replace(/<\|[^|>]{0,40}\|>/g, (m) => m.replace(/[<>|]/g, '¦'))
    .replace(/CANDIDATE_DATA/gi, 'CANDIDATE-DATA');
}

export function dataBlock(label: string, text: string): string {
  return `${DATA_OPEN} ${label}\n${neutraliseDelimiters(text)}\n${DATA_CLOSE}`;
}

export interface CheckOutcome {
  passed: boolean;
  note: string;
}

export type JsonSchemaValidator = (schema: Record<string, unknown>, value: unknown) => string[];

/** Evaluates a deterministic check; `llm_criterion` is judged by the model and is not handled here. */
export function evaluateCheck(check: Exclude<OutputCheck, { kind: 'llm_criterion' }>, output: string, validateJson: JsonSchemaValidator): CheckOutcome {
  const text = output.trim();
  switch (check.kind) {
    case 'exact': {
      const ok = check.caseSensitive === false ? text.toLowerCase() === check.value.trim().toLowerCase() : text === check.value.trim();
      return { passed: ok, note: ok ? 'output matches exactly' : 'output does not match the expected text exactly' };
    }
    case 'contains': {
      const ok = check.caseSensitive === false ? text.toLowerCase().includes(check.value.toLowerCase()) : text.includes(check.value);
      return { passed: ok, note: ok ? 'output contains the required text' : 'output is missing required text' };
    }
    case 'regex': {
      const ok = new RegExp(check.pattern, check.flags ?? '').test(text);
      return { passed: ok, note: ok ? 'output has the required form' : 'output does not have the required form' };
    }
    case 'label_equals': {
      const ok = normaliseLabel(text) === normaliseLabel(check.label);
      return { passed: ok, note: ok ? 'output is the expected label' : 'output is not the expected label' };
    }
    case 'json_schema': {
      let value: unknown;
      try {
        value = JSON.parse(stripCodeFence(text));
      } catch {
        return { passed: false, note: 'output is not valid JSON' };
      }
      const problems = validateJson(check.schema, value);
      return problems.length === 0
        ? { passed: true, note: 'output is JSON of the required shape' }
        : { passed: false, note: `output JSON does not match the required shape (${problems.length} problem${problems.length > 1 ? 's' : ''})` };
    }
  }
}

function normaliseLabel(s: string): string {
  return s.normalize('NFKC').trim().replace(/^["'“”「」《》]+|["'“”「」《》。.!！]+$/g, '').trim().toLowerCase();
}

/** Models often wrap JSON in a Markdown fence; the content is what counts. */
export function stripCodeFence(text: string): string {
  const m = /^```(?:json)?\s*\n([\s\S]*?)\n```$/i.exec(text.trim());
  return m ? m[1] : text;
}

export function clampScore(score: unknown, max: number): number {
  const n = typeof score === 'number' && Number.isFinite(score) ? score : 0;
  return Math.min(max, Math.max(0, n));
}

export interface CriterionScore {
  id: string;
  score: number;
}

/** Weighted mean of score / maxScore over the rubric, in [0, 1]. Scores are clamped first. */
export function rubricFraction(rubric: RubricCriterion[], scores: CriterionScore[]): number {
  const totalWeight = rubric.reduce((s, c) => s + c.weight, 0);
  if (totalWeight <= 0) return 0;
  let sum = 0;
  for (const c of rubric) {
    const given = scores.find((s) => s.id === c.id);
    sum += c.weight * (clampScore(given?.score, c.maxScore) / c.maxScore);
  }
  return sum / totalWeight;
}

/** Combines execution and rubric fractions by the task's weights into a score out of 100 (two decimals). */
export function combinedScore(def: Pick<PromptTaskDefinition, 'weights' | 'hiddenCases'>, execution: number | null, rubric: number): number {
  const we = execution === null || def.hiddenCases.length === 0 ? 0 : def.weights.execution;
  const wr = def.weights.rubric;
  if (we + wr <= 0) return 0;
  const fraction = (we * (execution ?? 0) + wr * rubric) / (we + wr);
  return Math.round(fraction * 10000) / 100;
}

export function isPass(score100: number, passMark: number): boolean {
  return score100 >= passMark;
}

/** True when two judge runs differ on any criterion by more than `threshold` of its range. */
export function judgesDisagree(rubric: RubricCriterion[], a: CriterionScore[], b: CriterionScore[], threshold = 0.25): boolean {
  return rubric.some((c) => {
    const sa = clampScore(a.find((s) => s.id === c.id)?.score, c.maxScore);
    const sb = clampScore(b.find((s) => s.id === c.id)?.score, c.maxScore);
    return Math.abs(sa - sb) / c.maxScore > threshold;
  });
}

/** A result this close to the pass mark is decided by a person, not by the model's noise. */
export function nearPassMark(score100: number, passMark: number, margin = 3): boolean {
  return Math.abs(score100 - passMark) < margin;
}

/** A structural problem of a task definition: its path, the English text, and the stable code with its params. */
export interface PromptTaskProblem {
  path: string;
  problem: string;
  code: ProblemCode;
  params?: Record<string, ProblemParamValue>;
}

/** Structural problems of a task definition, as {path, problem, code, params}, so the API can name each one. */
export function promptTaskProblems(def: PromptTaskDefinition): PromptTaskProblem[] {
  const problems: PromptTaskProblem[] = [];
  const add = <C extends ProblemCode>(path: string, code: C, ...args: ProblemArgs<C>) => problems.push({ path, ...codedProblem(code, ...args) });
  if (!def.title?.trim()) add('title', 'REQUIRED');
  if (!def.scenario?.trim()) add('scenario', 'REQUIRED');
  const names = new Set<string>();
  def.variables.forEach((v, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) add(`variables[${i}]`, 'VARIABLE_NAME_FORMAT');
    if (names.has(v)) add(`variables[${i}]`, 'USED_TWICE');
    names.add(v);
  });
  const checkInput = (input: Record<string, string>, path: string) => {
    for (const v of def.variables) if (typeof input?.[v] !== 'string') add(`${path}.input.${v}`, 'VARIABLE_VALUE_REQUIRED');
  };
  def.visibleExamples.forEach((e, i) => checkInput(e.input, `visibleExamples[${i}]`));
  def.hiddenCases.forEach((c, i) => {
    checkInput(c.input, `hiddenCases[${i}]`);
    if (!c.checks.length) add(`hiddenCases[${i}].checks`, 'CHECKS_REQUIRED');
    c.checks.forEach((check, j) => {
      const path = `hiddenCases[${i}].checks[${j}]`;
      if (check.kind === 'regex') {
        try {
          new RegExp(check.pattern, check.flags ?? '');
        } catch (e) {
          add(`${path}.pattern`, 'REGEX_INVALID', { detail: (e as Error).message });
        }
      }
      if ((check.kind === 'exact' || check.kind === 'contains') && !check.value) add(`${path}.value`, 'REQUIRED');
      if (check.kind === 'label_equals' && !check.label) add(`${path}.label`, 'REQUIRED');
      if (check.kind === 'llm_criterion' && !check.criterion?.trim()) add(`${path}.criterion`, 'REQUIRED');
      if (check.kind === 'json_schema' && (typeof check.schema !== 'object' || check.schema === null)) add(`${path}.schema`, 'JSON_SCHEMA_OBJECT');
    });
  });
  if (!def.rubric.length) add('rubric', 'RUBRIC_EMPTY');
  const ids = new Set<string>();
  def.rubric.forEach((c, i) => {
    if (!c.id || ids.has(c.id)) add(`rubric[${i}].id`, 'CRITERION_ID_UNIQUE');
    ids.add(c.id);
    if (!(c.weight > 0)) add(`rubric[${i}].weight`, 'POSITIVE');
    if (!(c.maxScore > 0)) add(`rubric[${i}].maxScore`, 'POSITIVE');
    if (!c.levels.length) add(`rubric[${i}].levels`, 'LEVELS_REQUIRED');
    c.levels.forEach((l, j) => {
      if (l.score < 0 || l.score > c.maxScore) add(`rubric[${i}].levels[${j}].score`, 'BETWEEN', { min: 0, max: c.maxScore });
    });
  });
  if (def.weights.execution < 0 || def.weights.rubric < 0 || def.weights.execution + def.weights.rubric <= 0) {
    add('weights', 'WEIGHTS_NON_NEGATIVE');
  }
  if (def.weights.execution > 0 && def.hiddenCases.length === 0) add('hiddenCases', 'HIDDEN_CASES_REQUIRED');
  if (!(def.passMark >= 0 && def.passMark <= 100)) add('passMark', 'BETWEEN', { min: 0, max: 100 });
  return problems;
}
