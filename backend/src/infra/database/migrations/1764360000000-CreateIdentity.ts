import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const createdAt = { name: 'created_at', type: 'datetime' };

/** Organisations, users, sessions, audit events, cohorts. Written with the Table API so it runs on MySQL and SQLite. */
export class CreateIdentity1764360000000 implements MigrationInterface {
  name = 'CreateIdentity1764360000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mysql') {
      // Names are Chinese: make sure new tables default to full UTF-8 whatever the server default is.
      await q.query('ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    }
    await q.createTable(
      new Table({
        name: 'organisations',
        columns: [
          id,
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'credit_code', type: 'varchar', length: '18', isNullable: true },
          createdAt,
        ],
        uniques: [{ name: 'uq_organisations_credit_code', columnNames: ['credit_code'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'real_name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'id_document_type', type: 'varchar', length: '32', isNullable: true },
          { name: 'id_number_enc', type: 'varchar', length: '255', isNullable: true },
          { name: 'id_number_index', type: 'varchar', length: '64', isNullable: true },
          { name: 'id_number_masked', type: 'varchar', length: '32', isNullable: true },
          createdAt,
          { name: 'password_changed_at', type: 'datetime' },
        ],
        uniques: [
          { name: 'uq_users_username', columnNames: ['username'] },
          { name: 'uq_users_id_number', columnNames: ['id_document_type', 'id_number_index'] },
        ],
        indices: [{ name: 'ix_users_organisation_role', columnNames: ['organisation_id', 'role'] }],
        foreignKeys: [
          { name: 'fk_users_organisation', columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'int' },
          { name: 'refresh_hash', type: 'varchar', length: '64' },
          createdAt,
          { name: 'expires_at', type: 'datetime' },
          { name: 'last_used_at', type: 'datetime' },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
          { name: 'revoked_reason', type: 'varchar', length: '32', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
        foreignKeys: [
          { name: 'fk_sessions_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id,
          { name: 'actor_id', type: 'int', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'subject_type', type: 'varchar', length: '32' },
          { name: 'subject_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
          createdAt,
        ],
        indices: [
          { name: 'ix_audit_subject', columnNames: ['subject_type', 'subject_id'] },
          { name: 'ix_audit_created', columnNames: ['created_at'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohorts',
        columns: [id, { name: 'organisation_id', type: 'int' }, { name: 'name', type: 'varchar', length: '100' }, createdAt],
        uniques: [{ name: 'uq_cohorts_org_name', columnNames: ['organisation_id', 'name'] }],
        foreignKeys: [
          { name: 'fk_cohorts_organisation', columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort_students',
        columns: [
          { name: 'cohort_id', type: 'int', isPrimary: true },
          { name: 'user_id', type: 'int', isPrimary: true },
          createdAt,
        ],
        indices: [{ name: 'ix_cohort_students_user', columnNames: ['user_id'] }],
        foreignKeys: [
          { name: 'fk_cohort_students_cohort', columnNames: ['cohort_id'], referencedTableName: 'cohorts', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { name: 'fk_cohort_students_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['cohort_students', 'cohorts', 'audit_events', 'sessions', 'users', 'organisations']) {
      await q.dropTable(table);
    }
  }
}

