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
import { EvalResult } from './eval-result.js';
import { EvalRun } from './eval-run.js';

/** Longest comment a reviewer may leave. */
export const REVIEW_COMMENT_MAX = 2000;

/**
 * A person's verdict on one result: overall (judge_type null) or on one judge's score. One current
 * review per reviewer per (result, judge): saving again updates it in place. Two partial unique indexes,
 * because NULLs are distinct in a plain unique key.
 */
@Entity({ name: 'human_reviews' })
@Index('uq_human_reviews_result_judge_reviewer', ['result_id', 'judge_type', 'reviewer'], {
  unique: true,
  where: 'judge_type IS NOT NULL',
})
@Index('uq_human_reviews_result_overall_reviewer', ['result_id', 'reviewer'], {
  unique: true,
  where: 'judge_type IS NULL',
})
@Index('idx_human_reviews_run', ['run_id', 'created_at'])
export class HumanReview {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_human_reviews' })
  id!: string;

  @Column({ type: 'uuid' })
  result_id!: string;

  @ManyToOne(() => EvalResult, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'result_id', foreignKeyConstraintName: 'fk_human_reviews_result' })
  result?: Relation<EvalResult>;

  /** Denormalised from the result: a run's reviews are read without a join. */
  @Column({ type: 'uuid' })
  run_id!: string;

  @ManyToOne(() => EvalRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_human_reviews_run' })
  run?: Relation<EvalRun>;

  /** The judge reviewed; null = the result as a whole. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  judge_type!: string | null;

  @Column({ type: 'boolean' })
  passed!: boolean;

  /** Optional 0..1. */
  @Column({ type: 'double precision', nullable: true })
  score!: number | null;

  @Column({ type: 'varchar', length: REVIEW_COMMENT_MAX, nullable: true })
  comment!: string | null;

  /** The API key's name, or "admin" / "dev" (api/services/reviews.ts reviewerOf). */
  @Column({ type: 'varchar', length: 255 })
  reviewer!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
