import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { makeResult, makeScore } from '../testing/results';
import { COLLAPSE_AT_CHARS } from './LongText';
import { ResultsTable } from './ResultsTable';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe('ResultsTable', () => {
  it("shows each judge's score and pass/fail badge in its column", () => {
    const results = [
      makeResult({
        sample_key: 'q1',
        scores: [makeScore('pii', 1, true), makeScore('toxicity', 0.3, false)],
      }),
      makeResult({
        sample_key: 'q2',
        scores: [makeScore('toxicity', null, false, { error: 'classifier crashed' })],
      }),
    ];
    const { container } = render(() => (
      <ResultsTable results={results} judges={['pii', 'toxicity']} onOpen={() => {}} />
    ));
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Sample',
      'Input',
      'Output',
      'Latency',
      'PII',
      'Toxicity',
    ]);
    const cell = (row: number, judge: string) =>
      container
        .querySelectorAll('tbody tr')
        [row].querySelector(`td[data-judge="${judge}"]`)
        ?.textContent?.replace(/\s+/g, ' ');
    expect(cell(0, 'pii')).toBe('1.00 ✓ pass');
    expect(cell(0, 'toxicity')).toBe('0.30 ✗ fail');
    expect(cell(1, 'pii')).toBe('–');
    expect(cell(1, 'toxicity')).toBe('– ⚠ error');
  });

  it('renders model output as text, never as HTML', () => {
    const { container } = render(() => (
      <ResultsTable results={[makeResult({ llm_output: XSS })]} judges={[]} onOpen={() => {}} />
    ));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('tbody script')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=');
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('collapses long outputs behind a keyboard-reachable toggle', () => {
    const long = `${'a'.repeat(COLLAPSE_AT_CHARS)}THE-END`;
    render(() => (
      <ResultsTable
        results={[makeResult({ sample_key: 'k', llm_output: long })]}
        judges={[]}
        onOpen={() => {}}
      />
    ));
    expect(screen.queryByText(/THE-END/)).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Show more of output of k' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(screen.getByText(/THE-END/)).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Show less of output of k' }).getAttribute('aria-expanded'),
    ).toBe('true');
  });

  it('opens a sample from its key button and marks failed generations', () => {
    const onOpen = vi.fn();
    const failed = makeResult({ sample_key: 'bad', status: 'failed', llm_output: '', error: 'HTTP 500' });
    const { container } = render(() => <ResultsTable results={[failed]} judges={[]} onOpen={onOpen} />);
    fireEvent.click(screen.getByRole('button', { name: 'Open sample bad' }));
    expect(onOpen).toHaveBeenCalledWith(failed);
    expect(container.querySelector('tbody tr')?.classList.contains('failed')).toBe(true);
    expect(screen.getByText('model error').getAttribute('title')).toBe('HTTP 500');
  });

  it('says so when nothing matches', () => {
    render(() => <ResultsTable results={[]} judges={['pii']} onOpen={() => {}} />);
    expect(screen.getByText('No results match.')).toBeTruthy();
  });
});
