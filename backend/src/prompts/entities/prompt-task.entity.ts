import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PromptTaskAudience, PromptTaskDefinition, PromptTaskStatus } from '@aitrainer/contracts';

const json = { to: (v: unknown) => JSON.stringify(v), from: (v: string) => JSON.parse(v) };

@Entity('prompt_tasks')
export class PromptTask {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id', type: 'int' })
  organisationId!: number;

  @Column({ name: 'author_id', type: 'int' })
  authorId!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PromptTaskStatus;

  /** Who practises it once published (labelling exercises have the same three). */
  @Column({ type: 'varchar', length: 16, default: 'organisation' })
  audience!: PromptTaskAudience;

  /** The draft being edited (or the published one when nothing is being edited). */
  @Column({ name: 'current_version', type: 'int' })
  currentVersion!: number;

  @Column({ name: 'published_version', type: 'int', nullable: true })
  publishedVersion!: number | null;


  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** Immutable once published: an answer keeps the version it was written against. */
@Entity('prompt_task_versions')
export class PromptTaskVersion {
  @PrimaryColumn({ name: 'task_id', type: 'int' })
  taskId!: number;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'text', transformer: json })
  definition!: PromptTaskDefinition;

  @Column({ name: 'published_at', type: 'datetime', nullable: true })
  publishedAt!: Date | null;
}
