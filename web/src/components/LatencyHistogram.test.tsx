import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { countTicks, LatencyHistogram, type LatencyHistogramData } from './LatencyHistogram';

const histogram = (
  bins: [number, number][],
  extra: Partial<LatencyHistogramData> = {},
): LatencyHistogramData => ({
  run_id: '00000000-0000-4000-8000-000000000001',
  count: bins.reduce((n, [, c]) => n + c, 0),
  excluded: 0,
  min_ms: bins[0]?.[0] ?? null,
  max_ms: bins.length ? bins[bins.length - 1][0] + 99 : null,
  p50_ms: 150,
  p95_ms: 2_100,
  bin_width_ms: bins.length ? 100 : null,
  bins: bins.map(([lower_ms, count]) => ({ lower_ms, upper_ms: lower_ms + 100, count })),
  ...extra,
});

describe('LatencyHistogram', () => {
  it("draws the API's bins as they are, with heights by count and the run-wide totals in words", () => {
    const h = histogram(
      [
        [100, 1_200],
        [200, 300],
        [300, 0],
        [400, 12],
      ],
      { excluded: 7 },
    );
    const { container, getByTestId } = render(() => <LatencyHistogram histogram={h} />);
    const bars = [...container.querySelectorAll('.histogram g[aria-label="rect"] rect')];
    expect(bars.map((b) => b.querySelector('title')?.textContent)).toEqual([
      '1,200 results, 100 ms–200 ms',
      '300 results, 200 ms–300 ms',
      '0 results, 300 ms–400 ms',
      '12 results, 400 ms–500 ms',
    ]);
    const heights = bars.map((b) => Number(b.getAttribute('height') ?? 0));
    // 1,200 vs 300 results: four times as tall, give or take the bars' inset.
    expect(heights[0] / heights[1]).toBeGreaterThan(3.8);
    expect(heights[0] / heights[1]).toBeLessThan(4.3);
    expect(heights[2]).toBeLessThan(1);
    expect(heights[3]).toBeLessThan(heights[1] / 10);
    // Bars sit side by side in latency order.
    const xs = bars.map((b) => Number(b.getAttribute('x')));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(getByTestId('latency-caption').textContent).toBe(
      'All 1,512 succeeded results of the run, in 100 ms bins · p50 150 ms · p95 2.1 s. 7 failed or pending results left out.',
    );
  });

  it('shows an empty state when nothing has a latency', () => {
    const { getByText, container } = render(() => <LatencyHistogram histogram={histogram([])} />);
    expect(getByText('No latencies yet.')).toBeTruthy();
    expect(container.querySelector('.histogram')).toBeNull();
  });

  it('ticks the count axis at whole numbers only', () => {
    const bins = (...counts: number[]) => counts.map((count, i) => ({ lower_ms: i, upper_ms: i + 1, count }));
    expect(countTicks(bins(1, 2, 1))).toEqual([0, 1, 2]);
    expect(countTicks(bins())).toEqual([0]);
    // Larger counts keep Plot's own ticks, whole numbers at that range.
    expect(countTicks(bins(3, 40))).toBeUndefined();
  });
});
