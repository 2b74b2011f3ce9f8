import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Project } from './project.js';

/**
 * A project's provider key (OpenAI, Anthropic, a proxy…), encrypted at rest with AES-256-GCM under
 * EVALFORGE_ENCRYPTION_KEY (lib/secret-box.ts). Write-only through the API: only `hint` is ever shown.
 * Endpoints reference it by `llm_endpoints.secret_id`; workers decrypt it at call time.
 */
@Entity({ name: 'provider_secrets' })
@Unique('uq_provider_secrets_project_name', ['project_id', 'name'])
export class ProviderSecret {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_provider_secrets_project' })
  project?: Relation<Project>;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** `efs1:<key id>:<iv>:<tag>:<ciphertext>`; the project id and name are bound as authenticated data. */
  @Column({ type: 'text' })
  ciphertext!: string;

  /** The last characters of the value ("…wxyz"), to tell secrets apart without revealing them. */
  @Column({ type: 'varchar', length: 16 })
  hint!: string;

  /** When a worker last decrypted it for a model call. */
  @Column({ type: 'timestamptz', nullable: true })
  last_used_at!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  /** When the value was last replaced. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
