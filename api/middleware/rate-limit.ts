/**
 * A basic per-key rate limit: a token bucket per API key (and one for the admin key) holding
 * `rateLimitPerMinute` tokens, refilled continuously. An empty bucket answers 429 with Retry-After.
 * Keyless dev-mode requests are not limited. In-process state: with several API replicas each
 * enforces its own share, which is enough to stop a runaway client.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { resolveSettings } from '../settings.js';
import type { ApiEnv } from './context.js';

/** Full buckets are dropped past this many keys, so the map stays bounded. */
const MAX_TRACKED_KEYS = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; returns the seconds to wait when there is none. */
  take(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterS: number } {
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.updatedAt) * ratePerMs);
    b.updatedAt = now;
    this.buckets.set(key, b);
    if (this.buckets.size > MAX_TRACKED_KEYS) this.evictFull();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens) };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
  }

  private evictFull() {
    const now = this.now();
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedAt) * (this.perMinute / 60_000) >= this.perMinute)
        this.buckets.delete(key);
    }
  }
}

export function rateLimit(deps: Pick<ApiDeps, 'settings'>): MiddlewareHandler<ApiEnv> {
  let buckets: TokenBuckets | undefined;
  return async (c, next) => {
    const { rateLimitPerMinute } = resolveSettings(deps.settings);
    const auth = c.get('auth');
    if (rateLimitPerMinute === 0 || !auth || auth.kind === 'anonymous') return next();
    buckets ??= new TokenBuckets(rateLimitPerMinute);
    const key = auth.kind === 'project_key' ? auth.keyId : 'admin';
    const verdict = buckets.take(key);
    c.header('RateLimit-Limit', String(rateLimitPerMinute));
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterS));
      c.header('RateLimit-Remaining', '0');
      throw new ApiError(
        429,
        'rate_limited',
        `rate limit of ${rateLimitPerMinute} requests per minute reached`,
        {
          retry_after_s: verdict.retryAfterS,
        },
      );
    }
    c.header('RateLimit-Remaining', String(verdict.remaining));
    return next();
  };
}
