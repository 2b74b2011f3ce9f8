import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { type ResultFilterState, ResultFilters } from './ResultFilters';

function setup() {
  const [value, setValue] = createSignal<ResultFilterState>({});
  render(() => <ResultFilters value={value()} judges={['pii', 'similarity']} onChange={setValue} />);
  return value;
}

describe('ResultFilters', () => {
  it('enables pass/fail only once a judge is chosen, and drops it with the judge', () => {
    const value = setup();
    const outcome = screen.getByLabelText('Outcome') as HTMLSelectElement;
    expect(outcome.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Judge'), { target: { value: 'similarity' } });
    expect(outcome.disabled).toBe(false);
    fireEvent.change(outcome, { target: { value: 'false' } });
    expect(value()).toEqual({ judge: 'similarity', passed: 'false' });
    fireEvent.change(screen.getByLabelText('Judge'), { target: { value: '' } });
    expect(value()).toEqual({ judge: undefined, passed: undefined });
  });

  it('reads category, tag and a clamped score range, and clears everything', () => {
    const value = setup();
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: ' billing ' } });
    fireEvent.change(screen.getByLabelText('Tag'), { target: { value: 'refund' } });
    fireEvent.change(screen.getByLabelText('Score ≥'), { target: { value: '0.25' } });
    fireEvent.change(screen.getByLabelText('Score ≤'), { target: { value: '7' } });
    expect(value()).toEqual({ category: 'billing', tag: 'refund', min_score: 0.25, max_score: 1 });
    fireEvent.change(screen.getByLabelText('Score ≥'), { target: { value: '' } });
    expect(value().min_score).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(value()).toEqual({});
  });
});
