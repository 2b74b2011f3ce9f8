import { describe, expect, it } from 'vitest';
import { gitHubRetryAfterMs } from './ci-events.js';

const error = (status: number, headers: Record<string, string>) => ({ status, response: { headers } });

describe('gitHubRetryAfterMs', () => {
  it('reads Retry-After (secondary limits) and the primary limit reset, nothing else', () => {
    expect(gitHubRetryAfterMs(error(429, { 'retry-after': '30' }))).toBe(30_000);
    expect(gitHubRetryAfterMs(error(403, { 'retry-after': '0' }))).toBe(0);
    const now = 1_700_000_000_000;
    expect(
      gitHubRetryAfterMs(
        error(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }),
        now,
      ),
    ).toBe(42_000);
    // Remaining calls left: a 403 for another reason (permissions) carries no advice.
    expect(
      gitHubRetryAfterMs(error(403, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' })),
    ).toBeNull();
    expect(gitHubRetryAfterMs(error(500, { 'retry-after': '5' }))).toBeNull();
    expect(gitHubRetryAfterMs(new Error('socket hang up'))).toBeNull();
  });
});
