import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `rate_limits`: the counters of sign-in and verification limits when no Redis is configured, so that several API
 * processes (the embedded default runs one per core) count together. The columns are the ones rate-limiter-flexible's
 * SQLite and MySQL stores read and write (key, consumed points, expiry in epoch ms).
 */
export class CreateRateLimits1765200000000 implements MigrationInterface {
  name = 'CreateRateLimits1765200000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mysql') {
      await q.query('CREATE TABLE `rate_limits` (`key` VARCHAR(255) NOT NULL, `points` INT NOT NULL DEFAULT 0, `expire` BIGINT UNSIGNED NULL, PRIMARY KEY (`key`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin');
      await q.query('CREATE INDEX `idx_rate_limits_expire` ON `rate_limits` (`expire`)');
    } else {
      await q.query('CREATE TABLE "rate_limits" ("key" TEXT PRIMARY KEY, "points" INTEGER NOT NULL DEFAULT 0, "expire" INTEGER)');
      await q.query('CREATE INDEX "idx_rate_limits_expire" ON "rate_limits" ("expire")');
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limits');
  }
}
