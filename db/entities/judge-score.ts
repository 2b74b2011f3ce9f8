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
import { EvalResult } from './eval-result.js';
import { EvalRun } from './eval-run.js';

@Entity({ name: 'judge_scores' })
@Unique('uq_judge_scores_result_judge', ['result_id', 'judge_type'])
@Index('idx_judge_scores_run_judge', ['run_id', 'judge_type'])
export class JudgeScore {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  result_id!: string;

  @ManyToOne(() => EvalResult, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'result_id', foreignKeyConstraintName: 'fk_judge_scores_result' })
  result?: Relation<EvalResult>;

  /** Denormalised from the result so per-run aggregates need no join over millions of rows. */
  @Column({ type: 'uuid' })
  run_id!: string;

  @ManyToOne(() => EvalRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_judge_scores_run' })
  run?: Relation<EvalRun>;

  @Column({ type: 'varchar', length: 50 })
  judge_type!: string;

  /** 0..1; null when the judge errored (see `error`). */
  @Column({ type: 'double precision', nullable: true })
  score!: number | null;

  @Column({ type: 'boolean' })
  passed!: boolean;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Which model, revision and dtype produced the score (reproducibility across judge upgrades). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  model_id!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  model_revision!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  dtype!: string | null;

  @Column({ type: 'integer', nullable: true })
  latency_ms!: number | null;

  @Column({ type: 'integer', nullable: true })
  token_count_input!: number | null;

  @Column({ type: 'integer', nullable: true })
  token_count_output!: number | null;

  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true, transformer: numberFromString })
  cost_usd!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
