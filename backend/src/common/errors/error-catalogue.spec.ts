import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@aitrainer/contracts';

/**
 * Every code the API sends has wording in both portal catalogues: the top-level ErrorCode values (`error.<CODE>`) and
 * the field-problem codes (`problem.<CODE>`, upper-case codes set beside `field`/`problem` in the backend).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const catalogue = (lang: 'zh' | 'en') => new Set([...readFileSync(path.join(ROOT, `frontend/src/app/core/i18n/messages.${lang}.ts`), 'utf8').matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Upper-case problem codes the backend attaches to field problems or eligibility reasons. */
function problemCodes(): string[] {
  const codes = new Set<string>();
  for (const file of [...sources(path.join(ROOT, 'backend/src')), ...sources(path.join(ROOT, 'libs/domain/src'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\brosterProblem\([^,]+, '([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
  }
  // Top-level codes are worded as `error.<CODE>`, not as field problems.
  for (const code of Object.values(ErrorCode)) codes.delete(code);
  return [...codes].sort();
}

describe('the portal words every code the API sends', () => {
  it.each(['zh', 'en'] as const)('%s: every ErrorCode has an error.<CODE> entry', (lang) => {
    const keys = catalogue(lang);
    expect(Object.values(ErrorCode).filter((code) => !keys.has(`error.${code}`))).toEqual([]);
  });

  it.each(['zh', 'en'] as const)('%s: every field-problem code has a problem.<CODE> entry', (lang) => {
    const keys = catalogue(lang);
    const codes = problemCodes();
    expect(codes).toEqual(expect.arrayContaining(['BLUEPRINT_SHORT', 'EXERCISE_PRACTISED', 'PROMPT_TASK_PRACTISED', 'TRAINING_HOURS_SHORT', 'ROSTER_EMPTY', 'ROSTER_EXCEL_NUMBER']));
    expect(codes.filter((code) => !keys.has(`problem.${code}`))).toEqual([]);
  });
});
