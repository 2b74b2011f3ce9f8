import { setTimeout as delay } from 'node:timers/promises';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import {
  LEASE_HANDOFF_WINDOW_MS,
  LEASE_RENEW_INTERVAL_MS,
  RATE_LIMIT_BURST_CALLS,
  RATE_LIMIT_BURST_MIN_429S,
  RATE_LIMIT_BURST_PAUSE_MAX_MS,
  RATE_LIMIT_BURST_WINDOW_MS,
  RETRY_BASE_DELAY_MS,
  SLOT_BATCH_MAX,
  SLOT_POLL_MAX_MS,
  SLOT_POLL_MIN_MS,
} from './constants.js';
import { LatencyTracker } from './latency-tracker.js';
import type { SharedLimiterStore } from './shared-limiter-store.js';
import type { RateLimits } from './token-bucket.js';

export interface EndpointLimits extends RateLimits {
  /** How long a slot survives its holder's death (renewed while the call runs). */
  leaseTtlMs: number;
}

export interface CallReport {
  /** Tokens the call actually used (0 when it failed). */
  tokensUsed: number;
  rateLimited?: boolean;
  /** The 429's Retry-After: delays that request only (the caller's retry), and sizes a burst pause. */
  retryAfterMs?: number;
}

export interface Permit {
  /** Hand the slot back; call exactly once when the call has ended, whatever its outcome. */
  release(report: CallReport): Promise<void>;
}

/** A shared concurrency slot (a lease row) and when this process took it from the store. */
interface Lease {
  id: string;
  takenAtMs: number;
}

interface SlotRequest {
  tokens: number;
  grant(lease: Lease): void;
  fail(err: unknown): void;
}

/**
 * Every model call to one endpoint goes through here: first this process's adaptive concurrency
 * (no database work while the process itself is at its limit), then the shared store. Requests for
 * shared slots queue up and one pump per process serves them in batches, so a busy worker needs a
 * couple of database round trips per batch rather than per call, and polls with one connection.
 * A finished call hands its lease straight to the next call waiting in this process when only
 * concurrency is limited (see LEASE_HANDOFF_WINDOW_MS), so a saturated endpoint costs no round trip per call.
 * A 429 delays only the request that got it (the caller retries after its Retry-After); the endpoint reacts
 * by adaptive concurrency, and by a short pause for every worker only in a 429 burst (#burstPauseMs).
 */
export class EndpointLimiter {
  readonly adaptive: AdaptiveConcurrency;
  readonly local: ConcurrencyLimiter;
  /** Recent successful latencies of this process's calls: the per-attempt deadline and hedging delay. */
  readonly latency = new LatencyTracker();
  #limits: EndpointLimits;
  #queue: SlotRequest[] = [];
  /** Leases handed off by finished calls, waiting for the call that gets their local slot. */
  #spare: Lease[] = [];
  #pumping = false;
  /** How this process's last RATE_LIMIT_BURST_CALLS calls ended (performance.now(), 429 or not). */
  #recent: Array<{ atMs: number; rateLimited: boolean }> = [];
  /** performance.now() until which the endpoint is paused for a 429 burst, as far as this process knows
   * (its own burst, or the store's pause met by the pump): no lease is handed off in-process until then. */
  #pausedUntilMs = 0;

  constructor(
    readonly key: string,
    limits: EndpointLimits,
    private readonly store: SharedLimiterStore,
  ) {
    this.#limits = limits;
    this.adaptive = new AdaptiveConcurrency(limits.concurrency);
    this.local = new ConcurrencyLimiter(limits.concurrency);
  }

  get limits(): EndpointLimits {
    return this.#limits;
  }

  /** Endpoint config can change between runs; the same process keeps one limiter per endpoint. */
  setLimits(limits: EndpointLimits) {
    this.#limits = limits;
    this.adaptive.setMax(limits.concurrency);
    this.local.setLimit(this.adaptive.current);
  }

  /** `priority`: lower is served first by this process (see ConcurrencyLimiter); the shared store is
   * first come first served across workers. */
  async acquire(estimatedTokens: number, signal?: AbortSignal, priority?: number): Promise<Permit> {
    const releaseLocal = await this.local.acquire(signal, priority);
    let lease: Lease;
    try {
      lease = await this.#sharedSlot(estimatedTokens, signal);
    } catch (err) {
      releaseLocal();
      throw err;
    }
    const limits = this.#limits;
    const renewal = setInterval(
      () => {
        // A failed renewal is retried at the next tick; the lease only lapses if the database stays away.
        this.store.renew(lease.id, limits.leaseTtlMs).catch(() => {});
      },
      Math.min(LEASE_RENEW_INTERVAL_MS, limits.leaseTtlMs / 3),
    );
    renewal.unref();
    let released = false;
    return {
      release: async (report) => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        const pauseMs = this.#burstPauseMs(report);
        try {
          if (pauseMs === undefined && this.#handOff(lease, limits)) return;
          await this.store.release(this.key, lease.id, limits, {
            tokenDelta: report.tokensUsed - estimatedTokens,
            pauseMs,
          });
        } finally {
          this.local.setLimit(this.#adapt(report));
          releaseLocal();
        }
      },
    };
  }

  /**
   * Gives a finished call's lease to the next call of this process, skipping the store's release and
   * acquire: straight to a call already queued for a shared slot, or parked for the call about to get the
   * local slot this release frees (returned to the store if nobody takes it by the next turn of the event
   * loop). Only when nothing but concurrency is limited (rpm/tpm need each request to pass the token
   * bucket), the endpoint is not paused for a 429 burst (a pause must hold in-process as in the store; a
   * single 429 pauses nothing but its own request, so its lease is handed off like any other), and the
   * lease is younger than the hand-off window (so every slot regularly goes back to the store, where other
   * workers can win it — and where this process meets a pause another worker recorded).
   */
  #handOff(lease: Lease, limits: EndpointLimits): boolean {
    if (limits.rpm || limits.tpm || this.#paused()) return false;
    if (performance.now() - lease.takenAtMs > LEASE_HANDOFF_WINDOW_MS) return false;
    const queued = this.#queue.shift();
    if (queued) {
      queued.grant(lease);
      return true;
    }
    if (this.local.waiting === 0) return false;
    this.#spare.push(lease);
    setImmediate(() => {
      const index = this.#spare.indexOf(lease);
      if (index < 0) return;
      this.#spare.splice(index, 1);
      this.store.release(this.key, lease.id, limits, { tokenDelta: 0 }).catch(() => {
        // The lease expires on its own (LEASE_TTL_MS) if the database is away.
      });
    });
    return true;
  }

  /** The endpoint's answer to 429s, with or without Retry-After (the Retry-After itself delays only the
   * request that got it): multiplicative decrease of this worker's concurrency, additive recovery. */
  #adapt(report: CallReport): number {
    if (!report.rateLimited) return this.adaptive.onSuccess();
    return this.adaptive.onRateLimited();
  }

  #paused(): boolean {
    return performance.now() < this.#pausedUntilMs;
  }

  /**
   * Records how the call ended; when it completes a 429 burst (RATE_LIMIT_BURST_MIN_429S of the last
   * RATE_LIMIT_BURST_CALLS within RATE_LIMIT_BURST_WINDOW_MS, see constants.ts), the endpoint-wide pause to
   * record in the store and to hold in this process. The history starts afresh after a burst, so the 429s
   * of the wave that caused it do not extend the pause one by one.
   */
  #burstPauseMs(report: CallReport): number | undefined {
    const nowMs = performance.now();
    this.#recent.push({ atMs: nowMs, rateLimited: report.rateLimited === true });
    if (this.#recent.length > RATE_LIMIT_BURST_CALLS) this.#recent.shift();
    if (!report.rateLimited) return undefined;
    const limited = this.#recent.filter((c) => c.rateLimited && nowMs - c.atMs <= RATE_LIMIT_BURST_WINDOW_MS);
    if (limited.length < RATE_LIMIT_BURST_MIN_429S) return undefined;
    this.#recent = [];
    const pauseMs = Math.min(report.retryAfterMs ?? RETRY_BASE_DELAY_MS, RATE_LIMIT_BURST_PAUSE_MAX_MS);
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, nowMs + pauseMs);
    return pauseMs;
  }

  #sharedSlot(tokens: number, signal?: AbortSignal): Promise<Lease> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const spare = this.#paused() ? undefined : this.#spare.shift();
    if (spare) return Promise.resolve(spare);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(request);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      const request: SlotRequest = {
        tokens,
        grant: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) {
            // Granted just as its caller gave up: hand the slot straight back.
            this.store.release(this.key, lease.id, this.#limits, { tokenDelta: -tokens }).catch(() => {});
            reject(signal.reason);
          } else {
            resolve(lease);
          }
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(request);
      void this.#pump();
    });
  }

  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    let pollMs = SLOT_POLL_MIN_MS;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.slice(0, SLOT_BATCH_MAX);
        const { leaseIds, refusal } = await this.store.tryAcquire(
          this.key,
          this.#limits,
          batch.map((r) => r.tokens),
          this.#limits.leaseTtlMs,
        );
        const takenAtMs = performance.now();
        for (const [i, leaseId] of leaseIds.entries()) {
          const request = batch[i];
          const index = this.#queue.indexOf(request);
          if (index >= 0) {
            this.#queue.splice(index, 1);
            request.grant({ id: leaseId, takenAtMs });
          } else {
            // Its caller aborted, or got a handed-off lease, while the batch was being decided.
            await this.store.release(this.key, leaseId, this.#limits, { tokenDelta: -request.tokens });
          }
        }
        if (leaseIds.length > 0 || !refusal) {
          pollMs = SLOT_POLL_MIN_MS;
          continue;
        }
        if (refusal.reason === 'paused') {
          // Possibly another worker's burst: hand-offs in this process must honour it too.
          this.#pausedUntilMs = Math.max(this.#pausedUntilMs, performance.now() + refusal.waitMs);
        }
        // Rate and pause waits are exact; a full slot table frees at an unknown moment, so poll.
        await delay(refusal.waitMs > 0 ? refusal.waitMs : pollMs);
        pollMs = Math.min(SLOT_POLL_MAX_MS, pollMs * 2);
      }
    } catch (err) {
      // The database is unreachable: every waiter fails (its activity is retried by Temporal).
      for (const request of this.#queue.splice(0)) request.fail(err);
    } finally {
      this.#pumping = false;
    }
  }
}
