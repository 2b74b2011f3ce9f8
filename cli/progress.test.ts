import { describe, expect, it } from 'vitest';
import { createProgressReporter, type RunProgress } from './progress.js';

function capture() {
  const writes: string[] = [];
  return { stream: { write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

const at = (done: number, phase = 'generating', failed = 0): RunProgress => ({
  status: 'running',
  phase,
  total: 100,
  done,
  failed,
});

describe('progress reporter', () => {
  it('redraws one bar in place on a terminal', () => {
    const { stream, writes } = capture();
    const p = createProgressReporter(stream, { interactive: true, quiet: false, runId: 'r1' });
    p.update(at(0));
    p.update(at(45, 'generating', 2));
    p.finish();
    expect(writes).toHaveLength(3);
    const ERASE_LINE = '\r\u001b[2K';
    expect(writes[1].startsWith(ERASE_LINE)).toBe(true);
    expect(writes[1].slice(ERASE_LINE.length)).toMatch(
      /^generating +█{14}░{16} 45\/100 \(45%\) {2}2 failed$/,
    );
    expect(writes[2]).toBe('\n');
  });

  it('writes a plain line per phase change and per 10% in CI logs', () => {
    const { stream, writes } = capture();
    const p = createProgressReporter(stream, { interactive: false, quiet: false, runId: 'r1' });
    for (const done of [0, 3, 9, 10, 15, 20, 20]) p.update(at(done));
    p.update(at(20, 'summarizing'));
    p.finish();
    expect(writes).toEqual([
      'evalforge: run r1 generating 0/100 (0%)\n',
      'evalforge: run r1 generating 10/100 (10%)\n',
      'evalforge: run r1 generating 20/100 (20%)\n',
      'evalforge: run r1 summarizing 20/100 (20%)\n',
    ]);
  });

  it('stays silent with --json', () => {
    const { stream, writes } = capture();
    const p = createProgressReporter(stream, { interactive: true, quiet: true, runId: 'r1' });
    p.update(at(50));
    p.finish();
    expect(writes).toEqual([]);
  });
});
