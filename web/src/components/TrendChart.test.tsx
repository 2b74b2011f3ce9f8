import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { Trends } from '../api/client';
import { TrendChart, trendRows } from './TrendChart';

const point = (run: number, pass_rate: number | null, regression = false) => ({
  run_id: `00000000-0000-4000-8000-00000000000${run}`,
  created_at: `2026-11-0${run}T12:00:00.000Z`,
  git_branch: 'main',
  git_commit_sha: null,
  n: 50,
  mean_score: pass_rate,
  pass_rate,
  regression,
});

const trends: Trends = {
  project_id: '00000000-0000-4000-8000-000000000000',
  series: [
    { judge_type: 'similarity', points: [point(1, 0.9), point(2, 0.92), point(3, 0.8, true)] },
    { judge_type: 'pii', points: [point(1, 1), point(2, null), point(3, 1)] },
  ],
};

describe('TrendChart', () => {
  it('draws a line per judge and marks regressed runs', () => {
    expect(trendRows(trends, 'pass_rate')).toHaveLength(5); // the null point is left out
    const { container } = render(() => <TrendChart trends={trends} metric="pass_rate" />);
    expect(container.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(container.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(5);
    const marks = [...container.querySelectorAll('g[aria-label="dot"] path')];
    expect(marks).toHaveLength(1);
    expect(marks[0].querySelector('title')?.textContent).toContain('Similarity: 80.0%');
    expect(marks[0].querySelector('title')?.textContent).toContain('REGRESSION');
  });

  it('has an empty state', () => {
    const { getByText } = render(() => (
      <TrendChart trends={{ project_id: trends.project_id, series: [] }} metric="mean_score" />
    ));
    expect(getByText('No completed runs with scores yet.')).toBeTruthy();
  });
});
