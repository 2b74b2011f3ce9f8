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
import { numberFromString } from '../column-types.js';
import { EvalDataset } from './eval-dataset.js';
import { LlmEndpoint } from './llm-endpoint.js';
import { Project } from './project.js';

/**
 * A GitHub repository linked to a project: its pull requests (GitHub App) and pushes (plain webhook)
 * start runs of this dataset against this endpoint. `full_name` is stored lower-case (GitHub names are
 * case-insensitive).
 */
@Entity({ name: 'github_repositories' })
@Index('uq_github_repositories_full_name', ['full_name'], { unique: true })
@Index('idx_github_repositories_project_id', ['project_id'])
export class GitHubRepository {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_github_repositories_project' })
  project?: Relation<Project>;

  /** `owner/name`, lower-case. */
  @Column({ type: 'varchar', length: 255 })
  full_name!: string;

  @Column({ type: 'uuid' })
  dataset_id!: string;

  @ManyToOne(() => EvalDataset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'fk_github_repositories_dataset' })
  dataset?: Relation<EvalDataset>;

  @Column({ type: 'uuid' })
  endpoint_id!: string;

  @ManyToOne(() => LlmEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_github_repositories_endpoint' })
  endpoint?: Relation<LlmEndpoint>;

  /** Globs (`prompts/**`): a pull request starts a run only when it changes a matching file. Empty: always. */
  @Column({ type: 'jsonb', default: [] })
  path_filters!: string[];

  /** Whether a detected regression fails the check (otherwise it is reported as neutral). */
  @Column({ type: 'boolean', default: true })
  fail_on_regression!: boolean;

  /** Where the repository's eval config lives; a pull request without the file runs the link's dataset
   * and endpoint instead. */
  @Column({ type: 'varchar', length: 1024, default: 'evalforge.yaml' })
  config_path!: string;

  /** Set while GitHub has the installation suspended or deleted: no work is done for the repository. */
  @Column({ type: 'timestamptz', nullable: true })
  installation_suspended_at!: Date | null;

  /** The GitHub App installation that covers this repository, from the latest webhook. */
  @Column({ type: 'bigint', nullable: true, transformer: numberFromString })
  installation_id!: number | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
