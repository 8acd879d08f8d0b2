import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `organisations.time_zone`: the IANA zone every time of the organisation is shown in (default Asia/Shanghai).
 * `prompt_tasks.audience`: `practice` or `exam` (kept for exams, never shown in practice), as labelling exercises have.
 */
export class AddOrganisationTimeZoneAndPromptTaskAudience1765300000000 implements MigrationInterface {
  name = 'AddOrganisationTimeZoneAndPromptTaskAudience1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('organisations', new TableColumn({ name: 'time_zone', type: 'varchar', length: '64', isNullable: false, default: "'Asia/Shanghai'" }));
    await q.addColumn('prompt_tasks', new TableColumn({ name: 'audience', type: 'varchar', length: '16', isNullable: false, default: "'practice'" }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('prompt_tasks', 'audience');
    await q.dropColumn('organisations', 'time_zone');
  }
}
