import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Model responses keyed by a hash of provider, model, params and messages (opt-in per run). */
@Entity({ name: 'response_cache' })
export class ResponseCacheEntry {
  @PrimaryColumn({ type: 'char', length: 64 })
  cache_key!: string;

  @Column({ type: 'varchar', length: 50 })
  provider!: string;

  @Column({ type: 'varchar', length: 255 })
  model_name!: string;

  @Column({ type: 'text' })
  llm_output!: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  finish_reason!: string | null;

  @Column({ type: 'integer', nullable: true })
  token_count_input!: number | null;

  @Column({ type: 'integer', nullable: true })
  token_count_output!: number | null;

  @Column({ type: 'integer', default: 0 })
  hit_count!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at!: Date;
}
