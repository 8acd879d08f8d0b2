import { codedProblem, type CodedProblem } from '@aitrainer/contracts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The problem with a new password as a code with params (and its English text), or null when it is acceptable. */
export function passwordCodedProblem(password: string, username?: string): CodedProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return codedProblem('TOO_SHORT', { min: PASSWORD_MIN_LENGTH });
  if (password.length > PASSWORD_MAX_LENGTH) return codedProblem('TOO_LONG', { max: PASSWORD_MAX_LENGTH });
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return codedProblem('PASSWORD_LETTER_AND_DIGIT');
  if (username && password.toLowerCase().includes(username.toLowerCase())) return codedProblem('PASSWORD_CONTAINS_USERNAME');
  return null;
}

/** Returns the problem with a new password in English, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  return passwordCodedProblem(password, username)?.problem ?? null;
}
