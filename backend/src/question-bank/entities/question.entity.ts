import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Difficulty, QuestionContent, QuestionType } from '@aitrainer/contracts';

/** JSON kept in a TEXT column (portable across MySQL and SQLite). */
export const jsonText = {
  to: (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? null : JSON.parse(v)),
};

/** A bank question; what it says lives in its versions. */
@Entity('questions')
export class Question {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id', type: 'int', nullable: true })
  organisationId!: number | null;

  @Column({ name: 'author_id', type: 'int' })
  authorId!: number;

  @Column({ name: 'current_version_id', type: 'int', nullable: true })
  currentVersionId!: number | null;

  @Column({ type: 'varchar', length: 24 })
  type!: QuestionType;

  @Column({ type: 'boolean', default: false })
  archived!: boolean;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** One immutable version of a question. Papers point at versions, so an edit never changes a paper already drawn. */
@Entity('question_versions')
export class QuestionVersion {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'question_id', type: 'int' })
  questionId!: number;

  @Column({ type: 'int' })
  number!: number;

  @Column({ type: 'varchar', length: 24 })
  type!: QuestionType;

  @Column({ type: 'text', transformer: jsonText })
  content!: QuestionContent;

  @Column({ type: 'varchar', length: 16 })
  occupation!: string;

  /** "|4|5|" */
  @Column({ type: 'varchar', length: 16 })
  levels!: string;

  @Column({ name: 'duty_area', type: 'varchar', length: 100 })
  dutyArea!: string;

  @Column({ name: 'knowledge_point', type: 'varchar', length: 200 })
  knowledgePoint!: string;

  @Column({ type: 'varchar', length: 8 })
  difficulty!: Difficulty;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

export const QUESTION_BANK_ENTITIES = [Question, QuestionVersion];
