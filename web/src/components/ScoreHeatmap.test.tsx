import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { makeResult, makeScore } from '../testing/results';
import { heatmapCells, heatmapScopeText, ScoreHeatmap } from './ScoreHeatmap';

const results = [
  makeResult({ sample_key: 'a', scores: [makeScore('pii', 1, true), makeScore('similarity', 0.2, false)] }),
  makeResult({ sample_key: 'b', scores: [makeScore('pii', 0, false), makeScore('similarity', 0.9, true)] }),
  makeResult({
    sample_key: 'c',
    scores: [makeScore('pii', 1, true), makeScore('similarity', null, false, { error: 'model crashed' })],
  }),
];

describe('ScoreHeatmap', () => {
  it('draws one cell per sample and judge, coloured by score, errors grey, failures marked', () => {
    const { container } = render(() => <ScoreHeatmap results={results} />);
    const cells = [...container.querySelectorAll('g[aria-label="cell"] rect')];
    expect(cells).toHaveLength(6);
    const titles = cells.map((c) => c.querySelector('title')?.textContent);
    expect(titles).toContain('a · Similarity: 0.20 (fail)');
    expect(titles).toContain('c · Similarity: error: model crashed');
    // Scores 0.2 and 0.9 get different colours; the errored cell is the fixed grey.
    // A constant fill sits on the mark's group, a score fill on each cell.
    const fill = (title: string) => {
      const cell = cells.find((c) => c.querySelector('title')?.textContent === title);
      return cell?.getAttribute('fill') ?? cell?.parentElement?.getAttribute('fill');
    };
    expect(fill('a · Similarity: 0.20 (fail)')).not.toBe(fill('b · Similarity: 0.90 (pass)'));
    expect(fill('c · Similarity: error: model crashed')).toBe('#bbb');
    // ✗ on each failed check: a/similarity, b/pii, c/similarity (errored counts as not passed).
    const marks = [...container.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(marks).toEqual(['✗', '✗', '✗']);
    expect(container.querySelector('figure.heatmap')?.getAttribute('aria-label')).toBe(
      'Score heatmap: 3 samples by 2 judges',
    );
  });

  it('labels repetitions apart and shows an empty state without scores', () => {
    expect(
      heatmapCells([makeResult({ sample_key: 'x', repetition: 2, scores: [makeScore('pii', 1, true)] })])[0]
        .sample,
    ).toBe('x #2');
    const { getByText } = render(() => <ScoreHeatmap results={[makeResult()]} />);
    expect(getByText('No judge scores to show.')).toBeTruthy();
  });

  it('says which page of the filtered results it draws', () => {
    const { getByTestId } = render(() => (
      <ScoreHeatmap results={results} scope={{ offset: 50, total: 120 }} />
    ));
    expect(getByTestId('heatmap-scope').textContent).toBe(
      "Results 51–53 of 120 matching the table's filters: the table's current page (page through it or widen the page to see more).",
    );
    expect(heatmapScopeText(3, { offset: 0, total: 3 })).toBe("All 3 results matching the table's filters.");
    expect(heatmapScopeText(0, { offset: 0, total: 0 })).toBe("No results match the table's filters.");
  });
});
