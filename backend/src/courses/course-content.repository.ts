import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { CourseVersionView } from '@aitrainer/contracts';
import { CourseAttachment, CourseLesson, CourseModule, CourseVersion } from './entities/course.entity';
import { toVersionView } from './course-views';

/** Reads course versions with their modules, lessons and attachments. */
@Injectable()
export class CourseContentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async version(versionId: number, tx: EntityManager = this.db.manager): Promise<CourseVersionView | null> {
    const v = await tx.getRepository(CourseVersion).findOneBy({ id: versionId });
    if (!v) return null;
    const [modules, lessons] = await Promise.all([
      tx.getRepository(CourseModule).find({ where: { versionId } }),
      tx.getRepository(CourseLesson).find({ where: { versionId } }),
    ]);
    const keys = lessons.map((l) => l.lessonKey);
    const attachments = keys.length ? await tx.getRepository(CourseAttachment).find({ where: { courseId: v.courseId, lessonKey: In(keys) }, order: { id: 'ASC' } }) : [];
    return toVersionView(v, modules, lessons, attachments);
  }

  async lessonCount(versionId: number | null): Promise<number> {
    if (versionId === null) return 0;
    return this.db.getRepository(CourseLesson).countBy({ versionId });
  }

  async lesson(versionId: number, lessonKey: string): Promise<CourseLesson | null> {
    return this.db.getRepository(CourseLesson).findOneBy({ versionId, lessonKey });
  }
}
