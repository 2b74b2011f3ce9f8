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

/** Per project and judge: the threshold a score must reach, and whether failing it blocks a deploy. */
@Entity({ name: 'guardrail_configs' })
@Unique('uq_guardrail_configs_project_judge', ['project_id', 'judge_type'])
export class GuardrailConfig {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  project_id!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_guardrail_configs_project' })
  project?: Relation<Project>;

  @Column({ type: 'varchar', length: 50 })
  judge_type!: string;

  @Column({ type: 'double precision' })
  threshold!: number;

  @Column({ type: 'boolean', default: false })
  is_blocking!: boolean;

  /** Judge settings: model id, labels, rubric, task queue, minimum pass rate, minimum effect. */
  @Column({ type: 'jsonb', default: {} })
  config!: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
