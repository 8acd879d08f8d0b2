import type { FieldProblem } from '@aitrainer/contracts';
import type { ApiProblem } from '../http/api-problem';
import type { I18n } from '../i18n/i18n.service';
import type { MessageKey } from '../i18n/messages.zh';

/** The plain-words sentence for a failed request, in the current language. */
export function problemMessage(problem: ApiProblem, i18n: I18n): string {
  switch (problem.code) {
    case 'TOO_MANY_ATTEMPTS': {
      // A sign-in throttle says which limit answered: this address for this account, the account, or this address.
      const key = `error.TOO_MANY_ATTEMPTS.${String(problem.params?.['scope'] ?? '')}`;
      if (i18n.has(key) && problem.retryAfterSeconds !== null) return i18n.t(key, { wait: i18n.waitTime(problem.retryAfterSeconds) });
      return problem.retryAfterSeconds !== null
        ? i18n.t('error.TOO_MANY_ATTEMPTS', { wait: i18n.waitTime(problem.retryAfterSeconds) })
        : i18n.t('error.TOO_MANY_ATTEMPTS_NO_WAIT');
    }
    case 'UNKNOWN':
      return i18n.t('error.UNKNOWN', { status: problem.status || '—' });
    default:
      return i18n.t(`error.${problem.code}`);
  }
}

/** Params that carry a value of the product's vocabulary (a role, an organisation kind), worded from the catalogue. */
const WORDED_PARAMS: Readonly<Record<string, string>> = { role: 'role.', kind: 'orgKind.' };

/** The params of a coded problem with the product's own values worded in the reader's language. */
function wordedParams(code: string, params: Record<string, string | number> | undefined, i18n: I18n): Record<string, string | number> | undefined {
  if (!params) return params;
  const out: Record<string, string | number> = { ...params };
  for (const [name, prefix] of Object.entries(WORDED_PARAMS)) {
    const key = `${prefix}${String(out[name] ?? '')}`;
    if (name in out && i18n.has(key)) out[name] = i18n.t(key);
  }
  // "a student must belong to a school": the allowed organisation kinds, each worded.
  if (code === 'ROLE_ORGANISATION_KIND' && typeof out['allowed'] === 'string') {
    out['allowed'] = out['allowed']
      .split(' or ')
      .map((kind) => (i18n.has(`orgKind.${kind}`) ? i18n.t(`orgKind.${kind}` as MessageKey) : kind))
      .join(i18n.lang() === 'zh' ? '或' : ' or ');
  }
  // A validator's reason sent beside its own code (e.g. a roster row's invalid ID number): the coded wording wins.
  const reasonKey = `problem.${String(out['reasonCode'] ?? '')}`;
  if (typeof out['reasonCode'] === 'string' && i18n.has(reasonKey)) out['reason'] = i18n.t(reasonKey);
  return out;
}

/** A problem the API sent with a stable code, worded from the catalogue (`problem.<CODE>` with its params); null otherwise. */
export function codedProblemText(problem: { code?: string; params?: Record<string, string | number> }, i18n: I18n): string | null {
  const key = problem.code ? `problem.${problem.code}` : '';
  return problem.code && i18n.has(key) ? i18n.t(key, wordedParams(problem.code, problem.params, i18n)) : null;
}

/**
 * Codes worded as whole sentences (they name their subject themselves); every other code is worded as a predicate
 * of its field ("不能为空", "must be at most 100 characters") and follows the field's label when the portal knows it.
 */
const SENTENCE_CODES = new Set([
  'FILE_TOO_LARGE', 'FILE_TOO_COMPLEX', 'ZIP_TOO_MANY_ENTRIES', 'ZIP_ENTRY_TOO_LARGE', 'ZIP_TOO_LARGE', 'ZIP_RATIO_TOO_HIGH', 'ZIP_UNREADABLE',
  'SHEET_TOO_MANY_ROWS', 'SHEET_TOO_MANY_COLUMNS', 'SHEET_TOO_MANY_CELLS', 'SHEET_CELL_TOO_LONG', 'NOT_MULTIPART', 'UNEXPECTED_FILE',
  'TRAINING_HOURS_SHORT', 'COURSE_NOT_COMPLETED', 'COURSE_NOT_ENROLLED', 'BLUEPRINT_SHORT', 'EXERCISE_PRACTISED', 'PROMPT_TASK_PRACTISED',
  'SESSION_NOT_STARTED', 'SESSION_ENDED', 'SCHOOL_NOT_PARTNER',
]);

/** "证件号码：校验位不正确" — a field label the portal knows, else the raw path. */
export function fieldProblemText(field: FieldProblem, i18n: I18n): string {
  const key = `field.${field.field}`;
  const known = i18n.has(key);
  const separator = i18n.lang() === 'zh' ? '：' : ': ';
  const coded = codedProblemText(field, i18n);
  if (coded) return known && !SENTENCE_CODES.has(field.code ?? '') ? `${i18n.t(key as MessageKey)}${separator}${coded}` : coded;
  return `${known ? i18n.t(key as MessageKey) : field.field}${separator}${i18n.reason(field.problem)}`;
}

/** Field problems keyed by field name, translated, for showing beside form inputs. */
export function fieldErrorMap(problem: ApiProblem | null, i18n: I18n): Readonly<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const field of problem?.fields ?? []) {
    const text = codedProblemText(field, i18n) ?? i18n.reason(field.problem);
    map[field.field] = map[field.field] ? `${map[field.field]}；${text}` : text;
  }
  return map;
}
