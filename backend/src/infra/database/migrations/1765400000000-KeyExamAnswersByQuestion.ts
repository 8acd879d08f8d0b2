import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `exam_answers` is keyed by what identifies an answer, (attempt_id, question_id), instead of a surrogate
 * AUTO_INCREMENT id that nothing read. On MySQL/MariaDB an `INSERT … SELECT` into a table with an AUTO_INCREMENT column
 * holds the table's AUTO-INC lock until the statement ends, so every answer save of every candidate queued on one
 * table-wide lock, and a batch that held a row's lock while waiting for it could deadlock with a save holding it (the
 * victim is reported as error 1467). Without the column there is no such lock, and each save maintains one index
 * instead of two. An attempt's answers are also stored together (the clustered index), which is what scoring reads.
 */
export class KeyExamAnswersByQuestion1765400000000 implements MigrationInterface {
  name = 'KeyExamAnswersByQuestion1765400000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mysql') {
      await q.query('ALTER TABLE exam_answers DROP COLUMN id, ADD PRIMARY KEY (attempt_id, question_id), DROP INDEX uq_exam_answers_question');
      return;
    }
    // SQLite cannot change a table's key: the table is rebuilt (nothing references exam_answers).
    await q.query(
      `CREATE TABLE "exam_answers_keyed" ("attempt_id" integer NOT NULL, "question_id" integer NOT NULL, "seq" bigint NOT NULL, "value" text NOT NULL, "updated_at_ms" bigint NOT NULL,
        PRIMARY KEY ("attempt_id", "question_id"),
        CONSTRAINT "fk_exam_answers_attempt_id" FOREIGN KEY ("attempt_id") REFERENCES "exam_attempts" ("id") ON DELETE CASCADE)`,
    );
    await q.query('INSERT INTO "exam_answers_keyed" SELECT "attempt_id", "question_id", "seq", "value", "updated_at_ms" FROM "exam_answers"');
    await q.query('DROP TABLE "exam_answers"');
    await q.query('ALTER TABLE "exam_answers_keyed" RENAME TO "exam_answers"');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mysql') {
      await q.query('ALTER TABLE exam_answers ADD COLUMN id INT NOT NULL AUTO_INCREMENT FIRST, DROP PRIMARY KEY, ADD PRIMARY KEY (id), ADD UNIQUE KEY uq_exam_answers_question (attempt_id, question_id)');
      return;
    }
    await q.query(
      `CREATE TABLE "exam_answers_surrogate" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "attempt_id" integer NOT NULL, "question_id" integer NOT NULL, "seq" bigint NOT NULL, "value" text NOT NULL, "updated_at_ms" bigint NOT NULL,
        CONSTRAINT "uq_exam_answers_question" UNIQUE ("attempt_id", "question_id"),
        CONSTRAINT "fk_exam_answers_attempt_id" FOREIGN KEY ("attempt_id") REFERENCES "exam_attempts" ("id") ON DELETE CASCADE)`,
    );
    await q.query('INSERT INTO "exam_answers_surrogate" ("attempt_id", "question_id", "seq", "value", "updated_at_ms") SELECT "attempt_id", "question_id", "seq", "value", "updated_at_ms" FROM "exam_answers" ORDER BY "attempt_id", "question_id"');
    await q.query('DROP TABLE "exam_answers"');
    await q.query('ALTER TABLE "exam_answers_surrogate" RENAME TO "exam_answers"');
  }
}
