import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Shared rate-limit state of one endpoint (token buckets for rpm/tpm and a 429 pause) that every
 * worker process reads and updates under a row lock. Ephemeral: the table is UNLOGGED. */
@Entity({ name: 'rate_limit_buckets' })
export class RateLimitBucket {
  /** `endpoint:<llm_endpoints.id>` */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'double precision' })
  requests_available!: number;

  @Column({ type: 'double precision' })
  tokens_available!: number;

  @Column({ type: 'timestamptz' })
  refilled_at!: Date;

  /** Bumped by every slot grant: the compare-and-set that keeps two workers from taking the same slot. */
  @Column({ type: 'bigint', default: 0 })
  version!: string;

  /** Set from a 429's Retry-After: no worker starts a call on this endpoint before it. */
  @Column({ type: 'timestamptz', nullable: true })
  paused_until!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
