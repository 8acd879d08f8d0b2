import type { Principal } from '../common/auth/principal';
import { canReadFullIdNumber, canReadUser, creatableRoles } from './access-policy';

const p = (role: Principal['role'], organisationId: number | null, userId = 100): Principal => ({ userId, role, organisationId, sessionId: 's' });
const studentOf = (org: number) => ({ id: 1, organisationId: org, role: 'student' as const });

describe('access policy', () => {
  it.each([
    [p('student', 2, 1), studentOf(2), true], // self
    [p('student', 2), studentOf(2), false], // classmate
    [p('instructor', 2), studentOf(2), true],
    [p('instructor', 2), { id: 5, organisationId: 2, role: 'instructor' as const }, false],
    [p('instructor', 3), studentOf(2), false],
    [p('school_admin', 2), studentOf(2), true],
    [p('school_admin', 3), studentOf(2), false],
    [p('bureau_verifier', 4), studentOf(2), false],
    [p('platform_admin', null), studentOf(2), true],
  ])('canReadUser %#', (viewer, target, expected) => {
    expect(canReadUser(viewer, target)).toBe(expected);
  });

  it('keeps full ID numbers to the holder, their school admin and platform admins', () => {
    expect(canReadFullIdNumber(p('student', 2, 1), studentOf(2))).toBe(true);
    expect(canReadFullIdNumber(p('school_admin', 2), studentOf(2))).toBe(true);
    expect(canReadFullIdNumber(p('instructor', 2), studentOf(2))).toBe(false);
    expect(canReadFullIdNumber(p('org_admin', 2), studentOf(2))).toBe(false);
  });

  it('lets no one below platform admin create admins of other kinds', () => {
    expect(creatableRoles(p('school_admin', 2))).toEqual(['student', 'instructor']);
    expect(creatableRoles(p('student', 2))).toEqual([]);
    expect(creatableRoles(p('bureau_verifier', 4))).toEqual([]);
  });
});
