/** Releases a slot; calling it more than once is harmless. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
}

/**
 * An in-process FIFO semaphore whose limit can change while it is in use (adaptive concurrency
 * lowers it on 429s). Waiting is abortable: a cancelled activity stops queueing at once.
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

  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
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
      this.#waiters.push(waiter);
      this.#drain();
    });
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
