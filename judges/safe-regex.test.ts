import { describe, expect, it } from 'vitest';
import { createAssertionsJudge } from './assertions.js';
import { createFormatJudge } from './format.js';
import { REGEX_TIME_LIMIT_MS, testRegexes } from './safe-regex.js';

/** ^(a+)+$ on "aaa…ab" backtracks through 2^n splits: seconds at 27 characters, far longer at 30. */
const EVIL = '^(a+)+$';
const EVIL_INPUT = `${'a'.repeat(30)}b`;

/** Runs `work` while a 5 ms timer ticks on this thread; returns the longest gap between ticks. */
async function longestTimerGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('safe regexes', () => {
  it('stops a catastrophic pattern, names it, and never blocks the event loop', async () => {
    let outcomes: Awaited<ReturnType<typeof testRegexes>> = [];
    const started = performance.now();
    const gap = await longestTimerGap(async () => {
      outcomes = await testRegexes([
        { source: EVIL, input: 'aaaa' },
        { source: EVIL, input: EVIL_INPUT },
        { source: EVIL, input: 'aaab' },
        { source: 'B$', flags: 'i', input: 'aaab' },
      ]);
    });
    const elapsed = performance.now() - started;
    expect(outcomes).toEqual([
      { matched: true },
      { error: expect.stringContaining('/^(a+)+$/ ran longer than') },
      { matched: false },
      { matched: true },
    ]);
    expect(elapsed).toBeLessThan(2 * REGEX_TIME_LIMIT_MS + 1_500); // stopped after one to two limits
    expect(gap).toBeLessThan(400); // the 5 ms timer kept ticking (slack for a loaded machine)
  });

  it('reports invalid patterns per task and keeps JavaScript regex semantics', async () => {
    expect(
      await testRegexes([
        { source: '(', input: 'x' },
        { source: '(?<=\\$)\\d+', input: 'costs $42' },
        { source: '(a)\\1', input: 'aa' },
      ]),
    ).toEqual([
      { error: expect.stringMatching(/^regex \/\(\/ is invalid/) },
      { matched: true },
      { matched: true },
    ]);
  });

  it('turns a pathological pattern into an error on that item in the format and assertions judges', async () => {
    const items = [
      { id: 'a', output: 'aaa' },
      { id: 'b', output: EVIL_INPUT },
      { id: 'c', output: 'aab' },
    ];
    const format = await createFormatJudge({ config: { regex: EVIL } }).evaluateBatch(items);
    expect(format.map((r) => r.passed)).toEqual([true, false, false]);
    expect(format[1]).toMatchObject({ score: null, error: expect.stringContaining(`/${EVIL}/`) });
    expect(format[2]).toMatchObject({ score: 0 });

    const assertions = await createAssertionsJudge({
      config: { assertions: [{ type: 'regex', value: EVIL }] },
    }).evaluateBatch(items);
    expect(assertions.map((r) => r.score)).toEqual([1, null, 0]);
    expect(assertions[1].error).toContain(`/${EVIL}/ ran longer than`);
  });
});
