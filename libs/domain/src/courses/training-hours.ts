import type { SkillLevel } from '@aitrainer/contracts';

/** Reference training hours (学时) of the national standard by level; a course may set its own. */
export const REFERENCE_TRAINING_HOURS: Readonly<Record<SkillLevel, number>> = { 5: 60, 4: 50, 3: 40, 2: 40, 1: 30 };

/** Minutes a course requires: its own setting when given, else the level's reference hours. */
export function requiredTrainingMinutes(level: SkillLevel, courseHours?: number | null): number {
  const hours = courseHours ?? REFERENCE_TRAINING_HOURS[level];
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`training hours must be a non-negative number, got ${hours}`);
  return Math.round(hours * 60);
}

/** Training minutes done: the estimated duration of every completed lesson, each counted once. */
export function trainingMinutesDone(lessons: readonly { key: string; durationMinutes: number; completed: boolean }[]): number {
  const counted = new Set<string>();
  let minutes = 0;
  for (const lesson of lessons) {
    if (!lesson.completed || counted.has(lesson.key)) continue;
    counted.add(lesson.key);
    minutes += Math.max(0, lesson.durationMinutes);
  }
  return minutes;
}

/** Whole percent done, 0-100 (a course whose lessons exceed its hours still shows 100). */
export function hoursPercent(doneMinutes: number, requiredMinutes: number): number {
  if (requiredMinutes <= 0) return 100;
  return Math.min(100, Math.floor((doneMinutes / requiredMinutes) * 100));
}

/** "12.5" for 750 minutes: hours with at most one decimal, for display. */
export function formatHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 10) / 10);
}
