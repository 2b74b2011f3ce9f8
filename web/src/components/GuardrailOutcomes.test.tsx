import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { GuardrailOutcomes } from './GuardrailOutcomes';

const counts = { counted: 30, passed: 29, failed: 1, errors: 0, unscored: 0 };

describe('GuardrailOutcomes', () => {
  it('shows pass, fail and not evaluated (error) with what each was counted from', () => {
    const { container } = render(() => (
      <GuardrailOutcomes
        guardrails={[
          { judge_type: 'toxicity', is_blocking: true, outcome: 'pass', reason: 'toxicity: 100.0% passed' },
          { judge_type: 'pii', is_blocking: true, outcome: 'fail', reason: 'pii: only 96.7% passed', counts },
          {
            judge_type: 'similarity',
            is_blocking: false,
            outcome: 'fail',
            reason: 'similarity: only 60.0% passed',
          },
          {
            judge_type: 'llm_judge',
            is_blocking: true,
            outcome: 'error',
            reason: 'llm_judge: not evaluated: every score was a judge error (30)',
            counts: { counted: 30, passed: 0, failed: 0, errors: 30, unscored: 0 },
          },
        ]}
      />
    ));
    const items = [...container.querySelectorAll('li')];
    expect(items.map((li) => li.querySelector('.badge')?.textContent)).toEqual([
      'held',
      'blocking failure',
      'soft failure',
      'not evaluated (blocking)',
    ]);
    expect(items.map((li) => li.getAttribute('data-outcome'))).toEqual(['pass', 'fail', 'fail', 'error']);
    expect(items[1].textContent).toContain('(29 of 30 passed · 1 below threshold)');
    expect(items[3].textContent).toContain('(0 of 30 passed · 30 judge errors)');
    expect(items[3].querySelector('.badge')?.className).toContain('badge-error');
  });

  it('labels a demonstration judge as such, never as a failure to act on', () => {
    const { container } = render(() => (
      <GuardrailOutcomes
        guardrails={[
          {
            judge_type: 'llm_judge',
            is_blocking: false,
            demonstration: true,
            outcome: 'fail',
            reason: 'llm_judge (demonstration, not gating): only 40.0% passed, needs 80.0%',
          },
        ]}
      />
    ));
    const badge = container.querySelector('li .badge');
    expect(badge?.textContent).toBe('demonstration · not gating');
    expect(badge?.className).toContain('badge-neutral');
    expect(container.querySelector('li')?.textContent).toContain('(demonstration, not gating)');
  });

  it('reads summaries from before outcomes: no pass rate is not evaluated, never held', () => {
    const { container } = render(() => (
      <GuardrailOutcomes
        guardrails={[
          { judge_type: 'pii', is_blocking: true, passed: true, pass_rate: 1 },
          { judge_type: 'toxicity', is_blocking: true, passed: false, pass_rate: null },
          { judge_type: 'similarity', is_blocking: false, passed: false, pass_rate: 0.5 },
        ]}
      />
    ));
    expect([...container.querySelectorAll('li')].map((li) => li.getAttribute('data-outcome'))).toEqual([
      'pass',
      'error',
      'fail',
    ]);
  });
});
