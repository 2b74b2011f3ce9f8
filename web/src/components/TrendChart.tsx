import * as Plot from '@observablehq/plot';
import { Show } from 'solid-js';
import type { Trends } from '../api/client';
import { judgeLabel, pct } from '../lib/format';
import { PlotFigure } from './PlotFigure';

export type TrendMetric = 'pass_rate' | 'mean_score';

export interface TrendRow {
  judge: string;
  run_id: string;
  date: Date;
  value: number;
  regression: boolean;
  branch: string | null;
}

export function trendRows(trends: Trends, metric: TrendMetric): TrendRow[] {
  return trends.series.flatMap((s) =>
    s.points
      .filter((p) => p[metric] !== null)
      .map((p) => ({
        judge: judgeLabel(s.judge_type),
        run_id: p.run_id,
        date: new Date(p.created_at),
        value: p[metric] as number,
        regression: p.regression,
        branch: p.git_branch,
      })),
  );
}

/** Per-judge lines over runs; a red ✕ marks a run that regressed on that judge. */
export function TrendChart(props: { trends: Trends; metric: TrendMetric }) {
  const rows = () => trendRows(props.trends, props.metric);
  return (
    <Show when={rows().length} fallback={<p class="muted">No completed runs with scores yet.</p>}>
      <PlotFigure
        label={`Trend of ${props.metric === 'pass_rate' ? 'pass rate' : 'mean score'} per judge over ${new Set(rows().map((r) => r.run_id)).size} runs`}
        class="trend"
        render={(width) => {
          const title = (r: TrendRow) =>
            `${r.judge}: ${pct(r.value, 1)} · ${r.date.toLocaleString()}${r.branch ? ` · ${r.branch}` : ''}${r.regression ? ' · REGRESSION' : ''}`;
          return Plot.plot({
            document,
            width: Math.min(width, 960),
            height: 320,
            y: {
              domain: [0, 1],
              grid: true,
              label: props.metric === 'pass_rate' ? 'pass rate' : 'mean score',
              tickFormat: '.0%',
            },
            x: { type: 'utc', label: null },
            color: { legend: true },
            marks: [
              Plot.line(rows(), { x: 'date', y: 'value', stroke: 'judge' }),
              Plot.dot(rows(), { x: 'date', y: 'value', fill: 'judge', r: 3, title }),
              Plot.dot(
                rows().filter((r) => r.regression),
                {
                  x: 'date',
                  y: 'value',
                  symbol: 'times',
                  r: 7,
                  stroke: '#d11',
                  strokeWidth: 2.5,
                  title,
                  ariaLabel: 'regression',
                },
              ),
            ],
          });
        }}
      />
    </Show>
  );
}
