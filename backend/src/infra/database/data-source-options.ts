import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { Organisation, OrganisationPartner } from '../../identity/entities/organisation.entity';
import { User } from '../../identity/entities/user.entity';
import { Session } from '../../identity/entities/session.entity';
import { AuditEvent } from '../../audit/audit-event.entity';
import { Cohort, CohortStudent } from '../../courses/entities/cohort.entity';
import { CreateIdentity1764360000000 } from './migrations/1764360000000-CreateIdentity';
import { CreateGradingQueue1764370000000 } from './migrations/1764370000000-CreateGradingQueue';
import { QueueJob } from '../queue/queue-job.entity';
import { Grade } from '../../grading/entities/grade.entity';
import { LABELLING_ENTITIES } from '../../labelling/entities';
import { CreateLabelling1764390000000 } from './migrations/1764390000000-CreateLabelling';
import { COURSE_ENTITIES } from '../../courses/entities/course.entity';
import { CreateCourses1764380000000 } from './migrations/1764380000000-CreateCourses';
import { PromptTask, PromptTaskVersion } from '../../prompts/entities/prompt-task.entity';
import { PlaygroundUsage, PromptAnswer } from '../../prompts/entities/prompt-answer.entity';
import { CreatePrompts1764400000000 } from './migrations/1764400000000-CreatePrompts';
import { QUESTION_BANK_ENTITIES } from '../../question-bank/entities/question.entity';
import { EXAM_ENTITIES } from '../../exams/entities/exam.entity';
import { CreateQuestionBank1764410000000 } from './migrations/1764410000000-CreateQuestionBank';
import { CreateExams1764420000000 } from './migrations/1764420000000-CreateExams';
import { AddOpenLabellingWork1764440000000 } from './migrations/1764440000000-AddOpenLabellingWork';
import { CreateCertificateSequences1764430000000 } from './migrations/1764430000000-CreateCertificateSequences';
import { CreateCertificates1764450000000 } from './migrations/1764450000000-CreateCertificates';
import { CreateRateLimits1765200000000 } from './migrations/1765200000000-CreateRateLimits';
import { KeepLabelStudioSources1765150000000 } from './migrations/1765150000000-KeepLabelStudioSources';
import { AddUserDisabled1765180000000 } from './migrations/1765180000000-AddUserDisabled';
import { AddWorkReconcilerIndexes1765250000000 } from './migrations/1765250000000-AddWorkReconcilerIndexes';
import { AddOrganisationTimeZone1765300000000 } from './migrations/1765300000000-AddOrganisationTimeZone';
import { AddPartnersAndPromptAudience1765310000000 } from './migrations/1765310000000-AddPartnersAndPromptAudience';
import { KeyExamAnswersByQuestion1765400000000 } from './migrations/1765400000000-KeyExamAnswersByQuestion';

export const ENTITIES = [Organisation, OrganisationPartner, User, Session, AuditEvent, Cohort, CohortStudent, QueueJob, Grade, ...COURSE_ENTITIES, PromptTask, PromptTaskVersion, PromptAnswer, PlaygroundUsage, ...LABELLING_ENTITIES, ...QUESTION_BANK_ENTITIES, ...EXAM_ENTITIES];

/** Every schema change is a migration listed here, in order. Never edit one that has landed. */
export const MIGRATIONS = [CreateIdentity1764360000000, CreateGradingQueue1764370000000, CreateCourses1764380000000, CreateLabelling1764390000000, CreatePrompts1764400000000, CreateQuestionBank1764410000000, CreateExams1764420000000, CreateCertificateSequences1764430000000, AddOpenLabellingWork1764440000000, CreateCertificates1764450000000, KeepLabelStudioSources1765150000000, AddUserDisabled1765180000000, CreateRateLimits1765200000000, AddWorkReconcilerIndexes1765250000000, AddOrganisationTimeZone1765300000000, AddPartnersAndPromptAudience1765310000000, KeyExamAnswersByQuestion1765400000000];

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false };
  if (config.database.kind === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: config.database.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // trace: false: mysql2's promise wrapper otherwise captures a stack trace for every query (a tenth of a busy
      // API's CPU); errors still carry the MySQL code and message, and our own logs say where.
      extra: { connectionLimit: 20, trace: false },
    };
  }
  mkdirSync(dirname(config.database.file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.file,
    // WAL lets the portal read while the worker writes; a busy timeout instead of SQLITE_BUSY errors.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
