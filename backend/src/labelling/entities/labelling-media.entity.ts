import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An image or audio file of an exercise's dataset; the bytes live in the media store, named by (exercise, name). */
@Entity('labelling_media')
export class LabellingMedia {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'exercise_id', type: 'int' })
  exerciseId!: number;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  mime!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
