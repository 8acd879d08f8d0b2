import { createHash, timingSafeEqual } from 'node:crypto';

/** True when no token is configured, or the Authorization header is `Bearer <token>` (compared in constant time). */
export function bearerMatches(token: string | null, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
