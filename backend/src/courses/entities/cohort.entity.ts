import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** 班级: a group of students of one school. */
@Entity('cohorts')
export class Cohort {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id', type: 'int' })
  organisationId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

@Entity('cohort_students')
export class CohortStudent {
  @PrimaryColumn({ name: 'cohort_id', type: 'int' })
  cohortId!: number;

  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
