import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** An account can be disabled (by a platform admin, or the organisation's admin for their staff): it can no longer sign in. */
export class AddUserDisabled1765180000000 implements MigrationInterface {
  name = 'AddUserDisabled1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ name: 'disabled_at', type: 'datetime', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('users', 'disabled_at');
  }
}
