import { Column, Entity, PrimaryColumn } from 'typeorm';

export type QueueJobState = 'waiting' | 'active' | 'failed';

/** A job of the in-process driver. Rows live in the database so nothing is lost across restarts. */
@Entity('queue_jobs')
export class QueueJob {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  queue!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: QueueJobState;

  @Column({ name: 'attempts_made', type: 'int' })
  attemptsMade!: number;

  @Column({ name: 'max_attempts', type: 'int' })
  maxAttempts!: number;

  @Column({ name: 'backoff_ms', type: 'int' })
  backoffMs!: number;

  @Column({ name: 'run_at', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  runAt!: number;

  @Column({ name: 'locked_until', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } })
  lockedUntil!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;
}
