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
import { numberFromString } from '../column-types.js';
import { GitHubRepository } from './github-repository.js';

/** A pull request the GitHub App reports on: its latest head and its one EvalForge comment. */
@Entity({ name: 'github_pull_requests' })
@Unique('uq_github_pull_requests_repository_number', ['repository_id', 'pr_number'])
export class GitHubPullRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  repository_id!: string;

  @ManyToOne(() => GitHubRepository, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'repository_id', foreignKeyConstraintName: 'fk_github_pull_requests_repository' })
  repository?: Relation<GitHubRepository>;

  @Column({ type: 'integer' })
  pr_number!: number;

  /** Head commit of the latest pull_request event: reports for older commits leave the comment alone. */
  @Column({ type: 'varchar', length: 40 })
  head_sha!: string;

  @Column({ type: 'bigint', nullable: true, transformer: numberFromString })
  comment_id!: number | null;

  /** Set when the pull request closed: its runs are cancelled and nothing more is posted on it. */
  @Column({ type: 'timestamptz', nullable: true })
  closed_at!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
