/**
 * A basic per-key rate limit: a token bucket per API key (and one for the admin key) holding
 * `rateLimitPerMinute` tokens, refilled continuously. An empty bucket answers 429 with Retry-After.
 * Keyless dev-mode requests are not limited. In-process state: with several API replicas each
 * enforces its own share, which is enough to stop a runaway client.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
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

/**
 * Failed authentication per client address: a request whose key is malformed, unknown or revoked is a
 * failure; after FAILED_AUTH_MAX_ATTEMPTS of them within FAILED_AUTH_WINDOW_MS from one address, every
 * request from it that carries a key answers 429 (Retry-After: the rest of the window) before the key is
 * looked at, so guessing keys from one address stops and tells nothing. Other addresses are unaffected.
 * A request without a key is not an attempt. In-process state, per API replica.
 */
export const FAILED_AUTH_MAX_ATTEMPTS = 20;
export const FAILED_AUTH_WINDOW_MS = 5 * 60_000;
/** Past this many addresses, expired windows and then the oldest are dropped: memory stays bounded. */
const MAX_TRACKED_ADDRESSES = 10_000;

export class FailedAuthLimiter {
  private readonly windows = new Map<string, { failures: number; startedAt: number }>();
  constructor(
    private readonly maxAttempts = FAILED_AUTH_MAX_ATTEMPTS,
    private readonly windowMs = FAILED_AUTH_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this address may present a key again; 0 when it may now. */
  blockedForS(address: string): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    const left = w.startedAt + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return w.failures >= this.maxAttempts ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    let w = this.windows.get(address);
    if (!w || now - w.startedAt >= this.windowMs) {
      w = { failures: 0, startedAt: now };
      this.windows.delete(address);
      this.windows.set(address, w);
    }
    w.failures++;
    if (this.windows.size > MAX_TRACKED_ADDRESSES) this.evict(now);
  }

  private evict(now: number) {
    for (const [address, w] of this.windows) {
      if (now - w.startedAt >= this.windowMs) this.windows.delete(address);
    }
    // Oldest windows first (Map keeps insertion order).
    for (const address of this.windows.keys()) {
      if (this.windows.size <= MAX_TRACKED_ADDRESSES) break;
      this.windows.delete(address);
    }
  }

  /** Throws 429 with Retry-After while `address` is over its limit. */
  refuseWhileBlocked(c: Context, address: string | null): void {
    const retryAfterS = address === null ? 0 : this.blockedForS(address);
    if (retryAfterS === 0) return;
    c.header('Retry-After', String(retryAfterS));
    throw new ApiError(
      429,
      'rate_limited',
      `too many failed authentication attempts from this address: retry in ${retryAfterS} s`,
      { retry_after_s: retryAfterS },
    );
  }
}

/**
 * The key one client's failures count under: its IP address as the socket reports it (getConnInfo),
 * IPv4-mapped IPv6 written as IPv4, and IPv6 cut to its /64 (one host usually holds a whole /64).
 * With `trustedProxyHops` = N reverse proxies in front, the address the outermost of them saw: the Nth
 * X-Forwarded-For entry from the right (entries further left are the client's to write, never trusted).
 * Null when the request has no socket (in-process requests in tests): nothing to count under.
 */
export function clientAddress(c: Context, trustedProxyHops = 0): string | null {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    address = undefined;
  }
  if (address && trustedProxyHops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    address = forwarded[forwarded.length - trustedProxyHops] ?? address;
  }
  return address ? addressKey(address) : null;
}

export function addressKey(address: string): string {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1];
  if (mapped) return mapped;
  if (!a.includes(':')) return a;
  // Expand :: and keep the first four groups.
  const [head, tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
