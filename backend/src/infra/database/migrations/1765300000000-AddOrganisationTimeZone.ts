import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** `organisations.time_zone`: the IANA zone every time of the organisation is shown in (default Asia/Shanghai). */
export class AddOrganisationTimeZone1765300000000 implements MigrationInterface {
  name = 'AddOrganisationTimeZone1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('organisations', new TableColumn({ name: 'time_zone', type: 'varchar', length: '64', isNullable: false, default: "'Asia/Shanghai'" }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('organisations', 'time_zone');
  }
}
