import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const createdAt = { name: 'created_at', type: 'datetime' };
const fk = (table: string, column: string, target: string, onDelete?: 'CASCADE') => ({
  name: `fk_${table}_${column}`,
  columnNames: [column],
  referencedTableName: target,
  referencedColumnNames: ['id'],
  ...(onDelete && { onDelete }),
});

/** Cohort instructors, courses with versions, modules, lessons and attachments, enrolments, lesson progress, roster imports. */
export class CreateCourses1764380000000 implements MigrationInterface {
  name = 'CreateCourses1764380000000';

  async up(q: QueryRunner): Promise<void> {
    // Lesson text and import reports can pass MySQL's 64 KB TEXT; SQLite's TEXT has no such limit.
    const longText = q.connection.options.type === 'mysql' ? 'mediumtext' : 'text';

    await q.createTable(
      new Table({
        name: 'cohort_instructors',
        columns: [{ name: 'cohort_id', type: 'int', isPrimary: true }, { name: 'user_id', type: 'int', isPrimary: true }, createdAt],
        indices: [{ name: 'ix_cohort_instructors_user', columnNames: ['user_id'] }],
        foreignKeys: [fk('cohort_instructors', 'cohort_id', 'cohorts', 'CASCADE'), fk('cohort_instructors', 'user_id', 'users', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'courses',
        columns: [
          id,
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'author_id', type: 'int' },
          { name: 'occupation_code', type: 'varchar', length: '16' },
          { name: 'published_version_id', type: 'int', isNullable: true },
          { name: 'draft_version_id', type: 'int', isNullable: true },
          createdAt,
          { name: 'updated_at', type: 'datetime' },
        ],
        indices: [{ name: 'ix_courses_author', columnNames: ['author_id'] }],
        foreignKeys: [fk('courses', 'author_id', 'users'), fk('courses', 'organisation_id', 'organisations')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_versions',
        columns: [
          id,
          { name: 'course_id', type: 'int' },
          { name: 'number', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
          { name: 'target_level', type: 'int' },
          { name: 'duty_areas', type: 'varchar', length: '255' },
          { name: 'required_minutes', type: 'int', isNullable: true },
          { name: 'min_time_percent', type: 'int' },
          { name: 'published_at', type: 'datetime', isNullable: true },
          createdAt,
          { name: 'updated_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_course_versions_number', columnNames: ['course_id', 'number'] }],
        foreignKeys: [fk('course_versions', 'course_id', 'courses', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_modules',
        columns: [
          id,
          { name: 'version_id', type: 'int' },
          { name: 'module_key', type: 'varchar', length: '36' },
          { name: 'position', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
        ],
        uniques: [{ name: 'uq_course_modules_key', columnNames: ['version_id', 'module_key'] }],
        foreignKeys: [fk('course_modules', 'version_id', 'course_versions', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_lessons',
        columns: [
          id,
          { name: 'version_id', type: 'int' },
          { name: 'module_key', type: 'varchar', length: '36' },
          { name: 'lesson_key', type: 'varchar', length: '36' },
          { name: 'position', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'content_markdown', type: longText },
          { name: 'video_url', type: 'varchar', length: '500', isNullable: true },
          { name: 'duration_minutes', type: 'int' },
        ],
        uniques: [{ name: 'uq_course_lessons_key', columnNames: ['version_id', 'lesson_key'] }],
        foreignKeys: [fk('course_lessons', 'version_id', 'course_versions', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_attachments',
        columns: [
          id,
          { name: 'course_id', type: 'int' },
          { name: 'lesson_key', type: 'varchar', length: '36' },
          { name: 'storage_key', type: 'varchar', length: '64' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'size', type: 'int' },
          { name: 'uploaded_by', type: 'int' },
          createdAt,
        ],
        indices: [{ name: 'ix_course_attachments_lesson', columnNames: ['course_id', 'lesson_key'] }],
        foreignKeys: [fk('course_attachments', 'course_id', 'courses', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_cohorts',
        columns: [{ name: 'course_id', type: 'int', isPrimary: true }, { name: 'cohort_id', type: 'int', isPrimary: true }, createdAt],
        indices: [{ name: 'ix_course_cohorts_cohort', columnNames: ['cohort_id'] }],
        foreignKeys: [fk('course_cohorts', 'course_id', 'courses', 'CASCADE'), fk('course_cohorts', 'cohort_id', 'cohorts', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enrolments',
        columns: [
          id,
          { name: 'course_id', type: 'int' },
          { name: 'user_id', type: 'int' },
          { name: 'version_id', type: 'int' },
          { name: 'cohort_id', type: 'int', isNullable: true },
          createdAt,
        ],
        uniques: [{ name: 'uq_enrolments_course_user', columnNames: ['course_id', 'user_id'] }],
        indices: [{ name: 'ix_enrolments_user', columnNames: ['user_id'] }],
        foreignKeys: [fk('enrolments', 'course_id', 'courses', 'CASCADE'), fk('enrolments', 'user_id', 'users', 'CASCADE'), fk('enrolments', 'version_id', 'course_versions')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lesson_progress',
        columns: [
          id,
          { name: 'user_id', type: 'int' },
          { name: 'course_id', type: 'int' },
          { name: 'lesson_key', type: 'varchar', length: '36' },
          { name: 'seconds_spent', type: 'int' },
          { name: 'reached_end', type: 'boolean' },
          { name: 'first_opened_at', type: 'datetime' },
          { name: 'last_beat_at', type: 'datetime' },
          { name: 'completed_at', type: 'datetime', isNullable: true },
        ],
        uniques: [{ name: 'uq_lesson_progress', columnNames: ['user_id', 'course_id', 'lesson_key'] }],
        foreignKeys: [fk('lesson_progress', 'user_id', 'users', 'CASCADE'), fk('lesson_progress', 'course_id', 'courses', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'student_imports',
        columns: [
          id,
          { name: 'organisation_id', type: 'int' },
          { name: 'actor_id', type: 'int' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'file_sha256', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'total_rows', type: 'int' },
          { name: 'created_count', type: 'int' },
          { name: 'present_count', type: 'int' },
          { name: 'error_count', type: 'int' },
          { name: 'report', type: longText },
          createdAt,
        ],
        indices: [{ name: 'ix_student_imports_org', columnNames: ['organisation_id', 'created_at'] }],
        foreignKeys: [fk('student_imports', 'organisation_id', 'organisations')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['student_imports', 'lesson_progress', 'enrolments', 'course_cohorts', 'course_attachments', 'course_lessons', 'course_modules', 'course_versions', 'courses', 'cohort_instructors']) {
      await q.dropTable(table);
    }
  }
}
