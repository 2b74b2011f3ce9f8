import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Project } from './project.js';

/** Project-scoped API keys. Only a SHA-256 hash is stored; the key itself is shown once at creation. */
@Entity({ name: 'api_keys' })
@Index('uq_api_keys_key_hash', ['key_hash'], { unique: true })
@Index('idx_api_keys_project_id', ['project_id'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_api_keys_project' })
  project?: Relation<Project>;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** First characters of the key, to tell keys apart in a list without revealing them. */
  @Column({ type: 'varchar', length: 16 })
  key_prefix!: string;

  @Column({ type: 'char', length: 64 })
  key_hash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  last_used_at!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revoked_at!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
