/**
 * Spreadsheet (CSV and xlsx) cells that Excel, LibreOffice or Sheets would run as formulas: a text starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP, CSV injection). Such a text is written with a leading `'`,
 * which spreadsheets show as text. A plain number (`-12`, `+3.5`, `-1e3`) is not a formula and is kept as it is, so
 * negative scores and amounts stay numbers.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function neutraliseFormula(value: string): string {
  return FORMULA_TRIGGER.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Reading back our own export: `'=…` becomes `=…` again (only where the `'` guards a formula trigger). */
export function restoreNeutralised(value: string): string {
  return value.startsWith("'") && FORMULA_TRIGGER.test(value.slice(1)) && !PLAIN_NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}

/** One CSV field (RFC 4180): neutralised, then quoted when it holds a quote, comma or line break. Numbers as they are. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An xlsx cell value: texts neutralised; numbers, dates and booleans as they are. */
export function spreadsheetValue<T>(value: T): T | string {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}
