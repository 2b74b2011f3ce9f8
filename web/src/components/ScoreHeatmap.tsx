import * as Plot from '@observablehq/plot';
import { Show } from 'solid-js';
import type { Result } from '../api/client';
import { judgeLabel, score } from '../lib/format';
import { PlotFigure } from './PlotFigure';

export interface HeatmapCell {
  sample: string;
  judge: string;
  score: number | null;
  passed: boolean;
  error: string | null;
}

/** Rows taller than this get tick labels; denser heatmaps drop them (tooltips still name the sample). */
const LABELLED_ROW_PX = 14;
const COMPACT_ROW_PX = 6;
const MAX_LABELLED_ROWS = 60;
const SCORE_BANDS = 5;

export function heatmapCells(results: Result[]): HeatmapCell[] {
  return results.flatMap((r) =>
    r.scores.map((s) => ({
      sample: r.repetition ? `${r.sample_key} #${r.repetition}` : r.sample_key,
      judge: s.judge_type,
      score: s.score,
      passed: s.passed,
      error: s.error,
    })),
  );
}

/** Which results the heatmap shows, when they are a page of a larger (filtered) list. */
export interface HeatmapScope {
  offset: number;
  total: number;
}

/** Says in words which rows are drawn, so a heatmap of one page never passes for the whole run. */
export function heatmapScopeText(shown: number, scope: HeatmapScope) {
  if (shown === 0)
    return scope.total
      ? `No results on this page (${scope.total} match).`
      : "No results match the table's filters.";
  const range = `${scope.offset + 1}–${scope.offset + shown}`;
  return shown >= scope.total
    ? `All ${scope.total} results matching the table's filters.`
    : `Results ${range} of ${scope.total} matching the table's filters: the table's current page (page through it or widen the page to see more).`;
}

/** Rough width of a tick label in px (Plot's default 10px sans-serif): room for labels, never cut. */
const labelPx = (text: string) => Math.ceil(text.length * 6.2) + 12;
const MIN_COLUMN_PX = 96;
const MAX_LABEL_MARGIN = 220;

const colorScale = {
  type: 'quantize',
  n: SCORE_BANDS,
  domain: [0, 1],
  scheme: 'RdYlGn',
  label: 'Score (0 = worst, 1 = best)',
  tickFormat: '.1f',
} as const;

/** Samples × judges, coloured by score band; ✗ marks a failed check and grey an errored judge. */
export function ScoreHeatmap(props: { results: Result[]; scope?: HeatmapScope }) {
  const cells = () => heatmapCells(props.results);
  return (
    <>
      <Show when={props.scope}>
        {(scope) => (
          <p class="muted" data-testid="heatmap-scope">
            {heatmapScopeText(props.results.length, scope())}
          </p>
        )}
      </Show>
      <Show when={cells().length} fallback={<p class="muted">No judge scores to show.</p>}>
        <PlotFigure
          label={`Score heatmap: ${new Set(cells().map((c) => c.sample)).size} samples by ${new Set(cells().map((c) => c.judge)).size} judges`}
          caption="One row per sample (y), one column per judge (x); colour: the judge's score in five bands from 0 (red) to 1 (green); ✗: the check failed; grey: the judge errored."
          class="heatmap"
          render={(width) => {
            const data = cells();
            const samples = [...new Set(data.map((c) => c.sample))];
            const judges = [...new Set(data.map((c) => c.judge))].sort();
            const labelled = samples.length <= MAX_LABELLED_ROWS;
            const marginLeft = labelled
              ? Math.min(MAX_LABEL_MARGIN, Math.max(60, ...samples.map(labelPx)))
              : 20;
            const columnPx = Math.max(MIN_COLUMN_PX, ...judges.map((j) => labelPx(judgeLabel(j))));
            const marginRight = 20;
            // Wide enough for every column and its label: the figure scrolls rather than cut one off.
            const needed = marginLeft + marginRight + judges.length * columnPx;
            const title = (c: HeatmapCell) =>
              `${c.sample} · ${judgeLabel(c.judge)}: ${c.error ? `error: ${c.error}` : `${score(c.score)} (${c.passed ? 'pass' : 'fail'})`}`;
            const wrapper = document.createElement('div');
            const legend = Plot.legend({ color: colorScale, width: 280, marginLeft: 10 });
            const chart = Plot.plot({
              document,
              width: Math.max(needed, Math.min(width, needed + 200)),
              height: 80 + samples.length * (labelled ? LABELLED_ROW_PX : COMPACT_ROW_PX),
              marginLeft,
              marginRight,
              marginTop: 44,
              x: { domain: judges, axis: 'top', label: 'Judge', tickFormat: judgeLabel },
              // No axis title: the margin is exactly as wide as the keys, so Plot would draw it over them; the
              // caption says rows are samples.
              y: { domain: samples, label: null, axis: labelled ? 'left' : null },
              // Five score bands read more easily than a gradient (and render as SVG, not canvas).
              color: colorScale,
              marks: [
                Plot.cell(
                  data.filter((c) => c.score === null),
                  { x: 'judge', y: 'sample', fill: '#bbb', inset: 0.5, title },
                ),
                Plot.cell(
                  data.filter((c) => c.score !== null),
                  { x: 'judge', y: 'sample', fill: 'score', inset: 0.5, title },
                ),
                ...(labelled
                  ? [
                      Plot.text(
                        data.filter((c) => !c.passed),
                        { x: 'judge', y: 'sample', text: () => '✗', fill: '#111', fontSize: 11 },
                      ),
                    ]
                  : []),
              ],
            });
            wrapper.append(legend as Node, chart);
            return wrapper;
          }}
        />
      </Show>
    </>
  );
}
