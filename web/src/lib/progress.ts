/**
 * What the run page says about a live run, from GET /api/eval/runs/{id}/status (also sent as the
 * event stream's `progress`) and the results the page has seen stored: done never lags the rows shown.
 */
import type { Progress } from '../api/client';

export interface ProgressView {
  phase: string;
  done: number;
  total: number;
  failed: number;
  judgeErrors: number;
  text: string;
}

const PHASE_LABELS: Record<string, string> = {
  planning: 'Planning',
  generating: 'Generating and judging',
  summarizing: 'Summarizing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  budget_exceeded: 'Budget exceeded',
};

export const phaseLabel = (phase: string) => PHASE_LABELS[phase] ?? phase.replace(/_/g, ' ');

/**
 * `stored`: results of the run known to be stored (each has a row in the table); the workflow counts
 * a sample done only once its chunk is judged, so it can lag them. A run with results is past planning.
 */
export function progressView(
  progress: Progress | null | undefined,
  fallback: { status: string; total_samples: number },
  stored: number,
): ProgressView {
  const total = Math.max(progress?.total || fallback.total_samples, 0);
  const done = Math.min(Math.max(progress?.done ?? 0, stored), total || Number.POSITIVE_INFINITY);
  let phase = progress?.phase ?? (fallback.status === 'pending' ? 'planning' : 'generating');
  if (phase === 'planning' && done > 0) phase = 'generating';
  if (phase === 'generating' && total > 0 && done >= total && progress?.source === 'database')
    phase = 'summarizing';
  const failed = progress?.failed ?? 0;
  const judgeErrors = progress?.judgeErrors ?? 0;
  const extras = [failed ? `${failed} failed` : '', judgeErrors ? `${judgeErrors} judge errors` : '']
    .filter(Boolean)
    .join(' · ');
  const text = `${phaseLabel(phase)}: ${done} of ${total} samples${extras ? ` · ${extras}` : ''}`;
  return { phase, done, total, failed, judgeErrors, text };
}
