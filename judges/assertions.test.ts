import { describe, expect, it } from 'vitest';
import { createAssertionsJudge } from './assertions.js';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';

runJudgeConformance({ name: 'assertions', create: () => createAssertionsJudge(), needsReference: true });

async function run(assertions: unknown[], output: string, reference: string | null = null) {
  const [r] = await createAssertionsJudge({ config: { assertions } }).evaluateBatch([
    { id: 'x', output, reference },
  ]);
  return r;
}

describe('assertions judge', () => {
  it('equals the reference by default, trimmed', async () => {
    const judge = createAssertionsJudge();
    const [same, other] = await judge.evaluateBatch([
      { id: 'a', output: ' 42\n', reference: '42' },
      { id: 'b', output: '43', reference: '42' },
    ]);
    expect(same).toMatchObject({ score: 1, passed: true });
    expect(other).toMatchObject({ score: 0, passed: false });
  });

  it('supports contains, not_contains, regex, starts_with and ends_with, with case folding', async () => {
    const out = 'Hello World, your ticket is #123.';
    expect((await run([{ type: 'contains', value: 'ticket' }], out)).passed).toBe(true);
    expect((await run([{ type: 'contains', value: 'TICKET' }], out)).passed).toBe(false);
    expect((await run([{ type: 'contains', value: 'TICKET', case_sensitive: false }], out)).passed).toBe(
      true,
    );
    expect((await run([{ type: 'not_contains', value: 'sorry' }], out)).passed).toBe(true);
    expect((await run([{ type: 'regex', value: '#\\d{3}\\.$' }], out)).passed).toBe(true);
    expect((await run([{ type: 'starts_with', value: 'hello', case_sensitive: false }], out)).passed).toBe(
      true,
    );
    expect((await run([{ type: 'ends_with', value: '#124.' }], out)).passed).toBe(false);
  });

  it('scores the share of assertions that hold', async () => {
    const r = await run(
      [
        { type: 'contains', value: 'a' },
        { type: 'contains', value: 'z' },
        { type: 'starts_with', reference: true },
        { type: 'regex', value: '^b' },
      ],
      'abc',
      'ab',
    );
    expect(r.score).toBe(0.5);
    expect(r.details.checks).toEqual([
      { type: 'contains', passed: true },
      { type: 'contains', passed: false },
      { type: 'starts_with', passed: true },
      { type: 'regex', passed: false },
    ]);
  });

  it('errors one item whose reference is an invalid regex, not the batch', async () => {
    const judge = createAssertionsJudge({ config: { assertions: [{ type: 'regex', reference: true }] } });
    const [bad, good] = await judge.evaluateBatch([
      { id: 'a', output: 'x', reference: '(' },
      { id: 'b', output: 'abc', reference: 'b+' },
    ]);
    expect(bad.error).toMatch(/invalid/);
    expect(good.passed).toBe(true);
  });

  it('rejects assertions without a value or with a bad regex', () => {
    expect(() => createAssertionsJudge({ config: { assertions: [{ type: 'contains' }] } })).toThrow(
      JudgeConfigError,
    );
    expect(() => createAssertionsJudge({ config: { assertions: [{ type: 'regex', value: '[' }] } })).toThrow(
      /invalid/,
    );
  });
});
