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
import { EvalDataset } from './eval-dataset.js';

/** An immutable snapshot of a dataset's samples; a run pins one so its results stay reproducible. */
@Entity({ name: 'dataset_versions' })
@Unique('uq_dataset_versions_dataset_version', ['dataset_id', 'version'])
@Index('idx_dataset_versions_dataset_content', ['dataset_id', 'content_sha256'])
export class DatasetVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  dataset_id!: string;

  @ManyToOne(() => EvalDataset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'fk_dataset_versions_dataset' })
  dataset?: Relation<EvalDataset>;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'integer', default: 0 })
  sample_count!: number;

  /** What made this version (upload file name, "added 3 samples"...). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** sha256 (hex) of the file this version was made from, for versions made from a repository file named by
   * an evalforge.yaml: the same content maps to the same version. Null for every other version. */
  @Column({ type: 'char', length: 64, nullable: true })
  content_sha256!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
