import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The in-process driver's job table and the grades table. */
export class CreateGradingQueue1764370000000 implements MigrationInterface {
  name = 'CreateGradingQueue1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'queue_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '191', isPrimary: true },
          { name: 'queue', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'payload', type: 'text' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'attempts_made', type: 'int' },
          { name: 'max_attempts', type: 'int' },
          { name: 'backoff_ms', type: 'int' },
          { name: 'run_at', type: 'bigint' },
          { name: 'locked_until', type: 'bigint', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'finished_at', type: 'datetime', isNullable: true },
        ],
        indices: [{ name: 'ix_queue_jobs_due', columnNames: ['name', 'state', 'run_at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'grades',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'subject_type', type: 'varchar', length: '32' },
          { name: 'subject_id', type: 'varchar', length: '64' },
          { name: 'subject_version', type: 'int' },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'score', type: 'double', isNullable: true },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'review_reason', type: 'varchar', length: '64', isNullable: true },
          { name: 'model', type: 'varchar', length: '100', isNullable: true },
          { name: 'prompt_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'input_tokens', type: 'int', isNullable: true },
          { name: 'output_tokens', type: 'int', isNullable: true },
          { name: 'cost_usd', type: 'double', isNullable: true },
          { name: 'graded_by', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_grades_subject_source', columnNames: ['subject_type', 'subject_id', 'subject_version', 'source'] }],
        indices: [{ name: 'ix_grades_status', columnNames: ['status'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('grades');
    await q.dropTable('queue_jobs');
  }
}
