import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Default limit on failed samples for a run to serve as a baseline. */
export const DEFAULT_BASELINE_MAX_FAILED_SHARE = 0.05;

@Entity({ name: 'projects' })
@Check(
  'chk_projects_baseline_max_failed_share',
  '"baseline_max_failed_share" >= 0 AND "baseline_max_failed_share" <= 1',
)
export class Project {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** A run with a larger share of failed samples (or a verdict of `error`) is never picked as a baseline. */
  @Column({ type: 'double precision', default: DEFAULT_BASELINE_MAX_FAILED_SHARE })
  baseline_max_failed_share!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
