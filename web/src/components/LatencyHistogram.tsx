import * as Plot from '@observablehq/plot';
import { Show } from 'solid-js';
import type { Result } from '../api/client';
import { PlotFigure } from './PlotFigure';

const HISTOGRAM_HEIGHT = 220;

export function latencies(results: Result[]) {
  return results
    .filter((r) => r.status === 'succeeded' && r.latency_ms !== null)
    .map((r) => r.latency_ms as number);
}

export function LatencyHistogram(props: { results: Result[] }) {
  const values = () => latencies(props.results);
  return (
    <Show when={values().length} fallback={<p class="muted">No latencies yet.</p>}>
      <PlotFigure
        label={`Latency histogram of ${values().length} results`}
        class="histogram"
        render={(width) =>
          Plot.plot({
            document,
            width: Math.min(width, 720),
            height: HISTOGRAM_HEIGHT,
            x: { label: 'latency (ms)' },
            y: { label: 'results', grid: true },
            marks: [
              Plot.rectY(
                values(),
                Plot.binX<Plot.RectYOptions>(
                  { y: 'count', title: (bin: number[]) => `${bin.length} results` },
                  { x: (d: number) => d, fill: '#4f6bed', inset: 1 },
                ),
              ),
              Plot.ruleY([0]),
            ],
          })
        }
      />
    </Show>
  );
}
