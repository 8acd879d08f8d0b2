import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Prompt tasks with immutable published versions, submitted answers, playground counters. */
export class CreatePrompts1764400000000 implements MigrationInterface {
  name = 'CreatePrompts1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'prompt_tasks',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'organisation_id', type: 'int' },
          { name: 'author_id', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'current_version', type: 'int' },
          { name: 'published_version', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
        indices: [{ name: 'ix_prompt_tasks_org', columnNames: ['organisation_id'] }],
        foreignKeys: [{ name: 'fk_prompt_tasks_org', columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'prompt_task_versions',
        columns: [
          { name: 'task_id', type: 'int', isPrimary: true },
          { name: 'version', type: 'int', isPrimary: true },
          { name: 'definition', type: 'text' },
          { name: 'published_at', type: 'datetime', isNullable: true },
        ],
        foreignKeys: [{ name: 'fk_prompt_versions_task', columnNames: ['task_id'], referencedTableName: 'prompt_tasks', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'prompt_answers',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'task_id', type: 'int' },
          { name: 'task_version', type: 'int' },
          { name: 'student_id', type: 'int' },
          { name: 'prompt', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'submitted_at', type: 'datetime' },
        ],
        indices: [
          { name: 'ix_prompt_answers_student', columnNames: ['student_id', 'task_id'] },
          { name: 'ix_prompt_answers_status', columnNames: ['status'] },
        ],
        foreignKeys: [
          { name: 'fk_prompt_answers_task', columnNames: ['task_id'], referencedTableName: 'prompt_tasks', referencedColumnNames: ['id'] },
          { name: 'fk_prompt_answers_student', columnNames: ['student_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'playground_usage',
        columns: [
          { name: 'student_id', type: 'int', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'runs', type: 'int' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['playground_usage', 'prompt_answers', 'prompt_task_versions', 'prompt_tasks']) await q.dropTable(t);
  }
}
