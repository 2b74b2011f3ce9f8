import type { RunStatus } from '../api/client';
import type { RegressionVerdict } from '../lib/summary';

export function PassBadge(props: { passed: boolean | null | undefined; error?: string | null }) {
  const kind = () => (props.error ? 'warn' : props.passed ? 'pass' : 'fail');
  const label = () => (props.error ? 'error' : props.passed ? 'pass' : 'fail');
  return (
    <span class={`badge badge-${kind()}`} title={props.error ?? undefined}>
      <span aria-hidden="true">{props.error ? '⚠' : props.passed ? '✓' : '✗'}</span> {label()}
    </span>
  );
}

/** Green belongs to the gate's pass alone: a run can complete and have measured nothing. */
const STATUS_KIND: Record<RunStatus, string> = {
  pending: 'neutral',
  running: 'info',
  completed: 'neutral',
  failed: 'fail',
  cancelled: 'warn',
  budget_exceeded: 'warn',
};

export function StatusBadge(props: { status: RunStatus }) {
  return (
    <span class={`badge badge-${STATUS_KIND[props.status] ?? 'neutral'}`}>
      {props.status.replace('_', ' ')}
    </span>
  );
}

/** A judge's verdict in a regression comparison; the run's own verdict is the gate's (GateBadge). */
export function RegressionVerdictBadge(props: { verdict: RegressionVerdict }) {
  const kind = () =>
    props.verdict === 'improvement'
      ? 'pass'
      : props.verdict === 'regression'
        ? 'fail'
        : props.verdict === 'inconclusive'
          ? 'warn'
          : 'neutral';
  return <span class={`badge badge-${kind()}`}>{props.verdict.replace('_', ' ')}</span>;
}
