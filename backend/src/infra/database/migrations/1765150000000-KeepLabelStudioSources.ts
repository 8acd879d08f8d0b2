import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Label Studio imports keep their source: the file's form and config on the exercise, each task as it came on its item. */
export class KeepLabelStudioSources1765150000000 implements MigrationInterface {
  name = 'KeepLabelStudioSources1765150000000';

  async up(q: QueryRunner): Promise<void> {
    const longText = q.connection.options.type === 'mysql' ? 'mediumtext' : 'text';
    await q.addColumn('labelling_exercises', new TableColumn({ name: 'label_studio', type: longText, isNullable: true }));
    await q.addColumn('labelling_items', new TableColumn({ name: 'label_studio', type: longText, isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('labelling_items', 'label_studio');
    await q.dropColumn('labelling_exercises', 'label_studio');
  }
}
