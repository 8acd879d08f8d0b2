import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, PROBLEM_TEXT, type ProblemCode } from '@aitrainer/contracts';
import { ID_REASON_WORDS_ZH } from '../../courses/roster-problems';

/**
 * Every code the API sends has wording in both portal catalogues: the top-level ErrorCode values (`error.<CODE>`) and
 * the field-problem codes (`problem.<CODE>`): the codes of PROBLEM_TEXT, the codes `DomainError.validation/conflict`
 * calls name, and the upper-case codes set beside `field`/`problem` in the backend (`code: 'X'`).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
type Lang = 'zh' | 'en';
const catalogueText = (lang: Lang) => readFileSync(path.join(ROOT, `frontend/src/app/core/i18n/messages.${lang}.ts`), 'utf8');
/** The catalogue's entries, key to text (single-quoted values, as the catalogues write them). */
function entries(lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of catalogueText(lang).matchAll(/^\s*'([^']+)':\s*'((?:[^'\\]|\\.)*)',?\s*$/gm)) out.set(m[1], m[2].replace(/\\(.)/g, '$1'));
  return out;
}
const catalogue = (lang: Lang) => new Set([...catalogueText(lang).matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]));
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [full] : [];
  });
}
const backendFiles = () => sources(path.join(ROOT, 'backend/src'));

/**
 * The top-level arguments of a call whose `(` is at `open`, as source text: quotes, template literals (with their
 * `${}`) and brackets are skipped over, so a comma inside them does not split.
 */
export function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') {
          // an expression inside the template: find its closing brace, skipping nested strings
          let braces = 1;
          for (i += 2; i < text.length && braces > 0; i++) {
            const d = text[i];
            if (d === "'" || d === '"' || d === '`') {
              for (i++; i < text.length && text[i] !== d; i++) if (text[i] === '\\') i++;
            } else if (d === '{') braces++;
            else if (d === '}') braces--;
          }
          i--;
        }
      }
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        const last = text.slice(start, i).trim();
        if (last) args.push(last);
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args;
}

interface DomainCall {
  where: string;
  args: string[];
}

/** Every `DomainError.validation(...)` and `DomainError.conflict(...)` call in backend/src, with its arguments. */
function domainCalls(): DomainCall[] {
  const calls: DomainCall[] = [];
  for (const file of backendFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/DomainError\.(?:validation|conflict)\s*\(/g)) {
      // Skip the declarations in domain-error.ts (`static validation(` is not preceded by `DomainError.`) and doc comments.
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (/^\s*(\*|\/\/)/.test(text.slice(lineStart, m.index))) continue;
      const line = text.slice(0, m.index).split('\n').length;
      calls.push({ where: `${path.relative(ROOT, file)}:${line}`, args: callArguments(text, m.index + m[0].length - 1) });
    }
  }
  return calls;
}

const CODE_LITERAL = /^'([A-Z][A-Z0-9_]+)'$/;

/** Upper-case problem codes the backend attaches to field problems or eligibility reasons. */
function problemCodes(): string[] {
  const codes = new Set<string>(Object.keys(PROBLEM_TEXT));
  for (const file of [...backendFiles(), ...sources(path.join(ROOT, 'libs/domain/src'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\bproblem: '([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\b(?:rosterProblem\([^,]+, |codedProblem\(|invalidResult\()'([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
  }
  for (const call of domainCalls()) {
    const code = call.args[1]?.match(CODE_LITERAL)?.[1];
    if (code) codes.add(code);
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
    expect(codes).toEqual(
      expect.arrayContaining(['BLUEPRINT_SHORT', 'EXERCISE_PRACTISED', 'ROSTER_EMPTY', 'ROSTER_EXCEL_NUMBER', 'REQUIRED', 'TOO_LONG', 'ID_CHECK_CHARACTER', 'UNKNOWN_FIELD', 'CERTIFICATE_ALREADY_REISSUED']),
    );
    expect(codes.filter((code) => !keys.has(`problem.${code}`))).toEqual([]);
  });

  it('finds the DomainError calls of backend/src, with their arguments', () => {
    const calls = domainCalls();
    expect(calls.length).toBeGreaterThan(100);
    expect(callArguments("x(`a[${i}].b`, 'TOO_LONG', { max: f(1, 2) })", 1)).toEqual(['`a[${i}].b`', "'TOO_LONG'", '{ max: f(1, 2) }']);
  });

  it('every DomainError.validation/conflict call in backend/src names a problem code (no English text instead)', () => {
    const uncoded = domainCalls()
      .filter(({ args }) => {
        const second = args[1];
        if (!second) return true;
        const literal = second.match(CODE_LITERAL);
        if (literal) return !(literal[1] in PROBLEM_TEXT);
        // A string or template literal that is not a code is English text; an expression must be a validator's coded problem.
        return /^['"`]/.test(second);
      })
      .map((c) => `${c.where}: ${c.args.join(', ')}`);
    expect(uncoded).toEqual([]);
  });

  it('no field problem is built by hand in backend/src, libs/domain or libs/scoring without a code', () => {
    // `{ field: …, problem: … }` or `{ path: …, problem: … }` written out must carry `code` (or spread a coded problem).
    const uncoded: string[] = [];
    const files = [...backendFiles(), ...sources(path.join(ROOT, 'libs/domain/src')), ...sources(path.join(ROOT, 'libs/scoring/src'))];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\{\s*(?:field|path)\b(?:[^{}]|\$\{[^{}]*\})*?\bproblem\b(?:[^{}]|\$\{[^{}]*\})*\}/g)) {
        if (/\bcode\b|\.\.\./.test(m[0])) continue;
        uncoded.push(`${path.relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
      }
    }
    expect(uncoded).toEqual([]);
  });

  it('each code is sent with the params its catalogue entries use (no wording names a value the API does not send)', () => {
    const zh = entries('zh');
    const en = entries('en');
    const wrong: string[] = [];
    for (const code of problemCodes()) {
      const zhText = zh.get(`problem.${code}`);
      const enText = en.get(`problem.${code}`);
      if (zhText === undefined || enText === undefined) continue; // reported by the test above
      // The params sent: PROBLEM_TEXT's placeholders (the types hold every call to them); else the en wording's.
      const sent = code in PROBLEM_TEXT ? placeholders(PROBLEM_TEXT[code as ProblemCode]) : placeholders(enText);
      for (const [lang, text] of [['zh', zhText], ['en', enText]] as const) {
        for (const name of placeholders(text)) if (!sent.has(name)) wrong.push(`${lang} problem.${code} uses {${name}}, not sent (${[...sent].join(', ') || 'none'})`);
      }
      for (const name of placeholders(zhText)) if (!placeholders(enText).has(name)) wrong.push(`zh problem.${code} uses {${name}}, which en does not`);
    }
    expect(wrong).toEqual([]);
  });

  it('the zh roster report words the ID validator reasons as the portal does', () => {
    const zh = entries('zh');
    const differing = Object.entries(ID_REASON_WORDS_ZH).filter(([code, words]) => zh.get(`problem.${code}`) !== words);
    expect(differing).toEqual([]);
    expect(Object.keys(ID_REASON_WORDS_ZH)).toEqual(expect.arrayContaining(['ID_CHECK_CHARACTER', 'ID_FORMAT', 'PASSPORT_FORMAT']));
  });
});
