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
import { RUN_STATUSES, type RunStatus } from '../run-statuses.js';
import { DatasetVersion } from './dataset-version.js';
import { EvalDataset } from './eval-dataset.js';
import { LlmEndpoint } from './llm-endpoint.js';
import { Project } from './project.js';

export { RUN_STATUSES, type RunStatus };
export const TRIGGER_TYPES = ['manual', 'ci', 'scheduled', 'api'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
export const RUN_NAME_MAX = 200;
export const RUN_LABELS_MAX = 20;
export const RUN_LABEL_MAX = 50;

@Entity({ name: 'eval_runs' })
@Index('idx_eval_runs_project_status', ['project_id', 'status'])
@Index('idx_eval_runs_created', ['created_at'])
@Index('idx_eval_runs_commit_sha', ['git_commit_sha'])
@Index('idx_eval_runs_project_branch_created', ['project_id', 'git_branch', 'created_at'])
@Index('idx_eval_runs_baseline_lookup', [
  'project_id',
  'dataset_version_id',
  'endpoint_id',
  'status',
  'completed_at',
])
@Index('idx_eval_runs_project_config_sha', ['project_id', 'config_sha256'])
@Index('idx_eval_runs_idempotency_key', ['project_id', 'idempotency_key'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class EvalRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  /** Optional display name (≤ RUN_NAME_MAX). */
  @Column({ type: 'varchar', length: RUN_NAME_MAX, nullable: true })
  name!: string | null;

  /** Free labels (≤ RUN_LABELS_MAX of ≤ RUN_LABEL_MAX chars); runs are listed by label (`labels @> [label]`). */
  @Column({ type: 'jsonb', default: [] })
  labels!: string[];

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_eval_runs_project' })
  project?: Relation<Project>;

  @Column({ type: 'uuid' })
  dataset_id!: string;

  // NO ACTION: a dataset (or version, or endpoint) that a run used cannot be destroyed on its own,
  // while deleting the whole project still cascades (checked at statement end).
  @ManyToOne(() => EvalDataset, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'fk_eval_runs_dataset' })
  dataset?: Relation<EvalDataset>;

  @Column({ type: 'uuid' })
  dataset_version_id!: string;

  @ManyToOne(() => DatasetVersion, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'dataset_version_id', foreignKeyConstraintName: 'fk_eval_runs_dataset_version' })
  dataset_version?: Relation<DatasetVersion>;

  @Column({ type: 'uuid' })
  endpoint_id!: string;

  @ManyToOne(() => LlmEndpoint, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_eval_runs_endpoint' })
  endpoint?: Relation<LlmEndpoint>;

  @Column({ type: 'uuid', nullable: true })
  baseline_run_id!: string | null;

  @ManyToOne(() => EvalRun, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'baseline_run_id', foreignKeyConstraintName: 'fk_eval_runs_baseline' })
  baseline_run?: Relation<EvalRun> | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: RunStatus;

  @Column({ type: 'varchar', length: 20, nullable: true })
  trigger_type!: TriggerType | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  git_commit_sha!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  git_branch!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  git_base_branch!: string | null;

  @Column({ type: 'integer', nullable: true })
  pr_number!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  workflow_id!: string | null;

  /** Client-supplied Idempotency-Key: a retried POST returns the same run. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotency_key!: string | null;

  /**
   * sha256 (hex) of the canonical start request, without its key: a key sent again with a different
   * request is refused (422). Null on runs recorded before it existed; those keys match any request.
   */
  @Column({ type: 'char', length: 64, nullable: true })
  request_fingerprint!: string | null;

  /** Run options: judges/guardrails selection, chunk size, parallelism; for a run started from an
   * evalforge.yaml also its prompts, guardrails and the config itself (core/config-run.ts). */
  @Column({ type: 'jsonb', default: {} })
  config!: Record<string, unknown>;

  /** For a run started from an evalforge.yaml: sha256 (hex) of what decides its answers and verdict (endpoint
   * and generation parameters, prompts, dataset version, judges, guardrails, repetitions), never the git
   * commit. Runs with equal hashes measured the same thing. Null for other runs. */
  @Column({ type: 'char', length: 64, nullable: true })
  config_sha256!: string | null;

  @Column({ type: 'integer', default: 1 })
  repetitions!: number;

  @Column({ type: 'boolean', default: false })
  use_cache!: boolean;

  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true, transformer: numberFromString })
  budget_usd!: number | null;

  @Column({ type: 'integer', default: 0 })
  total_samples!: number;

  @Column({ type: 'bigint', default: 0, transformer: numberFromString })
  input_tokens!: number;

  @Column({ type: 'bigint', default: 0, transformer: numberFromString })
  output_tokens!: number;

  /** Model generation cost. */
  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: numberFromString })
  cost_usd!: number;

  /** LLM-as-judge spend, kept apart so totals never hide it. */
  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: numberFromString })
  judge_cost_usd!: number;

  @Column({ type: 'timestamptz', nullable: true })
  started_at!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completed_at!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelled_at!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Aggregates (pass rates, mean scores, latency percentiles), regressions and guardrail verdict. */
  @Column({ type: 'jsonb', default: {} })
  summary!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
