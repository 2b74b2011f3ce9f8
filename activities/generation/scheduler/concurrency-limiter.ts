/** Releases a slot; calling it more than once is harmless. */
export type ReleaseSlot = () => void;

interface Waiter {
  priority: number;
  grant: (release: ReleaseSlot) => void;
}

/** What a waiter without a priority gets: after every prioritised one, first come first served. */
export const LOWEST_PRIORITY = Number.MAX_SAFE_INTEGER;

/**
 * An in-process semaphore whose limit can change while it is in use (adaptive concurrency lowers it on
 * 429s). Waiters are served by priority (lower first), first come first served among equals. Waiting is
 * abortable: a cancelled activity stops queueing at once.
 */
export class ConcurrencyLimiter {
  #limit: number;
  #active = 0;
  #waiters: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  get limit() {
    return this.#limit;
  }

  get active() {
    return this.#active;
  }

  get waiting() {
    return this.#waiters.length;
  }

  setLimit(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#drain();
  }

  acquire(signal?: AbortSignal, priority = LOWEST_PRIORITY): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.splice(this.#insertionIndex(priority), 0, waiter);
      this.#drain();
    });
  }

  /** After every waiter of the same or a higher priority (binary search; the queue stays sorted). */
  #insertionIndex(priority: number): number {
    let low = 0;
    let high = this.#waiters.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#waiters[mid].priority <= priority) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #drain() {
    while (this.#active < this.#limit && this.#waiters.length > 0) {
      const waiter = this.#waiters.shift()!;
      this.#active++;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        this.#active--;
        this.#drain();
      });
    }
  }
}
