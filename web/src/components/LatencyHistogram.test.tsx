import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { makeResult } from '../testing/results';
import { LatencyHistogram, latencies } from './LatencyHistogram';

describe('LatencyHistogram', () => {
  it('bins the latencies of succeeded results only', () => {
    const results = [
      ...[100, 110, 120, 130].map((latency_ms) => makeResult({ latency_ms })),
      makeResult({ latency_ms: 2_000 }),
      makeResult({ status: 'failed', latency_ms: 30_000, llm_output: '', error: 'timeout' }),
    ];
    expect(latencies(results)).toEqual([100, 110, 120, 130, 2_000]);
    const { container } = render(() => <LatencyHistogram results={results} />);
    // Auto thresholds put the four fast results in one bin and the 2 s one in another.
    const bars = [...container.querySelectorAll('g[aria-label="rect"] rect')];
    expect(bars.map((b) => b.querySelector('title')?.textContent)).toEqual(['4 results', '1 results']);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[0]).toBeGreaterThan(3.5 * heights[1]);
    const ticks = [...container.querySelectorAll('g[aria-label="x-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    expect(ticks.some((t) => t?.replace(',', '') === '30000')).toBe(false);
  });

  it('shows an empty state when nothing has a latency', () => {
    const { getByText } = render(() => <LatencyHistogram results={[]} />);
    expect(getByText('No latencies yet.')).toBeTruthy();
  });
});
