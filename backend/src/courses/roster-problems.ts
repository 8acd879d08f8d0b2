import type { ImportColumn, ProblemCode } from '@aitrainer/contracts';

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

/**
 * The ID-number validator's reasons (`validateIdDocument`'s codes), in Chinese for the zh report; the English report
 * uses the validator's own English text. The portal's catalogue words the same codes (`problem.<CODE>`, checked equal).
 */
export const ID_REASON_WORDS_ZH: Partial<Record<ProblemCode, string>> = {
  ID_FORMAT: '应为 18 位：前 17 位为数字，最后一位为数字或 X',
  ID_AREA_CODE: '地区码无效',
  ID_BIRTH_DATE_INVALID: '出生日期不是有效日期',
  ID_BIRTH_DATE_FUTURE: '出生日期晚于今天',
  ID_CHECK_CHARACTER: '校验位不正确（GB 11643），请核对号码',
  HMT_PERMIT_PREFIX: '港澳台居民居住证号码应以 810000、820000 或 830000 开头',
  HK_MACAO_PERMIT_FORMAT: '应为字母 H 或 M 加 8 位或 10 位数字',
  TAIWAN_PERMIT_FORMAT: '应为 8 位或 10 位数字',
  PASSPORT_FORMAT: '应为 5–20 位字母或数字',
  FOREIGN_RESIDENT_FORMAT: '应为 15 位（3 个字母加 12 位数字）或以 9 开头的 18 位',
  ID_TYPE_UNKNOWN: '未知的证件类型',
};

export function rosterProblem(column: ImportColumn, code: RosterProblemCode, params: Params = {}): RosterProblem {
  return { column, problem: fill(ROSTER_PROBLEM_WORDS.en[code], params), code, params };
}

/** A problem in the reader's language (an old report row without a code keeps its English text). */
export function rosterProblemText(p: { problem: string; code?: string; params?: Params }, lang: 'zh' | 'en'): string {
  const template = p.code ? ROSTER_PROBLEM_WORDS[lang][p.code as RosterProblemCode] : undefined;
  if (!template) return p.problem;
  const params = { ...p.params };
  // The ID validator's reason: its code worded in Chinese (the English text is already in `reason`).
  const reasonZh = lang === 'zh' && typeof params['reasonCode'] === 'string' ? ID_REASON_WORDS_ZH[params['reasonCode'] as ProblemCode] : undefined;
  if (reasonZh) params['reason'] = reasonZh;
  return fill(template, params);
}
