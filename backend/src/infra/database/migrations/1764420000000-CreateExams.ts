import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const fk = (table: string, column: string, target: string, onDelete?: 'CASCADE') => ({
  name: `fk_${table}_${column}`,
  columnNames: [column],
  referencedTableName: target,
  referencedColumnNames: ['id'],
  ...(onDelete && { onDelete }),
});

/** Exams with blueprints, sessions (场次), registrations (准考证号), attempts on the server's clock, answers, results. */
export class CreateExams1764420000000 implements MigrationInterface {
  name = 'CreateExams1764420000000';

  async up(q: QueryRunner): Promise<void> {
    // A drawn paper of 200 items passes MySQL's 64 KB TEXT with long stems; SQLite's TEXT has no limit.
    const longText = q.connection.options.type === 'mysql' ? 'mediumtext' : 'text';
    await q.createTable(
      new Table({
        name: 'exams',
        columns: [
          id,
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'author_id', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'occupation', type: 'varchar', length: '16' },
          { name: 'level', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'definition', type: 'text' },
          { name: 'published_at', type: 'datetime', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
        foreignKeys: [fk('exams', 'author_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_sessions',
        columns: [
          id,
          { name: 'exam_id', type: 'int' },
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'venue', type: 'varchar', length: '200' },
          { name: 'starts_at_ms', type: 'bigint' },
          { name: 'ends_at_ms', type: 'bigint' },
          { name: 'created_by', type: 'int' },
          { name: 'created_at', type: 'datetime' },
        ],
        foreignKeys: [fk('exam_sessions', 'exam_id', 'exams')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_registrations',
        columns: [
          id,
          { name: 'session_id', type: 'int' },
          { name: 'user_id', type: 'int' },
          { name: 'ticket_number', type: 'varchar', length: '32' },
          { name: 'extra_minutes', type: 'int' },
          { name: 'created_at', type: 'datetime' },
        ],
        uniques: [
          { name: 'uq_exam_registrations_user', columnNames: ['session_id', 'user_id'] },
          { name: 'uq_exam_registrations_ticket', columnNames: ['ticket_number'] },
        ],
        indices: [{ name: 'ix_exam_registrations_user', columnNames: ['user_id'] }],
        foreignKeys: [fk('exam_registrations', 'session_id', 'exam_sessions', 'CASCADE'), fk('exam_registrations', 'user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_attempts',
        columns: [
          id,
          { name: 'registration_id', type: 'int' },
          { name: 'user_id', type: 'int' },
          { name: 'part', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'seed', type: 'varchar', length: '64' },
          { name: 'paper', type: longText },
          // ",12,45,": the hot save path checks membership without parsing the paper.
          { name: 'question_ids', type: 'text' },
          { name: 'started_at_ms', type: 'bigint' },
          { name: 'deadline_ms', type: 'bigint' },
          { name: 'finished_at_ms', type: 'bigint', isNullable: true },
          { name: 'submitted_by', type: 'varchar', length: '16', isNullable: true },
          { name: 'score', type: 'double', isNullable: true },
          { name: 'max_score', type: 'double' },
          { name: 'pending_items', type: 'int' },
        ],
        uniques: [{ name: 'uq_exam_attempts_part', columnNames: ['registration_id', 'part'] }],
        foreignKeys: [fk('exam_attempts', 'registration_id', 'exam_registrations', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_answers',
        columns: [
          id,
          { name: 'attempt_id', type: 'int' },
          { name: 'question_id', type: 'int' },
          { name: 'seq', type: 'bigint' },
          { name: 'value', type: 'text' },
          { name: 'updated_at_ms', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_exam_answers_question', columnNames: ['attempt_id', 'question_id'] }],
        foreignKeys: [fk('exam_answers', 'attempt_id', 'exam_attempts', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_item_scores',
        columns: [
          id,
          { name: 'attempt_id', type: 'int' },
          { name: 'question_id', type: 'int' },
          { name: 'version_id', type: 'int' },
          { name: 'points', type: 'double' },
          { name: 'score', type: 'double', isNullable: true },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'duty_area', type: 'varchar', length: '100' },
        ],
        uniques: [{ name: 'uq_exam_item_scores_question', columnNames: ['attempt_id', 'question_id'] }],
        foreignKeys: [fk('exam_item_scores', 'attempt_id', 'exam_attempts', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'exam_results',
        columns: [
          id,
          { name: 'registration_id', type: 'int' },
          { name: 'exam_id', type: 'int' },
          { name: 'user_id', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'passed', type: 'boolean' },
          { name: 'detail', type: 'text' },
          { name: 'published_at', type: 'datetime', isNullable: true },
          { name: 'published_by', type: 'int', isNullable: true },
          { name: 'updated_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_exam_results_registration', columnNames: ['registration_id'] }],
        indices: [{ name: 'ix_exam_results_exam', columnNames: ['exam_id'] }],
        foreignKeys: [fk('exam_results', 'registration_id', 'exam_registrations', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['exam_results', 'exam_item_scores', 'exam_answers', 'exam_attempts', 'exam_registrations', 'exam_sessions', 'exams']) await q.dropTable(t);
  }
}
