import type { Principal } from '../common/auth/principal';
import type { LabellingExercise } from './entities/labelling-exercise.entity';

/**
 * Who may do what with an exercise:
 * - its owner (the instructor who created it) edits it, sees gold and every submission;
 * - a student sees it once published, when it is meant for the whole platform or for the owner's organisation
 *   and the student belongs to that organisation; a student sees only their own submissions.
 * Anything else answers 404, so ids cannot be probed.
 */
export function ownsExercise(viewer: Principal, exercise: LabellingExercise): boolean {
  return viewer.role === 'instructor' && exercise.ownerId === viewer.userId;
}

export function canPractise(viewer: Principal, exercise: LabellingExercise): boolean {
  if (viewer.role !== 'student' || exercise.status !== 'published' || exercise.audience === 'exam') return false;
  if (exercise.audience === 'platform') return true;
  return viewer.organisationId !== null && viewer.organisationId === exercise.organisationId;
}

export function canView(viewer: Principal, exercise: LabellingExercise): boolean {
  return ownsExercise(viewer, exercise) || canPractise(viewer, exercise);
}
