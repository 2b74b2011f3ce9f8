import { describe, expect, it } from 'vitest';
import type { Progress } from '../api/client';
import { progressView } from './progress';

const p = (over: Partial<Progress>): Progress => ({
  status: 'running',
  phase: 'generating',
  total: 21,
  done: 0,
  failed: 0,
  chunksDone: 0,
  chunkCount: 3,
  judgeErrors: 0,
  source: 'workflow',
  ...over,
});
const run = { status: 'running', total_samples: 21 };

describe('progressView', () => {
  it('never says fewer are done than the rows already stored', () => {
    const v = progressView(p({ done: 0 }), run, 17);
    expect(v.done).toBe(17);
    expect(v.text).toBe('Generating and judging: 17 of 21 samples');
  });

  it('is past planning once results exist', () => {
    expect(
      progressView(p({ phase: 'planning', total: 21, done: 21, source: 'database' }), run, 21).phase,
    ).not.toBe('planning');
    expect(progressView(p({ phase: 'planning', total: 0 }), run, 0).text).toBe('Planning: 0 of 21 samples');
  });

  it('caps done at the total and names failures', () => {
    const v = progressView(p({ done: 25, failed: 2, judgeErrors: 1 }), run, 30);
    expect(v.done).toBe(21);
    expect(v.text).toBe('Generating and judging: 21 of 21 samples · 2 failed · 1 judge errors');
  });

  it('uses the run before any progress arrived', () => {
    expect(progressView(null, { status: 'pending', total_samples: 30 }, 0).text).toBe(
      'Planning: 0 of 30 samples',
    );
  });
});
