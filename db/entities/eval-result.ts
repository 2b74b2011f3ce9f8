import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { numberFromString } from '../column-types.js';
import { EvalRun } from './eval-run.js';
import { EvalSample } from './eval-sample.js';

export const RESULT_STATUSES = ['succeeded', 'failed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** One model answer for one sample (and repetition) of a run. The unique key makes upserts idempotent:
 * a retried or resumed chunk overwrites, never duplicates. */
@Entity({ name: 'eval_results' })
@Unique('uq_eval_results_run_sample_repetition', ['run_id', 'sample_id', 'repetition'])
@Index('idx_eval_results_sample_id', ['sample_id'])
@Index('idx_eval_results_run_status', ['run_id', 'status'])
// (run_id, sample_position, repetition) INCLUDE (id, status): TypeORM cannot express a covering index,
// so the migration owns its definition.
@Index('idx_eval_results_run_order', { synchronize: false })
export class EvalResult {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  run_id!: string;

  @ManyToOne(() => EvalRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_eval_results_run' })
  run?: Relation<EvalRun>;

  @Column({ type: 'uuid' })
  sample_id!: string;

  @ManyToOne(() => EvalSample, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'sample_id', foreignKeyConstraintName: 'fk_eval_results_sample' })
  sample?: Relation<EvalSample>;

  /** The sample's position in its dataset version, copied here so a run's results page in dataset
   * order straight from one index (no join and sort over the whole run). */
  @Column({ type: 'integer' })
  sample_position!: number;

  /** 0-based repetition index; repetitions bypass the response cache. */
  @Column({ type: 'integer', default: 0 })
  repetition!: number;

  @Column({ type: 'varchar', length: 20, default: 'succeeded' })
  status!: ResultStatus;

  /** Raw model response ('' when the call failed; the reason is in `error`). */
  @Column({ type: 'text' })
  llm_output!: string;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  finish_reason!: string | null;

  @Column({ type: 'integer', nullable: true })
  latency_ms!: number | null;

  @Column({ type: 'integer', nullable: true })
  token_count_input!: number | null;

  @Column({ type: 'integer', nullable: true })
  token_count_output!: number | null;

  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true, transformer: numberFromString })
  cost_usd!: number | null;

  @Column({ type: 'boolean', default: false })
  cached!: boolean;

  @Column({ type: 'integer', default: 1 })
  attempts!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
