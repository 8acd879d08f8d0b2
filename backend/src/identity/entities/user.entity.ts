import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { IdDocumentType, Role } from '@aitrainer/contracts';
import { Organisation } from './organisation.entity';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'organisation_id', type: 'int', nullable: true })
  organisationId!: number | null;

  @ManyToOne(() => Organisation, { nullable: true })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation | null;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'real_name', type: 'varchar', length: 100 })
  realName!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: Role;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ name: 'id_document_type', type: 'varchar', length: 32, nullable: true })
  idDocumentType!: IdDocumentType | null;

  /** AES-256-GCM ciphertext; never leaves the server except through the audited endpoint. */
  @Column({ name: 'id_number_enc', type: 'varchar', length: 255, nullable: true })
  idNumberEnc!: string | null;

  /** Keyed HMAC of the normalized number, for uniqueness and look-ups without decryption. */
  @Column({ name: 'id_number_index', type: 'varchar', length: 64, nullable: true })
  idNumberIndex!: string | null;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 32, nullable: true })
  idNumberMasked!: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'password_changed_at', type: 'datetime' })
  passwordChangedAt!: Date;

  /** Set when the account is disabled: it can no longer sign in. */
  @Column({ name: 'disabled_at', type: 'datetime', nullable: true })
  disabledAt!: Date | null;
}
