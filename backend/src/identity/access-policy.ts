import type { Role } from '@aitrainer/contracts';
import type { Principal } from '../common/auth/principal';

/** Who may see whose account. Anything not listed is refused. */
export function canReadUser(viewer: Principal, target: { id: number; organisationId: number | null; role: Role }): boolean {
  if (viewer.userId === target.id || viewer.role === 'platform_admin') return true;
  const sameOrg = viewer.organisationId !== null && viewer.organisationId === target.organisationId;
  switch (viewer.role) {
    case 'school_admin':
    case 'org_admin':
      return sameOrg;
    case 'instructor':
      return sameOrg && target.role === 'student';
    default:
      return false;
  }
}

/** The full ID number: the holder, a platform admin, or the admin of the holder's school. Every read is audited. */
export function canReadFullIdNumber(viewer: Principal, target: { id: number; organisationId: number | null }): boolean {
  if (viewer.userId === target.id || viewer.role === 'platform_admin') return true;
  return viewer.role === 'school_admin' && viewer.organisationId !== null && viewer.organisationId === target.organisationId;
}

/** Roles an admin may create, and where. */
export function creatableRoles(viewer: Principal): Role[] {
  switch (viewer.role) {
    case 'platform_admin':
      return ['student', 'instructor', 'school_admin', 'org_admin', 'bureau_verifier', 'platform_admin'];
    case 'school_admin':
      return ['student', 'instructor'];
    case 'org_admin':
      return ['instructor', 'org_admin'];
    default:
      return [];
  }
}
