/**
 * Masks a personal ID number for display: the first 6 and the last 4 characters stay visible
 * (`110105********002X`); short numbers keep only their first and last 2.
 */
export function maskIdNumber(value: string): string {
  if (value.length >= 14) return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
  if (value.length <= 4) return '*'.repeat(value.length);
  return value.slice(0, 2) + '*'.repeat(value.length - 4) + value.slice(-2);
}
