import { problemAt, type FieldProblem } from './problems';

/** Small building blocks for the answer validators: each pushes a problem and returns whether the value is fine. */
export type Fields = Record<string, unknown>;

export function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export function isObject(value: unknown, path: string, problems: FieldProblem[]): value is Fields {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
  problems.push(problemAt(path || '(answer)', 'NOT_AN_OBJECT'));
  return false;
}

export function isArray(value: unknown, path: string, problems: FieldProblem[]): value is unknown[] {
  if (Array.isArray(value)) return true;
  problems.push(problemAt(path, 'NOT_A_LIST'));
  return false;
}

export function isNonEmptyString(value: unknown, path: string, problems: FieldProblem[]): value is string {
  if (typeof value === 'string' && value.trim() !== '') return true;
  problems.push(problemAt(path, 'REQUIRED_TEXT'));
  return false;
}

export function isString(value: unknown, path: string, problems: FieldProblem[]): value is string {
  if (typeof value === 'string') return true;
  problems.push(problemAt(path, 'NOT_TEXT'));
  return false;
}

export function isFiniteNumber(value: unknown, path: string, problems: FieldProblem[]): value is number {
  if (typeof value === 'number' && Number.isFinite(value)) return true;
  problems.push(problemAt(path, 'NOT_A_NUMBER'));
  return false;
}

export function isNonNegativeInteger(value: unknown, path: string, problems: FieldProblem[]): value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return true;
  problems.push(problemAt(path, 'NOT_NEGATIVE_INTEGER'));
  return false;
}

/** Checks `value` is one of `allowed` when an allowed list is known. */
export function isOneOf(value: string, allowed: readonly string[] | undefined, path: string, problems: FieldProblem[]): boolean {
  if (!allowed || allowed.includes(value)) return true;
  problems.push(problemAt(path, 'VALUE_NOT_ONE_OF', { value, allowed: allowed.join(', ') }));
  return false;
}

/** Validates `answer.itemId`, and that it names `itemId` when the item is known. */
export function checkItemId(answer: Fields, itemId: string | undefined, base: string, problems: FieldProblem[]): void {
  const path = join(base, 'itemId');
  if (isNonEmptyString(answer['itemId'], path, problems) && itemId !== undefined && answer['itemId'] !== itemId) {
    problems.push(problemAt(path, 'MUST_BE_ITEM', { item: itemId }));
  }
}

/** Pushes a problem for each string that repeats an earlier one (non-strings are skipped: reported elsewhere). */
export function checkNoDuplicates(values: readonly unknown[], base: string, what: string, problems: FieldProblem[]): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (typeof v !== 'string') return;
    if (seen.has(v)) problems.push(problemAt(join(base, i), 'DUPLICATE_VALUE', { value: String(v) }));
    seen.add(v);
  });
}
