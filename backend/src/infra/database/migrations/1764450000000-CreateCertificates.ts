import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issued certificates (issue 7), the issuers' numbering settings and the status lists' index allocation.
 *
 * - `certificates`: one row per certificate of a pair; unique (result_id, kind, generation) makes issuance exactly-once
 *   per passed result (generation grows only on a re-issue), unique number, the signed VC-JWT kept as issued.
 *   The holder's name is kept with a SHA-256 of its normalised form so verification compares hashes.
 * - `certificate_status_lists`: one list per issuer; `next_index` is handed out under a row lock in the issuing
 *   transaction, so indexes are unique. The bits are derived from the certificates' status when the list is served.
 * - `issuer_settings`: the national number codes, enterprise prefix and query sites per issuing organisation.
 * - `bureau_api_keys`: labour-bureau API keys (hashed, scoped, revocable, daily row quota).
 */
export class CreateCertificates1764450000000 implements MigrationInterface {
  name = 'CreateCertificates1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'issuer_settings',
        columns: [
          { name: 'organisation_id', type: 'int', isPrimary: true },
          { name: 'kind_letter', type: 'varchar', length: '1' },
          { name: 'evaluation_body_code', type: 'varchar', length: '4' },
          { name: 'province_code', type: 'varchar', length: '2' },
          { name: 'site_serial', type: 'varchar', length: '6' },
          { name: 'enterprise_prefix', type: 'varchar', length: '8' },
          { name: 'evaluation_body_name', type: 'varchar', length: '200' },
          { name: 'query_sites', type: 'text' },
          { name: 'verification_base_url', type: 'varchar', length: '255', isNullable: true },
          { name: 'updated_by', type: 'int' },
          { name: 'updated_at', type: 'datetime' },
        ],
        foreignKeys: [{ name: 'fk_issuer_settings_organisation_id', columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificate_status_lists',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'issuer_id', type: 'int', isUnique: true },
          { name: 'size', type: 'int' },
          { name: 'next_index', type: 'int', default: 0 },
          { name: 'updated_at', type: 'datetime' },
        ],
        foreignKeys: [{ name: 'fk_certificate_status_lists_issuer_id', columnNames: ['issuer_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificates',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'credential_id', type: 'varchar', length: '64', isUnique: true },
          { name: 'result_id', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'generation', type: 'int', default: 0 },
          { name: 'issuer_id', type: 'int' },
          { name: 'issuer_name', type: 'varchar', length: '200' },
          { name: 'holder_user_id', type: 'int' },
          { name: 'session_id', type: 'int', isNullable: true },
          { name: 'number', type: 'varchar', length: '40', isUnique: true },
          { name: 'number_source', type: 'varchar', length: '16' },
          { name: 'holder_name', type: 'varchar', length: '100' },
          { name: 'holder_name_hash', type: 'varchar', length: '64' },
          { name: 'id_document_type', type: 'varchar', length: '32' },
          { name: 'id_number_masked', type: 'varchar', length: '32' },
          { name: 'occupation_name', type: 'varchar', length: '100' },
          { name: 'occupation_code', type: 'varchar', length: '32' },
          { name: 'trade', type: 'varchar', length: '100' },
          { name: 'level', type: 'int' },
          { name: 'evaluation_body', type: 'varchar', length: '200' },
          { name: 'issue_date', type: 'varchar', length: '10' },
          { name: 'parts', type: 'text' },
          { name: 'twin_id', type: 'int', isNullable: true },
          { name: 'twin_number', type: 'varchar', length: '40' },
          { name: 'twin_kind', type: 'varchar', length: '16' },
          { name: 'replaces_id', type: 'int', isNullable: true },
          { name: 'replaced_by_id', type: 'int', isNullable: true },
          { name: 'status_list_id', type: 'int' },
          { name: 'status_index', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'status_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'status_changed_at', type: 'datetime', isNullable: true },
          { name: 'status_changed_by', type: 'int', isNullable: true },
          { name: 'kid', type: 'varchar', length: '64' },
          { name: 'jwt', type: 'text' },
          { name: 'created_at', type: 'datetime' },
        ],
        uniques: [
          { name: 'uq_certificates_result_kind_generation', columnNames: ['result_id', 'kind', 'generation'] },
          { name: 'uq_certificates_status_slot', columnNames: ['status_list_id', 'status_index'] },
        ],
        indices: [
          { name: 'idx_certificates_holder', columnNames: ['holder_user_id'] },
          { name: 'idx_certificates_issuer', columnNames: ['issuer_id', 'issue_date'] },
        ],
        foreignKeys: [
          { name: 'fk_certificates_issuer_id', columnNames: ['issuer_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
          { name: 'fk_certificates_holder_user_id', columnNames: ['holder_user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { name: 'fk_certificates_status_list_id', columnNames: ['status_list_id'], referencedTableName: 'certificate_status_lists', referencedColumnNames: ['id'] },
        ],
      }),
    );
    // Bureau API keys: only the SHA-256 of the key is kept (the key is shown once); scopes, a daily row quota.
    await q.createTable(
      new Table({
        name: 'bureau_api_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'organisation_id', type: 'int' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'key_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'scopes', type: 'varchar', length: '200' },
          { name: 'daily_quota', type: 'int' },
          { name: 'quota_day', type: 'varchar', length: '10', isNullable: true },
          { name: 'used_today', type: 'int', default: 0 },
          { name: 'created_by', type: 'int' },
          { name: 'created_at', type: 'datetime' },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
        ],
        indices: [{ name: 'idx_bureau_api_keys_organisation', columnNames: ['organisation_id'] }],
        foreignKeys: [{ name: 'fk_bureau_api_keys_organisation_id', columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('bureau_api_keys');
    await q.dropTable('certificates');
    await q.dropTable('certificate_status_lists');
    await q.dropTable('issuer_settings');
  }
}
