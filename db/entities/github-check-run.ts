import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { numberFromString } from '../column-types.js';
import { EvalRun } from './eval-run.js';
import { GitHubRepository } from './github-repository.js';

/** The GitHub check run that shows one eval run on its commit. */
@Entity({ name: 'github_check_runs' })
@Index('idx_github_check_runs_check_run_id', ['check_run_id'])
export class GitHubCheckRun {
  @PrimaryColumn({ type: 'uuid' })
  run_id!: string;

  @ManyToOne(() => EvalRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_github_check_runs_run' })
  run?: Relation<EvalRun>;

  @Column({ type: 'uuid' })
  repository_id!: string;

  @ManyToOne(() => GitHubRepository, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'repository_id', foreignKeyConstraintName: 'fk_github_check_runs_repository' })
  repository?: Relation<GitHubRepository>;

  @Column({ type: 'integer', nullable: true })
  pr_number!: number | null;

  @Column({ type: 'varchar', length: 40 })
  head_sha!: string;

  /** Null until GitHub has answered the create call. */
  @Column({ type: 'bigint', nullable: true, transformer: numberFromString })
  check_run_id!: number | null;

  /** The conclusion last sent to GitHub; null while the check is in progress. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  conclusion!: string | null;

  /** Why the run was cancelled by the App ("superseded by <sha>", "pull request closed"); shown on the check. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  cancel_reason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
