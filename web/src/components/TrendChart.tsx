import * as Plot from '@observablehq/plot';
import { Show } from 'solid-js';
import type { Trends } from '../api/client';
import { judgeLabel, pct, shortDate } from '../lib/format';
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

const HOUR_MS = 3_600_000;
/** Date ticks as the rest of the dashboard writes dates: "Nov 26, 18:28". */
export const dateTick = (d: Date) => shortDate(d.toISOString());

/**
 * The x domain: the runs' span, padded so that a single run (or runs minutes apart) sits inside the
 * chart with formatted ticks, not on its edge with a raw timestamp.
 */
export function dateDomain(rows: TrendRow[]): [Date, Date] {
  const times = rows.map((r) => r.date.getTime());
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const pad = Math.max((hi - lo) * 0.05, HOUR_MS);
  return [new Date(lo - pad), new Date(hi + pad)];
}

/** Per-judge lines over runs; a red ✕ marks a run that regressed on that judge. */
export function TrendChart(props: { trends: Trends; metric: TrendMetric }) {
  const rows = () => trendRows(props.trends, props.metric);
  const runCount = () => new Set(rows().map((r) => r.run_id)).size;
  const metricName = () => (props.metric === 'pass_rate' ? 'pass rate' : 'mean score');
  return (
    <Show when={rows().length} fallback={<p class="muted">No completed runs with scores yet.</p>}>
      <PlotFigure
        label={`Trend of ${metricName()} per judge over ${runCount()} runs`}
        caption={`Each judge's ${metricName()} (y, 0–100%) per run, by the run's date (x); one colour per judge (legend above); a red ✕ marks a run that regressed on that judge.${runCount() === 1 ? ' Only one run so far: a line needs two.' : ''}`}
        class="trend"
        render={(width) => {
          const title = (r: TrendRow) =>
            `${r.judge}: ${pct(r.value, 1)} · ${dateTick(r.date)}${r.branch ? ` · ${r.branch}` : ''}${r.regression ? ' · REGRESSION' : ''}`;
          const data = rows();
          const regressions = data.filter((r) => r.regression);
          return Plot.plot({
            document,
            width: Math.min(width, 960),
            height: 320,
            marginBottom: 40,
            marginRight: 30,
            y: {
              domain: [0, 1],
              grid: true,
              label: `↑ ${props.metric === 'pass_rate' ? 'Pass rate' : 'Mean score'} (%)`,
              tickFormat: '.0%',
            },
            x: {
              type: 'utc',
              domain: dateDomain(data),
              label: 'Run date →',
              labelAnchor: 'right',
              labelArrow: 'none',
              tickFormat: dateTick,
              ticks: Math.max(2, Math.min(6, Math.floor(Math.min(width, 960) / 160))),
            },
            color: { legend: true, label: 'Judge' },
            marks: [
              ...(runCount() > 1 ? [Plot.line(data, { x: 'date', y: 'value', stroke: 'judge' })] : []),
              Plot.dot(data, { x: 'date', y: 'value', fill: 'judge', r: 3, title }),
              ...(regressions.length
                ? [
                    Plot.dot(regressions, {
                      x: 'date',
                      y: 'value',
                      symbol: 'times',
                      r: 7,
                      stroke: '#d11',
                      strokeWidth: 2.5,
                      title,
                      ariaLabel: 'regression',
                    }),
                  ]
                : []),
            ],
          });
        }}
      />
    </Show>
  );
}
