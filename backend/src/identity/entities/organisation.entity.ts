import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganisationKind } from '@aitrainer/contracts';

@Entity('organisations')
export class Organisation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: OrganisationKind;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** 统一社会信用代码 (GB 32100), unique when present. */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true })
  creditCode!: string | null;

  /** IANA time zone every time of the organisation is shown in (portal, PDFs, exports). */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, default: 'Asia/Shanghai' })
  timeZone!: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

/** A school whose students a certifying enterprise (issuer) accepts into its exam sessions. */
@Entity('organisation_partners')
export class OrganisationPartner {
  @PrimaryColumn({ name: 'issuer_id', type: 'int' })
  issuerId!: number;

  @PrimaryColumn({ name: 'school_id', type: 'int' })
  schoolId!: number;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy!: number | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
