import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { PassRateBars } from './PassRateBars';

describe('PassRateBars', () => {
  it('draws one meter per judge, sorted, sized and coloured by pass rate', () => {
    render(() => (
      <PassRateBars
        judges={{
          toxicity: { n: 100, errors: 0, pass_rate: 0.99 },
          similarity: { n: 100, errors: 2, pass_rate: 0.87 },
          llm_judge: { n: 100, errors: 0, pass_rate: 0.5 },
        }}
      />
    ));
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual([
      'LLM judge pass rate',
      'Similarity pass rate',
      'Toxicity pass rate',
    ]);
    expect(meters.map((m) => m.getAttribute('aria-valuenow'))).toEqual(['50', '87', '99']);
    const fills = meters.map((m) => m.firstElementChild as HTMLElement);
    expect(fills.map((f) => f.style.width)).toEqual(['50%', '87%', '99%']);
    expect(fills.map((f) => f.className)).toEqual([
      'pass-bars-fill low',
      'pass-bars-fill mid',
      'pass-bars-fill',
    ]);
    expect(screen.getByText('n=100, 2 errors')).toBeTruthy();
  });

  it('has an empty state', () => {
    render(() => <PassRateBars judges={{}} />);
    expect(screen.getByText('No judge scores yet.')).toBeTruthy();
  });
});
