export { AdaptiveConcurrency } from './adaptive-concurrency.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './backoff.js';
export { ConcurrencyLimiter, type ReleaseSlot } from './concurrency-limiter.js';
export * from './constants.js';
export { type CallReport, EndpointLimiter, type EndpointLimits, type Permit } from './endpoint-limiter.js';
export { LatencyTracker } from './latency-tracker.js';
export { LimiterRegistry, limiterRegistryFor } from './limiter-registry.js';
export { type HeaderLookup, parseRetryAfterMs } from './retry-after.js';
export { SharedLimiterStore, type SlotBatch, type SlotRelease } from './shared-limiter-store.js';
export {
  type BucketDecision,
  type BucketState,
  bucketCapacity,
  decide,
  fullBucket,
  type RateLimits,
  refill,
} from './token-bucket.js';
