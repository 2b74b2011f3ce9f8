import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { DatasetVersion } from './dataset-version.js';
import { EvalDataset } from './eval-dataset.js';

@Entity({ name: 'eval_samples' })
@Index('idx_eval_samples_version_position', ['dataset_version_id', 'position'], { unique: true })
@Index('idx_eval_samples_dataset_key', ['dataset_id', 'sample_key'])
// (dataset_version_id, (metadata->>'category')): an expression index, defined by its migration. Besides
// the lookups, it gives the planner statistics on categories, so a filtered results page walks the run's
// index instead of hashing every sample.
@Index('idx_eval_samples_version_category', { synchronize: false })
/** A key names one sample within a version; pairing runs across versions relies on it. */
@Index('uq_eval_samples_version_key', ['dataset_version_id', 'sample_key'], { unique: true })
export class EvalSample {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  dataset_id!: string;

  @ManyToOne(() => EvalDataset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'fk_eval_samples_dataset' })
  dataset?: Relation<EvalDataset>;

  @Column({ type: 'uuid' })
  dataset_version_id!: string;

  @ManyToOne(() => DatasetVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_version_id', foreignKeyConstraintName: 'fk_eval_samples_dataset_version' })
  dataset_version?: Relation<DatasetVersion>;

  /** Stable identity of "the same sample" across versions (carried over when a version is copied),
   * so runs on different versions can still be paired sample by sample. */
  @Column({ type: 'varchar', length: 255 })
  sample_key!: string;

  /** Order inside the version: stable pagination and deterministic chunking. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  input_text!: string;

  @Column({ type: 'text', nullable: true })
  system_prompt!: string | null;

  @Column({ type: 'text', nullable: true })
  reference_output!: string | null;

  @Column({ type: 'jsonb', default: {} })
  metadata!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
