import type { Principal } from '../common/auth/principal';
import type { LabellingExercise } from './entities/labelling-exercise.entity';
import { canPractise, canView, ownsExercise } from './labelling-access';

const exercise = (over: Partial<LabellingExercise> = {}) => ({ ownerId: 1, organisationId: 10, status: 'published', audience: 'organisation', ...over }) as LabellingExercise;
const who = (role: Principal['role'], userId: number, organisationId: number | null): Principal => ({ role, userId, organisationId, sessionId: 's' });

describe('labelling access', () => {
  it.each([
    ['owner instructor', who('instructor', 1, 10), exercise(), true, false],
    ['other instructor of the same organisation', who('instructor', 2, 10), exercise(), false, false],
    ['student of the organisation, published', who('student', 3, 10), exercise(), false, true],
    ['student of the organisation, draft', who('student', 3, 10), exercise({ status: 'draft' }), false, false],
    ['student of another organisation', who('student', 4, 11), exercise(), false, false],
    ['student of another organisation, platform audience', who('student', 4, 11), exercise({ audience: 'platform' }), false, true],
    ['org admin', who('org_admin', 5, 10), exercise(), false, false],
    ['student of the organisation, exam-only exercise', who('student', 3, 10), exercise({ audience: 'exam' }), false, false],
    ['owner instructor, exam-only exercise', who('instructor', 1, 10), exercise({ audience: 'exam' }), true, false],
  ])('%s', (_name, viewer, ex, owns, practises) => {
    expect(ownsExercise(viewer, ex)).toBe(owns);
    expect(canPractise(viewer, ex)).toBe(practises);
    expect(canView(viewer, ex)).toBe(owns || practises);
  });
});
