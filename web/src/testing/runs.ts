/** Runs and gate decisions shaped like the API's run views, for component and page tests. */
import type { Run } from '../api/client';
import type { GateDecision } from '../lib/gate';

export const PROJECT_ID = '00000000-0000-4000-8000-0000000000a1';

export function makeGate(overrides: Partial<GateDecision> = {}): GateDecision {
  return {
    state: 'pass',
    title: 'All blocking guardrails passed, no regressions',
    reasons: [],
    warnings: [],
    blocking_failures: [],
    blocking_errors: [],
    regressions: [],
    ...overrides,
  };
}

/** What decideGate answers for a run whose blocking PII guardrail had only judge errors. */
export const NOT_EVALUATED = makeGate({
  state: 'error',
  title: 'Not evaluated: blocking guardrail not evaluated: pii',
  reasons: ['pii: not evaluated: every score was a judge error (3)'],
  blocking_errors: ['pii'],
});

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    project_id: PROJECT_ID,
    name: null,
    labels: [],
    dataset_id: '00000000-0000-4000-8000-0000000000c1',
    dataset_version_id: '00000000-0000-4000-8000-0000000000c2',
    endpoint_id: '00000000-0000-4000-8000-0000000000d1',
    baseline_run_id: null,
    status: 'completed',
    trigger_type: 'api',
    git_commit_sha: null,
    git_branch: 'main',
    git_base_branch: null,
    pr_number: null,
    workflow_id: null,
    repetitions: 1,
    use_cache: false,
    budget_usd: null,
    total_samples: 3,
    input_tokens: 30,
    output_tokens: 6,
    cost_usd: 0.001,
    judge_cost_usd: 0,
    started_at: '2026-01-01T10:00:00Z',
    completed_at: '2026-01-01T10:05:00Z',
    cancelled_at: null,
    error: null,
    summary: {},
    gate: makeGate(),
    config: {},
    created_at: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}
