import type { SkillLevel } from '@aitrainer/contracts';
import { hoursPercent, requiredTrainingMinutes, trainingMinutesDone } from './training-hours';

export interface OutlineLesson {
  key: string;
  durationMinutes: number;
}
export interface OutlineModule {
  key: string;
  lessons: readonly OutlineLesson[];
}
export interface LessonActivity {
  lessonKey: string;
  completed: boolean;
  lastSeenAt: Date | null;
}

export interface CourseProgress {
  completedLessons: number;
  totalLessons: number;
  modules: { key: string; completedLessons: number; totalLessons: number }[];
  doneMinutes: number;
  requiredMinutes: number;
  percent: number;
  continueLessonKey: string | null;
}

/**
 * Progress of one student on one course version. Activity on lessons no longer in the version is ignored,
 * so progress survives a republish exactly where the lesson still exists.
 */
export function courseProgress(
  course: { targetLevel: SkillLevel; requiredHours: number | null; modules: readonly OutlineModule[] },
  activity: readonly LessonActivity[],
): CourseProgress {
  const byKey = new Map(activity.map((a) => [a.lessonKey, a]));
  const lessons = course.modules.flatMap((m) => m.lessons);
  const completed = (key: string) => byKey.get(key)?.completed === true;
  const doneMinutes = trainingMinutesDone(lessons.map((l) => ({ key: l.key, durationMinutes: l.durationMinutes, completed: completed(l.key) })));
  const requiredMinutes = requiredTrainingMinutes(course.targetLevel, course.requiredHours);

  // Continue with the lesson last opened when unfinished; otherwise the first unfinished one in course order.
  let lastOpened: LessonActivity | undefined;
  for (const lesson of lessons) {
    const a = byKey.get(lesson.key);
    if (a?.lastSeenAt && (!lastOpened?.lastSeenAt || a.lastSeenAt > lastOpened.lastSeenAt)) lastOpened = a;
  }
  const continueLessonKey =
    lastOpened && !lastOpened.completed ? lastOpened.lessonKey : (lessons.find((l) => !completed(l.key))?.key ?? null);

  return {
    completedLessons: lessons.filter((l) => completed(l.key)).length,
    totalLessons: lessons.length,
    modules: course.modules.map((m) => ({ key: m.key, completedLessons: m.lessons.filter((l) => completed(l.key)).length, totalLessons: m.lessons.length })),
    doneMinutes,
    requiredMinutes,
    percent: hoursPercent(doneMinutes, requiredMinutes),
    continueLessonKey,
  };
}
