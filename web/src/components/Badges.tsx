import type { RunStatus } from '../api/client';

export function PassBadge(props: { passed: boolean | null | undefined; error?: string | null }) {
  const kind = () => (props.error ? 'warn' : props.passed ? 'pass' : 'fail');
  const label = () => (props.error ? 'error' : props.passed ? 'pass' : 'fail');
  return (
    <span class={`badge badge-${kind()}`} title={props.error ?? undefined}>
      <span aria-hidden="true">{props.error ? '⚠' : props.passed ? '✓' : '✗'}</span> {label()}
    </span>
  );
}

const STATUS_KIND: Record<RunStatus, string> = {
  pending: 'neutral',
  running: 'info',
  completed: 'pass',
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

export function VerdictBadge(props: { verdict: string | null | undefined }) {
  const kind = () =>
    props.verdict === 'pass' || props.verdict === 'improvement'
      ? 'pass'
      : props.verdict === 'fail' || props.verdict === 'regression'
        ? 'fail'
        : props.verdict === 'inconclusive'
          ? 'warn'
          : 'neutral';
  return (
    <span class={`badge badge-${kind()}`}>
      {props.verdict ? props.verdict.replace('_', ' ') : 'no verdict'}
    </span>
  );
}
