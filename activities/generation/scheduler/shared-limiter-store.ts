/**
 * Per-endpoint limits that hold across every worker process, kept in PostgreSQL (all workers share it).
 *
 * Why a bucket row per endpoint with optimistic concurrency (a `version` compare-and-set), rather than
 * advisory locks or Temporal's task-queue rate limits: a session advisory lock per concurrency slot would
 * pin one pooled connection per call in flight (32 calls → 32 connections per worker), and task-queue
 * limits count activities (whole chunks), not model calls or tokens. A row read plus one conditional
 * write costs two round trips and holds no lock between them; it uses one clock (the database's, so
 * worker clock skew does not matter) and keeps token buckets, the 429-burst pause and the concurrency leases
 * consistent: a lease is inserted by the same statement that wins the compare-and-set, so two workers
 * can never both take the last slot. Leases are short and renewed while a call runs, so a killed worker's
 * slots come back within seconds.
 * One caller per process asks for a whole batch of slots at a time (endpoint-limiter.ts).
 * The token-bucket rules themselves live in token-bucket.ts (pure, shared with tests).
 */
import os from 'node:os';
import type { DataSource } from 'typeorm';
import { type BucketState, bucketCapacity, decide, fullBucket, type RateLimits } from './token-bucket.js';

export interface SlotBatch {
  /** One lease per granted request, in request order (a prefix of the requests). */
  leaseIds: string[];
  /** Why the next request was refused and how long to wait; absent when all were granted. */
  refusal?: { waitMs: number; reason: string };
}

export interface SlotRelease {
  /** Actual minus estimated tokens (negative refunds); ignored without a tpm limit. */
  tokenDelta: number;
  /** A 429 burst (endpoint-limiter.ts, RATE_LIMIT_BURST_*): pause the endpoint for every worker. A single
   * 429's Retry-After delays only its own request and never reaches the store. */
  pauseMs?: number;
}

interface BucketRow {
  requests_available: number;
  tokens_available: number;
  refilled_at_ms: string;
  paused_until_ms: string | null;
  version: string;
  in_flight: number;
  now_ms: string;
}

const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** Compare-and-set conflicts in a row before giving up (only heavy cross-worker contention gets there). */
const MAX_CAS_RETRIES = 50;

export class SharedLimiterStore {
  readonly holder: string;

  constructor(
    private readonly dataSource: DataSource,
    holder = `${os.hostname()}:${process.pid}`,
  ) {
    this.holder = holder.slice(0, 255);
  }

  /** Takes as many slots as the limits allow for these requests (token estimates), in order; never waits. */
  async tryAcquire(
    key: string,
    limits: RateLimits,
    requests: number[],
    leaseTtlMs: number,
  ): Promise<SlotBatch> {
    for (let conflict = 0; conflict < MAX_CAS_RETRIES; conflict++) {
      const row = (await this.#read(key)) ?? (await this.#create(key, limits));
      const nowMs = Number(row.now_ms);
      let state: BucketState = {
        requests: row.requests_available,
        tokens: row.tokens_available,
        refilledAtMs: Number(row.refilled_at_ms),
        pausedUntilMs: row.paused_until_ms === null ? null : Number(row.paused_until_ms),
      };
      const start = state;
      let granted = 0;
      let refusal: SlotBatch['refusal'];
      for (const tokens of requests) {
        const decision = decide(state, nowMs, limits, tokens, row.in_flight + granted);
        if (!decision.granted) {
          refusal = { waitMs: decision.waitMs, reason: decision.reason };
          break;
        }
        state = decision.state;
        granted++;
      }
      if (granted === 0) return { leaseIds: [], refusal };
      // Deltas, not absolute values: a concurrent release's token settlement (which does not bump the
      // version) is kept rather than overwritten.
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `WITH bucket AS (
           UPDATE rate_limit_buckets
              SET requests_available = requests_available + $2, tokens_available = tokens_available + $3,
                  refilled_at = to_timestamp($4::float8 / 1000), version = version + 1, updated_at = now()
            WHERE key = $1 AND version = $5
           RETURNING key),
         expired AS (DELETE FROM rate_limit_leases WHERE bucket_key = $1 AND expires_at <= clock_timestamp())
         INSERT INTO rate_limit_leases (bucket_key, holder, expires_at)
         SELECT bucket.key, $6, clock_timestamp() + $7 * interval '1 millisecond'
           FROM bucket, generate_series(1, $8::int)
         RETURNING id`,
        [
          key,
          state.requests - start.requests,
          state.tokens - start.tokens,
          state.refilledAtMs,
          row.version,
          this.holder,
          leaseTtlMs,
          granted,
        ],
      );
      if (rows.length > 0) return { leaseIds: rows.map((r) => r.id), refusal };
      // Another worker changed the bucket since the read: decide again on fresh state.
    }
    return { leaseIds: [], refusal: { waitMs: 0, reason: 'contention' } };
  }

  /** Frees the slot, settles the token estimate against actual use and records a 429-burst pause. */
  async release(key: string, leaseId: string, limits: RateLimits, outcome: SlotRelease): Promise<void> {
    const tokenDelta = limits.tpm ? outcome.tokenDelta : 0;
    const pauseMs = outcome.pauseMs ?? 0;
    if (tokenDelta === 0 && pauseMs <= 0) {
      await this.dataSource.query('DELETE FROM rate_limit_leases WHERE id = $1', [leaseId]);
      return;
    }
    await this.dataSource.query(
      `WITH lease AS (DELETE FROM rate_limit_leases WHERE id = $2)
       UPDATE rate_limit_buckets
          SET tokens_available = LEAST($3::float8, tokens_available - $4::float8),
              paused_until = CASE WHEN $5::float8 > 0
                THEN GREATEST(paused_until, clock_timestamp() + $5::float8 * interval '1 millisecond')
                ELSE paused_until END,
              updated_at = now()
        WHERE key = $1`,
      // LEAST ignores NULL: without a tpm limit there is no capacity to clamp to.
      [key, leaseId, limits.tpm ? bucketCapacity(limits.tpm) : null, tokenDelta, pauseMs],
    );
  }

  /** Keeps a long call's slot from expiring under it. */
  async renew(leaseId: string, leaseTtlMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE rate_limit_leases SET expires_at = clock_timestamp() + $2 * interval '1 millisecond' WHERE id = $1`,
      [leaseId, leaseTtlMs],
    );
  }

  async #read(key: string): Promise<BucketRow | undefined> {
    const rows: BucketRow[] = await this.dataSource.query(
      `SELECT requests_available, tokens_available, ${epochMs('refilled_at')} AS refilled_at_ms,
              ${epochMs('paused_until')} AS paused_until_ms, version,
              (SELECT count(*)::int FROM rate_limit_leases
                WHERE bucket_key = $1 AND expires_at > clock_timestamp()) AS in_flight,
              ${epochMs('clock_timestamp()')} AS now_ms
         FROM rate_limit_buckets WHERE key = $1`,
      [key],
    );
    return rows[0];
  }

  async #create(key: string, limits: RateLimits): Promise<BucketRow> {
    const full = fullBucket(limits, 0);
    await this.dataSource.query(
      `INSERT INTO rate_limit_buckets (key, requests_available, tokens_available, refilled_at)
       VALUES ($1, $2, $3, clock_timestamp()) ON CONFLICT (key) DO NOTHING`,
      [key, full.requests, full.tokens],
    );
    return (await this.#read(key))!;
  }
}
