import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PromptAnswerStatus } from '@aitrainer/contracts';

/** A submitted prompt. Immutable except for its status; each submission is a new row. */
@Entity('prompt_answers')
export class PromptAnswer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'task_id', type: 'int' })
  taskId!: number;

  @Column({ name: 'task_version', type: 'int' })
  taskVersion!: number;

  @Column({ name: 'student_id', type: 'int' })
  studentId!: number;

  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PromptAnswerStatus;

  @Column({ name: 'submitted_at', type: 'datetime' })
  submittedAt!: Date;
}

/** Playground runs per student per day; the row is the counter every API process shares. */
@Entity('playground_usage')
export class PlaygroundUsage {
  @PrimaryColumn({ name: 'student_id', type: 'int' })
  studentId!: number;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'int' })
  runs!: number;
}
