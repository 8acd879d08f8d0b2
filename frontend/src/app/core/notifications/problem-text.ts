import type { FieldProblem } from '@aitrainer/contracts';
import type { ApiProblem } from '../http/api-problem';
import type { I18n } from '../i18n/i18n.service';

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

/** A problem the API sent with a stable code, worded from the catalogue (`problem.<CODE>` with its params); null otherwise. */
export function codedProblemText(problem: { code?: string; params?: Record<string, string | number> }, i18n: I18n): string | null {
  const key = problem.code ? `problem.${problem.code}` : '';
  return problem.code && i18n.has(key) ? i18n.t(key, problem.params) : null;
}

/** "证件号码：校验位不正确" — a field label the portal knows, else the raw path. */
export function fieldProblemText(field: FieldProblem, i18n: I18n): string {
  const coded = codedProblemText(field, i18n);
  if (coded) return coded;
  const key = `field.${field.field}`;
  const label = i18n.has(key) ? i18n.t(key) : field.field;
  return `${label}${i18n.lang() === 'zh' ? '：' : ': '}${i18n.reason(field.problem)}`;
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
