import { ErrorCode } from '@aitrainer/contracts';
import { DomainError } from '../errors/domain-error';

/** Field-problem codes of refused uploads (the portal words them as `problem.<CODE>` with the params). */
export type UploadProblemCode =
  | 'FILE_TOO_LARGE'
  | 'FILE_TOO_COMPLEX'
  | 'ZIP_TOO_MANY_ENTRIES'
  | 'ZIP_ENTRY_TOO_LARGE'
  | 'ZIP_TOO_LARGE'
  | 'ZIP_RATIO_TOO_HIGH'
  | 'ZIP_UNREADABLE'
  | 'SHEET_TOO_MANY_ROWS'
  | 'SHEET_TOO_MANY_COLUMNS'
  | 'SHEET_TOO_MANY_CELLS'
  | 'SHEET_CELL_TOO_LONG'
  | 'NOT_MULTIPART'
  | 'UNEXPECTED_FILE';

/** A file refused for its size or its complexity: 413 naming the field, with a code and the limit. */
export function uploadTooLarge(field: string, code: UploadProblemCode, problem: string, params: Record<string, string | number> = {}): DomainError {
  return new DomainError(ErrorCode.PayloadTooLarge, `${field} ${problem}`, [{ field, problem, code, params }]);
}

/** A file refused for its shape: 400 naming the field, with a code. */
export function uploadInvalid(field: string, code: UploadProblemCode, problem: string, params: Record<string, string | number> = {}): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `${field} ${problem}`, [{ field, problem, code, params }]);
}

export const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
