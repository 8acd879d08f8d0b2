// Run: node --test frontend/src/app/core/notifications/problem-text.spec.ts (Node strips the types).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EN } from '../i18n/messages.en.ts';
import { ZH } from '../i18n/messages.zh.ts';
import { translateReason } from '../i18n/reasons.ts';
import { codedProblemText, fieldErrorMap, fieldProblemText } from './problem-text.ts';

/** The part of I18n the problem texts use, over the real catalogues. */
function i18n(lang: 'zh' | 'en') {
  const dict = (lang === 'zh' ? ZH : EN) as Record<string, string>;
  return {
    lang: () => lang,
    has: (key: string) => Object.prototype.hasOwnProperty.call(ZH, key),
    t: (key: string, params?: Record<string, string | number>) =>
      dict[key].replace(/\{(\w+)\}/g, (m, name: string) => (params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m)),
    reason: (reason: string) => (lang === 'zh' ? translateReason(reason) : reason),
  } as never;
}

test('a coded field problem is worded from the catalogue with its params, after the field label', () => {
  const field = { field: 'name', problem: 'must be at most 100 characters', code: 'TOO_LONG', params: { max: 100 } };
  assert.equal(codedProblemText(field, i18n('zh')), '最多 100 个字符');
  assert.equal(codedProblemText(field, i18n('en')), 'must be at most 100 characters');
  assert.equal(fieldProblemText({ field: 'idNumber', problem: 'check character does not match (GB 11643)', code: 'ID_CHECK_CHARACTER' }, i18n('zh')), '证件号码：校验位不正确（GB 11643），请核对号码');
  // Beside the input, no label.
  assert.deepEqual(fieldErrorMap({ fields: [field] } as never, i18n('zh')), { name: '最多 100 个字符' });
});

test('a sentence code is not prefixed; an unknown field shows the coded text alone', () => {
  const text = fieldProblemText({ field: 'file', problem: 'x', code: 'FILE_TOO_LARGE', params: { limitMb: 16 } }, i18n('en'));
  assert.equal(text, 'The file is larger than the limit of 16 MB.');
  assert.equal(fieldProblemText({ field: 'items[0].criteria', problem: 'x', code: 'CRITERION_NOT_SCORED', params: { criterion: 'c1' } }, i18n('zh')), '每项评分标准都要打分：“c1”尚未打分');
});

test('roles, organisation kinds and a validator reason code in the params are worded too', () => {
  const kind = { field: 'organisationId', problem: 'x', code: 'ROLE_ORGANISATION_KIND', params: { role: 'student', allowed: 'school', kind: 'issuer' } };
  assert.equal(codedProblemText(kind, i18n('zh')), '学员只能属于院校 / 培训机构，不能属于认证企业（评价机构）');
  const roster = { code: 'ROSTER_INVALID_ID_NUMBER', params: { type: 'resident_id', reason: 'check character does not match (GB 11643)', reasonCode: 'ID_CHECK_CHARACTER' } };
  assert.equal(codedProblemText(roster, i18n('zh')), '格式不正确：校验位不正确（GB 11643），请核对号码');
});

test('an uncoded problem still goes through the English-reason fallback', () => {
  assert.equal(fieldProblemText({ field: 'idNumber', problem: 'birth date is in the future' }, i18n('zh')), '证件号码：出生日期晚于今天');
});
