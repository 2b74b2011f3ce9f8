import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const WEBHOOK_DELIVERY_STATUSES = ['accepted', 'done', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * A signed webhook body the API accepted, keyed by the SHA-256 of its bytes: the same signed body sent again
 * (whatever its X-GitHub-Delivery, which is not signed) is a duplicate. Also what the accepted event asks
 * for (`task`) and how doing it after the 202 went. Rows older than the retention window are pruned.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('uq_webhook_deliveries_source_body', ['source', 'body_sha256'], { unique: true })
@Index('idx_webhook_deliveries_received_at', ['received_at'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' })
  id!: string;

  /** Which webhook received it: `github_app`. */
  @Column({ type: 'varchar', length: 20 })
  source!: string;

  /** SHA-256 (hex) of the raw signed body. */
  @Column({ type: 'char', length: 64 })
  body_sha256!: string;

  /** X-GitHub-Delivery of the first accepted copy (for logs; not signed, never used to dedupe). */
  @Column({ type: 'varchar', length: 100 })
  delivery_id!: string;

  /** `pull_request.synchronize`, `check_run.rerequested`… */
  @Column({ type: 'varchar', length: 100 })
  event!: string;

  /** What the event is about, e.g. `pr:owner/repo#12@<sha>` or `check_run:123456:rerequested`. */
  @Column({ type: 'varchar', length: 255 })
  identity!: string;

  /** What must be done after the 202 (small: ids and names, never the payload). */
  @Column({ type: 'jsonb' })
  task!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 20, default: 'accepted' })
  status!: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  last_error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  received_at!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
