import type { DataSource } from 'typeorm';
import { EndpointLimiter, type EndpointLimits } from './endpoint-limiter.js';
import { SharedLimiterStore } from './shared-limiter-store.js';

/** The limiters of one worker process: one per endpoint, shared by every chunk activity running in it. */
export class LimiterRegistry {
  readonly #limiters = new Map<string, EndpointLimiter>();

  constructor(readonly store: SharedLimiterStore) {}

  forEndpoint(endpointId: string, limits: EndpointLimits): EndpointLimiter {
    const key = `endpoint:${endpointId}`;
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = new EndpointLimiter(key, limits, this.store);
      this.#limiters.set(key, limiter);
    } else {
      limiter.setLimits(limits);
    }
    return limiter;
  }
}

// Keyed by the process's connection pool: every activity built on the same DataSource (one per
// worker process) shares in-process limits, while two DataSources behave like two workers.
const registries = new WeakMap<DataSource, LimiterRegistry>();

export function limiterRegistryFor(dataSource: DataSource): LimiterRegistry {
  let registry = registries.get(dataSource);
  if (!registry) {
    registry = new LimiterRegistry(new SharedLimiterStore(dataSource));
    registries.set(dataSource, registry);
  }
  return registry;
}
