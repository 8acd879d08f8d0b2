import { csvField, neutraliseFormula, restoreNeutralised, spreadsheetValue } from './spreadsheet';

describe('spreadsheet cells (OWASP CSV injection)', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'],
    ['=1+1', "'=1+1"],
    ['@SUM(1)', "'@SUM(1)"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('%j is written as text', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
    expect(restoreNeutralised(neutraliseFormula(value))).toBe(value);
  });

  it.each(['-12', '-3.5', '+7', '-1e3', '-.5', '普通文本', '', 'a=b', "'quoted already"])('%j is left as it is', (value) => {
    expect(neutraliseFormula(value)).toBe(value);
    expect(restoreNeutralised(value)).toBe(value);
  });

  it('CSV fields: neutralised, then quoted; numbers (negative ones too) untouched', () => {
    expect(csvField('=1+1,2')).toBe(`"'=1+1,2"`);
    expect(csvField('@x"y')).toBe(`"'@x""y"`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField('-5')).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(spreadsheetValue(-2.5)).toBe(-2.5);
    expect(spreadsheetValue('=A1')).toBe("'=A1");
  });
});
