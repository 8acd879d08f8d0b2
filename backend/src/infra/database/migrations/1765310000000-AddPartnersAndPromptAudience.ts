import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `organisation_partners`: the schools a certifying enterprise (issuer) accepts candidates from; only their students can
 * be registered into its exam sessions. Schools whose students are already registered into an issuer's sessions become
 * its partners, so nothing that worked before stops working. `prompt_tasks.audience`: who sees a published prompt task,
 * as for labelling exercises (existing tasks: the owning organisation's students).
 */
export class AddPartnersAndPromptAudience1765310000000 implements MigrationInterface {
  name = 'AddPartnersAndPromptAudience1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'organisation_partners',
        columns: [
          { name: 'issuer_id', type: 'int', isPrimary: true },
          { name: 'school_id', type: 'int', isPrimary: true },
          { name: 'created_by', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime' },
        ],
        indices: [{ name: 'ix_organisation_partners_school', columnNames: ['school_id'] }],
        foreignKeys: [
          { name: 'fk_organisation_partners_issuer', columnNames: ['issuer_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { name: 'fk_organisation_partners_school', columnNames: ['school_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await q.query(
      `INSERT INTO organisation_partners (issuer_id, school_id, created_by, created_at)
       SELECT DISTINCT s.organisation_id, u.organisation_id, NULL, CURRENT_TIMESTAMP
       FROM exam_registrations r
       JOIN exam_sessions s ON s.id = r.session_id
       JOIN organisations i ON i.id = s.organisation_id AND i.kind = 'issuer'
       JOIN users u ON u.id = r.user_id
       JOIN organisations o ON o.id = u.organisation_id AND o.kind = 'school'`,
    );
    await q.addColumn('prompt_tasks', new TableColumn({ name: 'audience', type: 'varchar', length: '16', default: "'organisation'" }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('prompt_tasks', 'audience');
    await q.dropTable('organisation_partners');
  }
}
