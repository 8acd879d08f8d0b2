import {
  CertificateNumberError,
  SKILL_LEVEL_NAMES,
  formatEnterpriseCertificateNumber,
  formatSkillCertificateNumber,
  generateEnterpriseCertificateNumber,
  isValidMod3736,
  mod3736CheckCharacter,
  parseEnterpriseCertificateNumber,
  parseSkillCertificateNumber,
  recordedSkillNumberProblem,
  skillLevelFromName,
  skillLevelName,
  type SkillCertificateNumberParts,
} from './index';

const codes = { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001' } as const;

describe('skill level names', () => {
  it.each([
    [5, '五级/初级工'],
    [4, '四级/中级工'],
    [3, '三级/高级工'],
    [2, '二级/技师'],
    [1, '一级/高级技师'],
  ] as const)('level %i is written %s', (level, name) => {
    expect(skillLevelName(level)).toBe(name);
    expect(skillLevelFromName(name)).toBe(level);
  });

  it('knows no other name', () => {
    expect(skillLevelFromName('四级')).toBeNull();
    expect(Object.keys(SKILL_LEVEL_NAMES)).toHaveLength(5);
  });
});

describe('formatSkillCertificateNumber (22 characters)', () => {
  it.each([
    [{ ...codes, year: 2026, level: 5, serial: 1 }, 'Y000133010001265000001'],
    [{ ...codes, year: 26, level: 4, serial: 42 }, 'Y000133010001264000042'],
    [{ ...codes, kind: 'S', evaluationBodyCode: '0000', year: 2030, level: 1, serial: 999_999 }, 'S000033010001301999999'],
    [{ ...codes, year: 2005, level: 3, serial: 123456 }, 'Y000133010001053123456'],
  ] as [SkillCertificateNumberParts, string][])('%o → %s', (parts, expected) => {
    const number = formatSkillCertificateNumber(parts);
    expect(number).toBe(expected);
    expect(number).toHaveLength(22);
  });

  it.each([
    [{ kind: 'X' }, 'kind'],
    [{ evaluationBodyCode: '01' }, 'evaluationBodyCode'],
    [{ provinceCode: '3' }, 'provinceCode'],
    [{ siteSerial: '01000A' }, 'siteSerial'],
    [{ year: 1999 }, 'year'],
    [{ level: 6 }, 'level'],
    [{ level: 0 }, 'level'],
    [{ serial: 0 }, 'serial'],
    [{ serial: 1_000_000 }, 'serial'],
    [{ serial: 1.5 }, 'serial'],
  ])('refuses %o (%s)', (change, field) => {
    const parts = { ...codes, year: 2026, level: 5, serial: 1, ...change } as SkillCertificateNumberParts;
    expect(() => formatSkillCertificateNumber(parts)).toThrow(CertificateNumberError);
    expect(() => formatSkillCertificateNumber(parts)).toThrow(field);
  });
});

describe('parseSkillCertificateNumber', () => {
  it('reads every part back, including the level digit and the year', () => {
    expect(parseSkillCertificateNumber('y0001 3301 0001 2640 00042')).toEqual({
      valid: true,
      normalized: 'Y000133010001264000042',
      parts: { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', year: 2026, level: 4, serial: 42 },
    });
  });

  it.each([1, 2, 3, 4, 5] as const)('round-trips level %i', (level) => {
    const number = formatSkillCertificateNumber({ ...codes, year: 2026, level, serial: 7 });
    const parsed = parseSkillCertificateNumber(number);
    expect(parsed.valid && parsed.parts.level).toBe(level);
    expect(number[15]).toBe(String(level));
  });

  it.each([
    ['Y00013301000126500000', '22 characters'],
    ['Y0001330100012650000011', '22 characters'],
    ['A000133010001265000001', 'start with Y'],
    ['Y0001330100012650000A1', 'digits'],
    ['Y000133010001266000001', 'level digit'],
    ['Y000133010001260000001', 'level digit'],
    ['Y000133010001265000000', 'serial'],
  ])('rejects %s (%s)', (input, reason) => {
    const result = parseSkillCertificateNumber(input);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain(reason);
  });
});

describe('recordedSkillNumberProblem (numbers assigned from outside)', () => {
  const own = { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33' } as const;
  it.each([
    ['Y000133990001264000042', { level: 4, year: 2026, codes: own }, null], // another site serial is fine
    ['Y000133010001264000042', { level: 4, year: 2026 }, null],
    ['Y000133010001264000042', { level: 5, year: 2026 }, 'level digit 4'],
    ['Y000133010001254000042', { level: 4, year: 2026 }, 'year 2025'],
    ['S000133010001264000042', { level: 4, year: 2026, codes: own }, "not the issuer's"],
    ['Y000244010001264000042', { level: 4, year: 2026, codes: own }, "not the issuer's"],
    ['Y00013301000126400004', { level: 4, year: 2026 }, '22 characters'],
  ] as const)('%s with %o → %s', (number, expected, problem) => {
    const result = recordedSkillNumberProblem(number, expected);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});

describe('ISO 7064 MOD 37,36 check character', () => {
  it.each([
    ['AIT2026', mod3736CheckCharacter('AIT2026')],
    ['A', mod3736CheckCharacter('A')],
  ])('validates %s with its own check character', (body, check) => {
    expect(isValidMod3736(body + check)).toBe(true);
  });

  it('is always alphanumeric', () => {
    for (let i = 0; i < 500; i++) expect(mod3736CheckCharacter(`AIT${i}`)).toMatch(/^[0-9A-Z]$/);
  });

  it('catches every single-character substitution and adjacent transposition of a number', () => {
    const body = 'AIT20267KQ3M9XW2P';
    const valid = body + mod3736CheckCharacter(body);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; i < valid.length; i++) {
      for (const ch of alphabet) {
        if (ch === valid[i]) continue;
        expect(isValidMod3736(valid.slice(0, i) + ch + valid.slice(i + 1))).toBe(false);
      }
      if (i + 1 < valid.length && valid[i] !== valid[i + 1]) {
        expect(isValidMod3736(valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2))).toBe(false);
      }
    }
  });
});

describe('enterprise certificate numbers', () => {
  it('formats prefix, year, random part and check character', () => {
    const number = formatEnterpriseCertificateNumber({ prefix: 'ait', year: 2026, random: '7KQ3M9XW2P' });
    expect(number).toMatch(/^AIT-2026-7KQ3M9XW2P-[0-9A-Z]$/);
    expect(parseEnterpriseCertificateNumber(number)).toEqual({ valid: true, normalized: number, parts: { prefix: 'AIT', year: 2026, random: '7KQ3M9XW2P' } });
  });

  it('is deterministic for given random bytes and uses Crockford base32', () => {
    const bytes = () => Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9 + 32]);
    expect(generateEnterpriseCertificateNumber('AIT', 2026, bytes)).toMatch(/^AIT-2026-0123456789-[0-9A-Z]$/);
    const bytes2 = () => Uint8Array.from([10, 11, 18, 19, 20, 21, 27, 28, 29, 31]);
    expect(generateEnterpriseCertificateNumber('AIT', 2026, bytes2)).toMatch(/^AIT-2026-ABJKMNVWXZ-/);
  });

  it('cannot be guessed in sequence: 2,000 draws are distinct and all valid', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const number = generateEnterpriseCertificateNumber('AIT', 2026);
      expect(parseEnterpriseCertificateNumber(number).valid).toBe(true);
      seen.add(number.split('-')[2]);
    }
    expect(seen.size).toBe(2000);
  });

  it.each([
    ['AIT-2026-7KQ3M9XW2P', 'must look like'],
    ['AIT-2026-7KQ3M9XW2I-0', 'must look like'], // I is not Crockford base32
    ['A-2026-7KQ3M9XW2P-0', 'must look like'],
    ['AIT-26-7KQ3M9XW2P-0', 'must look like'],
  ])('rejects %s (%s)', (input, reason) => {
    const result = parseEnterpriseCertificateNumber(input);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain(reason);
  });

  it('rejects a wrong check character', () => {
    const number = formatEnterpriseCertificateNumber({ prefix: 'AIT', year: 2026, random: '7KQ3M9XW2P' });
    const wrong = number.slice(0, -1) + (number.endsWith('0') ? '1' : '0');
    const result = parseEnterpriseCertificateNumber(wrong);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain('check character');
  });
});
