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
import { RateLimitBucket } from './rate-limit-bucket.js';

/** One model call in flight (a concurrency slot). Deleted when the call ends; a crashed worker's
 * leases simply expire. Ephemeral: the table is UNLOGGED. */
@Entity({ name: 'rate_limit_leases' })
@Index('idx_rate_limit_leases_bucket_expires', ['bucket_key', 'expires_at'])
export class RateLimitLease {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  bucket_key!: string;

  @ManyToOne(() => RateLimitBucket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bucket_key', foreignKeyConstraintName: 'fk_rate_limit_leases_bucket' })
  bucket?: Relation<RateLimitBucket>;

  /** host:pid of the worker, for debugging stuck slots. */
  @Column({ type: 'varchar', length: 255 })
  holder!: string;

  @Column({ type: 'timestamptz' })
  expires_at!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
