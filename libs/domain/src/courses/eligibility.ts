import type { SkillLevel } from '@aitrainer/contracts';
import { REFERENCE_TRAINING_HOURS } from './training-hours';

/** What an exam asks of a candidate before registration. Rules are data, so an issuer can change them. */
export interface ExamEligibilityRequirements {
  level: SkillLevel;
  /** Courses whose every lesson must be completed. */
  requiredCourseIds: readonly number[];
  /**
   * Training hours the candidate must have done, summed over `requiredCourseIds` (or every course when
   * that list is empty). `undefined` = the level's reference hours; `0` = no hours requirement.
   */
  minTrainingHours?: number;
}

/** The student's record as the courses context knows it. */
export interface StudentTrainingRecord {
  courses: readonly { courseId: number; completedLessons: number; totalLessons: number; trainingMinutes: number }[];
}

export type IneligibilityReason =
  | { code: 'COURSE_NOT_ENROLLED'; courseId: number }
  | { code: 'COURSE_NOT_COMPLETED'; courseId: number; completedLessons: number; totalLessons: number }
  | { code: 'TRAINING_HOURS_SHORT'; requiredMinutes: number; doneMinutes: number };

export interface EligibilityResult {
  eligible: boolean;
  reasons: IneligibilityReason[];
}

/** May this student sit this exam? Every unmet requirement is a reason, so the student sees all at once. */
export function eligibility(student: StudentTrainingRecord, exam: ExamEligibilityRequirements): EligibilityResult {
  const reasons: IneligibilityReason[] = [];
  const byCourse = new Map(student.courses.map((c) => [c.courseId, c]));
  for (const courseId of exam.requiredCourseIds) {
    const course = byCourse.get(courseId);
    if (!course) reasons.push({ code: 'COURSE_NOT_ENROLLED', courseId });
    else if (course.totalLessons === 0 || course.completedLessons < course.totalLessons) {
      reasons.push({ code: 'COURSE_NOT_COMPLETED', courseId, completedLessons: course.completedLessons, totalLessons: course.totalLessons });
    }
  }
  const hours = exam.minTrainingHours ?? REFERENCE_TRAINING_HOURS[exam.level];
  const requiredMinutes = Math.round(hours * 60);
  if (requiredMinutes > 0) {
    const counted = exam.requiredCourseIds.length > 0 ? new Set(exam.requiredCourseIds) : null;
    const doneMinutes = student.courses.filter((c) => !counted || counted.has(c.courseId)).reduce((sum, c) => sum + c.trainingMinutes, 0);
    if (doneMinutes < requiredMinutes) reasons.push({ code: 'TRAINING_HOURS_SHORT', requiredMinutes, doneMinutes });
  }
  return { eligible: reasons.length === 0, reasons };
}
