const isControl = (c: string) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127;

export function hasControlCharacters(value: string): boolean {
  return [...value].some(isControl);
}

/** Multer hands over a UTF-8 file name decoded as latin1; a name with wider characters is already right. */
export function uploadedFileName(original: string): string {
  const decoded = [...original].some((c) => c.charCodeAt(0) > 255) ? original : Buffer.from(original, 'latin1').toString('utf8');
  return [...decoded].map((c) => (isControl(c) || c === '/' || c === '\\' ? '_' : c)).join('').slice(0, 255);
}
