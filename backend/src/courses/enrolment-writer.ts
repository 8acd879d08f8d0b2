import { In, type EntityManager } from 'typeorm';
import { Course, CourseCohort, Enrolment } from './entities/course.entity';

/**
 * Enrols students in a published course, skipping those already enrolled. Runs inside the caller's
 * transaction; the unique key (course, user) keeps concurrent enrolments from doubling a row.
 */
export async function enrolStudents(
  tx: EntityManager,
  course: Pick<Course, 'id' | 'publishedVersionId'>,
  userIds: readonly number[],
  cohortId: number | null,
  now: Date,
): Promise<{ enrolled: number; alreadyEnrolled: number }> {
  if (course.publishedVersionId === null || userIds.length === 0) return { enrolled: 0, alreadyEnrolled: 0 };
  const unique = [...new Set(userIds)];
  const existing = new Set<number>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await tx.getRepository(Enrolment).find({ select: { userId: true }, where: { courseId: course.id, userId: In(unique.slice(i, i + 500)) } });
    rows.forEach((r) => existing.add(r.userId));
  }
  const fresh = unique.filter((id) => !existing.has(id));
  for (let i = 0; i < fresh.length; i += 200) {
    await tx.getRepository(Enrolment).insert(
      fresh.slice(i, i + 200).map((userId) => ({ courseId: course.id, userId, versionId: course.publishedVersionId!, cohortId, createdAt: now })),
    );
  }
  return { enrolled: fresh.length, alreadyEnrolled: unique.length - fresh.length };
}

/** Students newly added to cohorts join the courses those cohorts are enrolled in. */
export async function enrolNewCohortMembers(tx: EntityManager, memberships: readonly { cohortId: number; userId: number }[], now: Date): Promise<void> {
  const cohortIds = [...new Set(memberships.map((m) => m.cohortId))];
  if (cohortIds.length === 0) return;
  const links = await tx.getRepository(CourseCohort).find({ where: { cohortId: In(cohortIds) } });
  for (const link of links) {
    const course = await tx.getRepository(Course).findOneBy({ id: link.courseId });
    if (!course) continue;
    const userIds = memberships.filter((m) => m.cohortId === link.cohortId).map((m) => m.userId);
    await enrolStudents(tx, course, userIds, link.cohortId, now);
  }
}
