import { setTimeout as delay } from 'node:timers/promises';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { LEASE_RENEW_INTERVAL_MS, SLOT_BATCH_MAX, SLOT_POLL_MAX_MS, SLOT_POLL_MIN_MS } from './constants.js';
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
  retryAfterMs?: number;
}

export interface Permit {
  /** Hand the slot back; call exactly once when the call has ended, whatever its outcome. */
  release(report: CallReport): Promise<void>;
}

interface SlotRequest {
  tokens: number;
  grant(leaseId: string): void;
  fail(err: unknown): void;
}

/**
 * Every model call to one endpoint goes through here: first this process's adaptive concurrency
 * (no database work while the process itself is at its limit), then the shared store. Requests for
 * shared slots queue up and one pump per process serves them in batches, so a busy worker needs a
 * couple of database round trips per batch rather than per call, and polls with one connection.
 */
export class EndpointLimiter {
  readonly adaptive: AdaptiveConcurrency;
  readonly local: ConcurrencyLimiter;
  #limits: EndpointLimits;
  #queue: SlotRequest[] = [];
  #pumping = false;

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

  async acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    const releaseLocal = await this.local.acquire(signal);
    let leaseId: string;
    try {
      leaseId = await this.#sharedSlot(estimatedTokens, signal);
    } catch (err) {
      releaseLocal();
      throw err;
    }
    const limits = this.#limits;
    const renewal = setInterval(
      () => {
        // A failed renewal is retried at the next tick; the lease only lapses if the database stays away.
        this.store.renew(leaseId, limits.leaseTtlMs).catch(() => {});
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
        try {
          await this.store.release(this.key, leaseId, limits, {
            tokenDelta: report.tokensUsed - estimatedTokens,
            pauseMs: report.rateLimited ? report.retryAfterMs : undefined,
          });
        } finally {
          this.local.setLimit(this.#adapt(report));
          releaseLocal();
        }
      },
    };
  }

  /** A 429 with Retry-After is already answered by pausing the endpoint for that long (all workers);
   * halving concurrency on top would punish the same signal twice. A bare 429 is the only hint we get,
   * so that one shrinks this worker's concurrency. */
  #adapt(report: CallReport): number {
    if (!report.rateLimited) return this.adaptive.onSuccess();
    if (report.retryAfterMs !== undefined) return this.adaptive.current;
    return this.adaptive.onRateLimited();
  }

  #sharedSlot(tokens: number, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(request);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      const request: SlotRequest = {
        tokens,
        grant: (leaseId) => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) {
            // Granted just as its caller gave up: hand the slot straight back.
            this.store.release(this.key, leaseId, this.#limits, { tokenDelta: -tokens }).catch(() => {});
            reject(signal.reason);
          } else {
            resolve(leaseId);
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
        for (const [i, leaseId] of leaseIds.entries()) {
          const request = batch[i];
          const index = this.#queue.indexOf(request);
          if (index >= 0) {
            this.#queue.splice(index, 1);
            request.grant(leaseId);
          } else {
            // Its caller aborted while the batch was being decided.
            await this.store.release(this.key, leaseId, this.#limits, { tokenDelta: -request.tokens });
          }
        }
        if (leaseIds.length > 0 || !refusal) {
          pollMs = SLOT_POLL_MIN_MS;
          continue;
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
