import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { Project } from './project.js';
import { ProviderSecret } from './provider-secret.js';

export const LLM_PROVIDERS = ['openai', 'anthropic', 'huggingface', 'custom'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

@Entity({ name: 'llm_endpoints' })
@Index('idx_llm_endpoints_project_id', ['project_id'])
@Index('idx_llm_endpoints_secret_id', ['secret_id'])
export class LlmEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_llm_endpoints_project' })
  project?: Relation<Project>;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 50 })
  provider!: LlmProvider;

  @Column({ type: 'varchar', length: 255 })
  model_name!: string;

  @Column({ type: 'text', nullable: true })
  endpoint_url!: string | null;

  /** Generation parameters and limits (temperature, max_tokens, rpm, tpm, concurrency). Never secrets. */
  @Column({ type: 'jsonb', default: {} })
  config!: Record<string, unknown>;

  /** Name of the environment variable that holds the provider key; only allowlisted names are read
   * (core/provider-keys.ts). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  api_key_env!: string | null;

  /** The project's provider secret holding the key; takes precedence over api_key_env. A secret in use
   * cannot be deleted. */
  @Column({ type: 'uuid', nullable: true })
  secret_id!: string | null;

  @ManyToOne(() => ProviderSecret, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'secret_id', foreignKeyConstraintName: 'fk_llm_endpoints_secret' })
  secret?: Relation<ProviderSecret> | null;

  /** Soft delete: runs keep pointing at the endpoint they used. */
  @Column({ type: 'timestamptz', nullable: true })
  archived_at!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
