import type { Role } from '@aitrainer/contracts';

/** Each role has one landing page; guards send users who stray back to theirs. */
export const LANDING_PATH: Readonly<Record<Role, string>> = {
  student: '/student',
  instructor: '/instructor',
  school_admin: '/school',
  org_admin: '/org',
  bureau_verifier: '/bureau',
  platform_admin: '/admin',
};

/** Only same-site paths are followed after login, never `//host` or absolute URLs. */
export function safeReturnUrl(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (value.startsWith('/login')) return null;
  return value;
}
