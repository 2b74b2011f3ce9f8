import * as Plot from '@observablehq/plot';
import { Show } from 'solid-js';
import type { Schemas } from '../api/client';
import { int, ms } from '../lib/format';
import { PlotFigure } from './PlotFigure';

export type LatencyHistogramData = Schemas['LatencyHistogram'];
type Bin = LatencyHistogramData['bins'][number];

const HISTOGRAM_HEIGHT = 220;

export const binTitle = (b: Bin) => `${int(b.count)} results, ${ms(b.lower_ms)}–${ms(b.upper_ms)}`;

/** What the chart covers, in words: every succeeded result of the run, binned by the API. */
/**
 * Counts are whole numbers: with few results Plot's default ticks would include 0.5, 1.5…, so small
 * maxima get one tick per integer; larger ones keep Plot's ticks (whole numbers at that range).
 */
export function countTicks(bins: readonly Bin[]): number[] | undefined {
  const max = Math.max(0, ...bins.map((b) => b.count));
  return max <= 10 ? Array.from({ length: max + 1 }, (_, i) => i) : undefined;
}

export function histogramCaption(h: LatencyHistogramData) {
  if (h.count === 0) return 'No latencies yet.';
  const left = h.excluded ? ` ${int(h.excluded)} failed or pending results left out.` : '';
  return `All ${int(h.count)} succeeded results of the run, in ${ms(h.bin_width_ms)} bins · p50 ${ms(h.p50_ms)} · p95 ${ms(h.p95_ms)}.${left}`;
}

/** The run's latency distribution from GET /api/eval/runs/{id}/latency-histogram (binned in SQL). */
export function LatencyHistogram(props: { histogram: LatencyHistogramData }) {
  return (
    <>
      <p class="muted" data-testid="latency-caption">
        {histogramCaption(props.histogram)}
      </p>
      <Show when={props.histogram.bins.length}>
        <PlotFigure
          label={`Latency histogram of ${props.histogram.count} results`}
          caption="Bars: how many succeeded results took each latency (x: model call latency in milliseconds, y: number of results); the red rule marks the median (p50)."
          class="histogram"
          render={(width) =>
            Plot.plot({
              document,
              width: Math.min(width, 720),
              height: HISTOGRAM_HEIGHT,
              marginBottom: 40,
              x: { label: 'Latency (ms) →', labelAnchor: 'right', labelArrow: 'none' },
              y: {
                label: '↑ Results (count)',
                grid: true,
                ticks: countTicks(props.histogram.bins),
                tickFormat: int,
              },
              marks: [
                Plot.rectY(props.histogram.bins, {
                  x1: 'lower_ms',
                  x2: 'upper_ms',
                  y: 'count',
                  title: binTitle,
                  fill: '#4f6bed',
                  inset: 1,
                }),
                Plot.ruleY([0]),
                ...(props.histogram.p50_ms !== null
                  ? [Plot.ruleX([props.histogram.p50_ms], { stroke: '#b02525', strokeDasharray: '4 3' })]
                  : []),
              ],
            })
          }
        />
      </Show>
    </>
  );
}
