import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Labelling exercises (dataset items with gold, media files) and students' submissions with autosaved answers. */
export class CreateLabelling1764390000000 implements MigrationInterface {
  name = 'CreateLabelling1764390000000';

  async up(q: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await q.createTable(
      new Table({
        name: 'labelling_exercises',
        columns: [
          id,
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'owner_id', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
          { name: 'task_type', type: 'varchar', length: '40' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'audience', type: 'varchar', length: '16' },
          { name: 'labels', type: 'text' },
          { name: 'scoring', type: 'text' },
          { name: 'item_count', type: 'int' },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
          { name: 'published_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          { name: 'ix_labelling_exercises_owner', columnNames: ['owner_id'] },
          { name: 'ix_labelling_exercises_visible', columnNames: ['status', 'audience', 'organisation_id'] },
        ],
        foreignKeys: [{ columnNames: ['owner_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'labelling_items',
        columns: [
          id,
          { name: 'exercise_id', type: 'int' },
          { name: 'external_id', type: 'varchar', length: '191' },
          { name: 'position', type: 'int' },
          { name: 'data', type: 'text' },
          { name: 'gold', type: 'text', isNullable: true },
        ],
        uniques: [{ name: 'uq_labelling_items_external', columnNames: ['exercise_id', 'external_id'] }],
        indices: [{ name: 'ix_labelling_items_position', columnNames: ['exercise_id', 'position'] }],
        foreignKeys: [{ columnNames: ['exercise_id'], referencedTableName: 'labelling_exercises', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'labelling_media',
        columns: [
          id,
          { name: 'exercise_id', type: 'int' },
          { name: 'name', type: 'varchar', length: '191' },
          { name: 'mime', type: 'varchar', length: '100' },
          { name: 'size', type: 'int' },
          { name: 'created_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_labelling_media_name', columnNames: ['exercise_id', 'name'] }],
        foreignKeys: [{ columnNames: ['exercise_id'], referencedTableName: 'labelling_exercises', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'labelling_submissions',
        columns: [
          id,
          { name: 'exercise_id', type: 'int' },
          { name: 'student_id', type: 'int' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'draft_owner', type: 'int', isNullable: true },
          { name: 'version', type: 'int' },
          { name: 'score', type: 'double', isNullable: true },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'failure_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'started_at', type: 'datetime' },
          { name: 'submitted_at', type: 'datetime', isNullable: true },
          { name: 'graded_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          { name: 'ix_labelling_submissions_student', columnNames: ['exercise_id', 'student_id'] },
          { name: 'ix_labelling_submissions_state', columnNames: ['exercise_id', 'state'] },
        ],
        // One open draft per student and exercise, also when two "start" requests race.
        uniques: [{ name: 'uq_labelling_submissions_draft', columnNames: ['exercise_id', 'draft_owner'] }],
        foreignKeys: [
          { columnNames: ['exercise_id'], referencedTableName: 'labelling_exercises', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['student_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'labelling_answers',
        columns: [
          id,
          { name: 'submission_id', type: 'int' },
          { name: 'item_id', type: 'varchar', length: '191' },
          { name: 'seq', type: 'bigint' },
          { name: 'value', type: 'text' },
          { name: 'updated_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_labelling_answers_item', columnNames: ['submission_id', 'item_id'] }],
        foreignKeys: [{ columnNames: ['submission_id'], referencedTableName: 'labelling_submissions', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('labelling_answers');
    await q.dropTable('labelling_submissions');
    await q.dropTable('labelling_media');
    await q.dropTable('labelling_items');
    await q.dropTable('labelling_exercises');
  }
}
