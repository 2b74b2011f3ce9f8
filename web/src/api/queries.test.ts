import { describe, expect, it } from 'vitest';
import * as queries from './queries';

describe('queries', () => {
  it('have unique names, none a prefix of another (revalidate matches keys by prefix)', () => {
    const keys = Object.values(queries)
      .filter((q): q is typeof q & { key: string } => typeof q === 'function' && 'key' in q)
      .map((q) => q.key);
    expect(keys.length).toBeGreaterThan(10);
    for (const a of keys)
      for (const b of keys) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).toBe(false);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
