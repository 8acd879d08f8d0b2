import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEXES: [table: string, name: string, columnNames: string[]][] = [
  ['exam_attempts', 'ix_exam_attempts_state_deadline', ['state', 'deadline_ms']],
  ['exam_item_scores', 'ix_exam_item_scores_source', ['source']],
  ['labelling_submissions', 'ix_labelling_submissions_open', ['state']],
  ['exam_results', 'ix_exam_results_status', ['status', 'passed']],
];

/** What the worker's reconciler reads every minute (work still owed) is found by index, not by scanning the tables. */
export class AddWorkReconcilerIndexes1765250000000 implements MigrationInterface {
  name = 'AddWorkReconcilerIndexes1765250000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, name, columnNames] of INDEXES) await q.createIndex(table, new TableIndex({ name, columnNames }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, name] of [...INDEXES].reverse()) await q.dropIndex(table, name);
  }
}
