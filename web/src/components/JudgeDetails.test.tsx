import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { JudgeDetails } from './JudgeDetails';
import { RegressionBanner, regressionSentence } from './RegressionBanner';

describe('JudgeDetails', () => {
  it('shows PII findings as a table and reasoning as text, HTML included as text', () => {
    const { container } = render(() => (
      <JudgeDetails
        details={{
          findings: [
            { type: 'email', text: 'jo@example.com', start: 10 },
            { type: 'ssn', text: '<b>123-45-6789</b>', start: 40 },
          ],
          reasoning: 'The answer <i>leaks</i> contact data.',
          threshold: 0.5,
        }}
      />
    ));
    const rows = [...container.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['email', 'jo@example.com', '10'],
      ['ssn', '<b>123-45-6789</b>', '40'],
    ]);
    expect(container.querySelector('b, i')).toBeNull();
    expect(screen.getByText('The answer <i>leaks</i> contact data.')).toBeTruthy();
    expect(screen.getByText('0.5')).toBeTruthy();
  });
});

describe('RegressionBanner', () => {
  it("words a regression the way the seed's wireframe does", () => {
    expect(
      regressionSentence({
        judge_type: 'similarity',
        verdict: 'regression',
        delta: -0.032,
        p_value: 0.02,
        n: 100,
      }),
    ).toBe('Similarity dropped 3.2% (p=0.02, n=100)');
  });

  it('lists regressed judges only, and nothing without regressions', () => {
    const { container } = render(() => (
      <RegressionBanner
        regressions={[
          { judge_type: 'similarity', verdict: 'regression', delta: -0.05, p_value: 0.001, n: 80 },
          { judge_type: 'pii', verdict: 'no_change', delta: 0, p_value: 0.9, n: 80 },
        ]}
      />
    ));
    expect(screen.getByRole('alert').textContent).toContain('Regression detected');
    expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Similarity dropped 5.0% (p=0.001, n=80)',
    ]);
    const empty = render(() => (
      <RegressionBanner regressions={[{ judge_type: 'pii', verdict: 'improvement' }]} />
    ));
    expect(empty.container.textContent).toBe('');
    const demo = render(() => (
      <RegressionBanner
        regressions={[{ judge_type: 'llm_judge', verdict: 'regression', delta: -0.4 }]}
        demonstrations={new Set(['llm_judge'])}
      />
    ));
    expect(demo.container.textContent).toBe('');
  });
});
