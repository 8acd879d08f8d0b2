import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Open-ended labelling work: why a submission waits for a person, the model's explanation of mistakes, and
 * calibration runs of the judge against double-marked answers.
 */
export class AddOpenLabellingWork1764440000000 implements MigrationInterface {
  name = 'AddOpenLabellingWork1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('labelling_submissions', [
      new TableColumn({ name: 'review_reason', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'explanation', type: 'text', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'labelling_calibrations',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'exercise_id', type: 'int' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'created_by', type: 'int' },
          { name: 'answer_rows', type: 'text' },
          { name: 'report', type: 'text', isNullable: true },
          { name: 'model', type: 'varchar', length: '200', isNullable: true },
          { name: 'failure_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'finished_at', type: 'datetime', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['exercise_id'], referencedTableName: 'labelling_exercises', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await q.createIndex('labelling_calibrations', new TableIndex({ name: 'idx_labelling_calibrations_exercise', columnNames: ['exercise_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('labelling_calibrations');
    await q.dropColumn('labelling_submissions', 'explanation');
    await q.dropColumn('labelling_submissions', 'review_reason');
  }
}
