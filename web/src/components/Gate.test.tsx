import { render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { GateState } from '../lib/gate';
import { makeGate, NOT_EVALUATED } from '../testing/runs';
import { GateBadge, GateLine, GateSummary } from './Gate';

const list = (name: string) =>
  within(screen.getByRole('list', { name }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('GateSummary', () => {
  it('shows a run that measured nothing as "Not evaluated", never green, with the reasons', () => {
    render(() => <GateSummary gate={NOT_EVALUATED} />);
    const badge = screen.getByText('Not evaluated', { exact: false, selector: '.badge' });
    expect(badge.className).toContain('badge-error');
    expect(badge.className).not.toContain('badge-pass');
    expect(screen.getByText('Not evaluated: blocking guardrail not evaluated: pii')).toBeTruthy();
    expect(list('Why the gate did not pass')).toEqual([
      'pii: not evaluated: every score was a judge error (3)',
    ]);
  });

  it('shows a failed gate with its blocking failures', () => {
    render(() => (
      <GateSummary
        gate={makeGate({
          state: 'fail',
          title: 'Blocking guardrail failed: pii, toxicity',
          reasons: ['pii: only 96.7% passed, needs 100.0%', 'toxicity: only 90.0% passed, needs 100.0%'],
          blocking_failures: ['pii', 'toxicity'],
        })}
      />
    ));
    expect(screen.getByText('fail', { exact: false, selector: '.badge' }).className).toContain('badge-fail');
    expect(screen.getByText('Blocking guardrail failed: pii, toxicity')).toBeTruthy();
    expect(list('Why the gate did not pass')).toEqual([
      'pii: only 96.7% passed, needs 100.0%',
      'toxicity: only 90.0% passed, needs 100.0%',
    ]);
  });

  it('shows a pass with regression warnings as a pass, the warnings apart from reasons', () => {
    render(() => (
      <GateSummary
        gate={makeGate({
          title: 'Regression vs baseline: similarity (not blocking)',
          warnings: ['Regression vs baseline: similarity', 'similarity: only 66.7% passed, needs 80.0%'],
          regressions: ['similarity'],
        })}
      />
    ));
    expect(screen.getByText('pass', { exact: false, selector: '.badge' }).className).toContain('badge-pass');
    expect(screen.getByText('Regression vs baseline: similarity (not blocking)')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Why the gate did not pass' })).toBeNull();
    expect(list('Warnings')).toEqual([
      'Regression vs baseline: similarity',
      'similarity: only 66.7% passed, needs 80.0%',
    ]);
  });
});

describe('GateBadge', () => {
  it('is green for a pass only', () => {
    const states: GateState[] = ['pending', 'pass', 'fail', 'error', 'cancelled'];
    const { container } = render(() => (
      <>
        {states.map((state) => (
          <GateBadge gate={makeGate({ state, title: `title of ${state}` })} />
        ))}
      </>
    ));
    const badges = [...container.querySelectorAll('.badge')];
    expect(badges.map((b) => b.textContent?.replace(/^\S+\s/, ''))).toEqual([
      'pending',
      'pass',
      'fail',
      'Not evaluated',
      'cancelled',
    ]);
    expect(
      badges.filter((b) => b.classList.contains('badge-pass')).map((b) => b.getAttribute('data-gate')),
    ).toEqual(['pass']);
    expect(badges[3].getAttribute('title')).toBe('title of error');
  });
});

describe('GateLine', () => {
  it('has the title and the reasons, for lists', () => {
    const { container } = render(() => <GateLine gate={NOT_EVALUATED} />);
    expect(container.textContent).toContain('Not evaluated: blocking guardrail not evaluated: pii');
    expect(list('Why the gate did not pass')).toHaveLength(1);
  });
});
