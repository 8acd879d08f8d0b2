import {
  creditCodeCheckCharacter,
  maskIdNumber,
  passwordProblem,
  residentIdCheckCharacter,
  validateCreditCode,
  validateIdDocument,
  validateResidentId,
} from '../index';

const today = new Date(Date.UTC(2026, 10, 28));

describe('validateResidentId (GB 11643)', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['360426199101010071', '360426199101010071'],
    [' 360426199101010071 ', '360426199101010071'],
  ])('accepts %s', (input, normalized) => {
    expect(validateResidentId(input, today)).toEqual({ valid: true, normalized });
  });

  it.each([
    ['110105194912310021', 'check character'],
    ['11010519491231002', '18 characters'],
    ['1101051949123100211', '18 characters'],
    ['11010519491331002X', 'not a real date'],
    ['110105190002290011', 'not a real date'], // 1900 was not a leap year
    ['110105189912310011', 'not a real date'],
    ['11010520991231002X', 'future'],
    ['A1010519491231002X', '18 characters'],
    ['010105194912310029', 'area code'],
  ])('rejects %s (%s)', (input, reason) => {
    const result = validateResidentId(input, today);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain(reason);
  });

  it('computes the check character from the weights', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('36042619910101007')).toBe('1');
  });

  it('accepts 29 February in a leap year', () => {
    const first17 = '11010520000229001';
    expect(validateResidentId(first17 + residentIdCheckCharacter(first17), today).valid).toBe(true);
  });
});

describe('validateCreditCode (GB 32100)', () => {
  it.each(['91110000600037341L', '91110108551385082Q', '91110108551385082q'])('accepts %s', (code) => {
    expect(validateCreditCode(code).valid).toBe(true);
  });

  it.each([
    ['91110000600037341A', 'check character'],
    ['9111000060003734', '18 characters'],
    ['9111000060003734IL', 'not allowed'],
    ['91ABCDEF600037341L', 'area code'],
  ])('rejects %s (%s)', (code, reason) => {
    const result = validateCreditCode(code);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain(reason);
  });

  it('check character 0 when the sum is a multiple of 31', () => {
    // (31 - 0) % 31 = 0 -> '0', the wrap-around case of the formula
    const first17 = '00000000000000000';
    expect(creditCodeCheckCharacter(first17)).toBe('0');
  });
});

describe('validateIdDocument', () => {
  it.each([
    ['resident_id', '11010519491231002X', true],
    ['resident_id', '110105194912310021', false],
    ['hk_macao_permit', 'H12345678', true],
    ['hk_macao_permit', 'M1234567890', true],
    ['hk_macao_permit', 'X12345678', false],
    ['taiwan_permit', '12345678', true],
    ['taiwan_permit', '1234567', false],
    ['passport', 'E12345678', true],
    ['passport', 'E1', false],
    ['foreign_permanent_resident', 'USA123456789012', true],
    ['foreign_permanent_resident', '12345', false],
  ] as const)('%s %s -> %s', (type, number, valid) => {
    expect(validateIdDocument(type, number, today).valid).toBe(valid);
  });

  it('requires the 81/82/83 area for a residence permit', () => {
    const first17 = '81000019900101001';
    const good = first17 + residentIdCheckCharacter(first17);
    expect(validateIdDocument('hmt_residence_permit', good, today).valid).toBe(true);
    expect(validateIdDocument('hmt_residence_permit', '11010519491231002X', today).valid).toBe(false);
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['E12345678', 'E1*****78'],
    ['1234', '****'],
  ])('%s -> %s', (input, masked) => {
    expect(maskIdNumber(input)).toBe(masked);
  });
});

describe('passwordProblem', () => {
  it.each([
    ['short1', 'at least 8'],
    ['lettersonly', 'letter and one digit'],
    ['12345678', 'letter and one digit'],
    ['alice2026x', 'username'],
  ])('%s is refused', (pw, problem) => {
    expect(passwordProblem(pw, 'alice')).toContain(problem);
  });
  it('accepts a reasonable password', () => {
    expect(passwordProblem('Train2026!', 'alice')).toBeNull();
  });
});
