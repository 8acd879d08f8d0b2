import type { ImportColumn } from '@aitrainer/contracts';

/**
 * A roster row's problem: a stable code with parameters (the portal words it from its catalogue, `problem.<CODE>`,
 * and the report CSV from the words below), plus the English text for logs and API clients.
 */
export type RosterProblemCode =
  | 'ROSTER_EMPTY'
  | 'ROSTER_TOO_LONG'
  | 'ROSTER_UNKNOWN_ID_TYPE'
  | 'ROSTER_INVALID_ID_NUMBER'
  | 'ROSTER_NOT_A_PHONE'
  | 'ROSTER_UNKNOWN_COHORT'
  | 'ROSTER_DUPLICATE_ID_NUMBER'
  | 'ROSTER_ID_NUMBER_TAKEN'
  | 'ROSTER_EXCEL_NUMBER';

export interface RosterProblem {
  column: ImportColumn;
  problem: string;
  code: RosterProblemCode;
  params: Record<string, string | number>;
}

type Params = Record<string, string | number>;
const fill = (template: string, params: Params) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

export const ROSTER_PROBLEM_WORDS: Record<'zh' | 'en', Record<RosterProblemCode, string>> = {
  zh: {
    ROSTER_EMPTY: '不能为空',
    ROSTER_TOO_LONG: '超过 {max} 个字符',
    ROSTER_UNKNOWN_ID_TYPE: '“{value}”不是可识别的证件类型（如 居民身份证、护照）',
    ROSTER_INVALID_ID_NUMBER: '格式不正确：{reason}',
    ROSTER_NOT_A_PHONE: '不是有效的手机号',
    ROSTER_UNKNOWN_COHORT: '“{cohort}”不是本校的班级，请先创建该班级',
    ROSTER_DUPLICATE_ID_NUMBER: '与第 {line} 行的证件号码重复',
    ROSTER_ID_NUMBER_TAKEN: '已属于另一个账号（姓名、学校或角色不同）',
    ROSTER_EXCEL_NUMBER: 'Excel 把它存成了数字，末几位已丢失：请把该列设为文本格式后重新输入号码',
  },
  en: {
    ROSTER_EMPTY: 'is empty',
    ROSTER_TOO_LONG: 'is longer than {max} characters',
    ROSTER_UNKNOWN_ID_TYPE: '"{value}" is not a known ID document type (e.g. 居民身份证, 护照)',
    ROSTER_INVALID_ID_NUMBER: 'is not a valid ID number: {reason}',
    ROSTER_NOT_A_PHONE: 'is not a phone number',
    ROSTER_UNKNOWN_COHORT: '"{cohort}" is not a cohort of your school; create it first',
    ROSTER_DUPLICATE_ID_NUMBER: 'repeats the ID number of line {line}',
    ROSTER_ID_NUMBER_TAKEN: 'already belongs to another account (a different name, school or role)',
    ROSTER_EXCEL_NUMBER: 'was stored by Excel as a number and lost its last digits; format the column as text and type the numbers again',
  },
};

export function rosterProblem(column: ImportColumn, code: RosterProblemCode, params: Params = {}): RosterProblem {
  return { column, problem: fill(ROSTER_PROBLEM_WORDS.en[code], params), code, params };
}

/** A problem in the reader's language (an old report row without a code keeps its English text). */
export function rosterProblemText(p: { problem: string; code?: string; params?: Params }, lang: 'zh' | 'en'): string {
  const template = p.code ? ROSTER_PROBLEM_WORDS[lang][p.code as RosterProblemCode] : undefined;
  return template ? fill(template, p.params ?? {}) : p.problem;
}
