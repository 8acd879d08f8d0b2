import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Grade, type GradeSource } from './entities/grade.entity';

export type NewGrade = Omit<Grade, 'id' | 'createdAt'>;

const PRECEDENCE: Record<GradeSource, number> = { human: 3, llm: 2, auto: 1 };

@Injectable()
export class GradingService {
  constructor(@InjectRepository(Grade) private readonly grades: Repository<Grade>) {}

  /**
   * Stores a grade once per (subject, version, source). A second store of the same key (a retried or
   * duplicated job) changes nothing and returns the grade already there.
   */
  async record(grade: NewGrade): Promise<{ grade: Grade; created: boolean }> {
    try {
      const saved = await this.grades.save(this.grades.create({ ...grade, createdAt: new Date() }));
      return { grade: saved, created: true };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.grades.findOneByOrFail({
        subjectType: grade.subjectType,
        subjectId: grade.subjectId,
        subjectVersion: grade.subjectVersion,
        source: grade.source,
      });
      return { grade: existing, created: false };
    }
  }

  /** The machine grade (llm or auto) and the human grade of one subject version, each or null. */
  async bySources(subjectType: string, subjectId: string, subjectVersion: number): Promise<[Grade | null, Grade | null]> {
    const all = await this.grades.findBy({ subjectType, subjectId, subjectVersion });
    return [all.find((g) => g.source !== 'human') ?? null, all.find((g) => g.source === 'human') ?? null];
  }

  /** The grades of many subjects of one type (all versions and sources), in pages of 500 ids. */
  async ofSubjects(subjectType: string, subjectIds: string[]): Promise<Grade[]> {
    const out: Grade[] = [];
    for (let i = 0; i < subjectIds.length; i += 500) out.push(...(await this.grades.findBy({ subjectType, subjectId: In(subjectIds.slice(i, i + 500)) })));
    return out;
  }

  async update(id: number, changes: Partial<Pick<Grade, 'score' | 'detail' | 'status' | 'gradedBy' | 'reviewReason'>>): Promise<void> {
    const grade = await this.grades.findOneByOrFail({ id });
    await this.grades.save(Object.assign(grade, changes));
  }

  /** The grade that counts: a human grade wins over the model's, the model's over none. */
  async effective(subjectType: string, subjectId: string, subjectVersion: number): Promise<Grade | null> {
    const all = await this.grades.findBy({ subjectType, subjectId, subjectVersion });
    return all.sort((a, b) => PRECEDENCE[b.source] - PRECEDENCE[a.source])[0] ?? null;
  }
}
