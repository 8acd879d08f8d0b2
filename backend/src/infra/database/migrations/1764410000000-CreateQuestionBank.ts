import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };

/** The question bank: a question and its immutable versions (editing adds a version; attempts keep theirs). */
export class CreateQuestionBank1764410000000 implements MigrationInterface {
  name = 'CreateQuestionBank1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'questions',
        columns: [
          id,
          { name: 'organisation_id', type: 'int', isNullable: true },
          { name: 'author_id', type: 'int' },
          { name: 'current_version_id', type: 'int', isNullable: true },
          { name: 'type', type: 'varchar', length: '24' },
          { name: 'archived', type: 'boolean', default: false },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
        indices: [{ name: 'ix_questions_author', columnNames: ['author_id'] }],
        foreignKeys: [{ name: 'fk_questions_author_id', columnNames: ['author_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'question_versions',
        columns: [
          id,
          { name: 'question_id', type: 'int' },
          { name: 'number', type: 'int' },
          { name: 'type', type: 'varchar', length: '24' },
          { name: 'content', type: 'text' },
          { name: 'occupation', type: 'varchar', length: '16' },
          // "|4|5|": searchable with LIKE '%|4|%' on both databases.
          { name: 'levels', type: 'varchar', length: '16' },
          { name: 'duty_area', type: 'varchar', length: '100' },
          { name: 'knowledge_point', type: 'varchar', length: '200' },
          { name: 'difficulty', type: 'varchar', length: '8' },
          { name: 'created_at', type: 'datetime' },
        ],
        uniques: [{ name: 'uq_question_versions_number', columnNames: ['question_id', 'number'] }],
        indices: [{ name: 'ix_question_versions_duty_area', columnNames: ['duty_area'] }],
        foreignKeys: [{ name: 'fk_question_versions_question_id', columnNames: ['question_id'], referencedTableName: 'questions', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('question_versions');
    await q.dropTable('questions');
  }
}
