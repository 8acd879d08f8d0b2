import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Certificate number sequences: one row per issuer (organisation), year and level, holding the last serial given out.
 * The issuing transaction locks the row (SELECT ... FOR UPDATE on MySQL; SQLite's write lock), so serials are unique
 * and gap-free: a rolled-back issuance gives its serial back. Also the issuers' signing keys (public halves only).
 */
export class CreateCertificateSequences1764430000000 implements MigrationInterface {
  name = 'CreateCertificateSequences1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'certificate_sequences',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'issuer_id', type: 'int' },
          { name: 'year', type: 'int' },
          { name: 'level', type: 'int' },
          { name: 'last_serial', type: 'int', default: 0 },
          { name: 'updated_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_certificate_sequences_key', columnNames: ['issuer_id', 'year', 'level'] }],
        foreignKeys: [{ name: 'fk_certificate_sequences_issuer_id', columnNames: ['issuer_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
    // Public halves and lifecycle of the issuers' Ed25519 keys; the private keys live encrypted in files (DATA_DIR/keys).
    await q.createTable(
      new Table({
        name: 'certificate_signing_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'issuer_id', type: 'int' },
          { name: 'kid', type: 'varchar', length: '64', isUnique: true },
          { name: 'public_jwk', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'datetime' },
          { name: 'retired_at', type: 'datetime', isNullable: true },
        ],
        indices: [{ name: 'idx_certificate_signing_keys_issuer', columnNames: ['issuer_id', 'status'] }],
        foreignKeys: [{ name: 'fk_certificate_signing_keys_issuer_id', columnNames: ['issuer_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificate_signing_keys');
    await q.dropTable('certificate_sequences');
  }
}
