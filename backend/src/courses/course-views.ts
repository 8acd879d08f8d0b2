import type { AttachmentView, CourseVersionView, DutyArea } from '@aitrainer/contracts';
import { requiredTrainingMinutes } from '@aitrainer/domain';
import type { CourseAttachment, CourseLesson, CourseModule, CourseVersion } from './entities/course.entity';

export const DEFAULT_MIN_TIME_PERCENT = 50;

export const parseDutyAreas = (value: string): DutyArea[] => (value ? (value.split(',') as DutyArea[]) : []);

export function toAttachmentView(a: CourseAttachment): AttachmentView {
  return { id: a.id, lessonKey: a.lessonKey, fileName: a.fileName, contentType: a.contentType, size: a.size };
}

/** A version with its modules and lessons in order (the tables' rows, already loaded). */
export function toVersionView(v: CourseVersion, modules: CourseModule[], lessons: CourseLesson[], attachments: CourseAttachment[]): CourseVersionView {
  const byLesson = new Map<string, AttachmentView[]>();
  for (const a of attachments) byLesson.set(a.lessonKey, [...(byLesson.get(a.lessonKey) ?? []), toAttachmentView(a)]);
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    title: v.title,
    description: v.description,
    targetLevel: v.targetLevel,
    dutyAreas: parseDutyAreas(v.dutyAreas),
    requiredHours: (v.requiredMinutes ?? requiredTrainingMinutes(v.targetLevel)) / 60,
    requiredHoursIsDefault: v.requiredMinutes === null,
    minTimePercent: v.minTimePercent,
    publishedAt: v.publishedAt?.toISOString() ?? null,
    updatedAt: v.updatedAt.toISOString(),
    modules: [...modules]
      .sort((a, b) => a.position - b.position)
      .map((m) => ({
        key: m.moduleKey,
        title: m.title,
        lessons: lessons
          .filter((l) => l.moduleKey === m.moduleKey)
          .sort((a, b) => a.position - b.position)
          .map((l) => ({
            key: l.lessonKey,
            title: l.title,
            contentMarkdown: l.contentMarkdown,
            videoUrl: l.videoUrl,
            durationMinutes: l.durationMinutes,
            attachments: byLesson.get(l.lessonKey) ?? [],
          })),
      })),
  };
}
