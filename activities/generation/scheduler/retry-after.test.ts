import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry-after.js';

const headers = (h: Record<string, string>) => new Headers(h);
const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': '3' }), NOW)).toBe(3_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:07 GMT' }), NOW)).toBe(7_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }), NOW)).toBe(0);
  });

  it('prefers retry-after-ms (OpenAI) over retry-after', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1250', 'retry-after': '2' }), NOW)).toBe(1_250);
  });

  it('returns undefined when absent or unreadable', () => {
    expect(parseRetryAfterMs(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, NOW)).toBeUndefined();
  });
});
