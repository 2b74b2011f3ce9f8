/** How a finished run shows on GitHub: the gate's decision as a check conclusion and title. */
import { decideGate, type GateDecision, type GatePolicy } from '../../core/gate.js';
import type { RunStatus } from '../../core/run-status.js';
import type { RunSummaryView } from '../../core/run-summary.js';

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled';

export interface CheckVerdict {
  conclusion: CheckConclusion;
  title: string;
  gate: GateDecision;
}

/** A gate that is not evaluated (`error`) fails the check: GitHub shows no "success" for nothing measured;
 * a pass with warnings (a regression the policy does not gate on, a soft guardrail) is neutral. */
export function checkConclusion(gate: GateDecision): CheckConclusion {
  switch (gate.state) {
    case 'pass':
      return gate.warnings.length > 0 ? 'neutral' : 'success';
    case 'cancelled':
      return 'cancelled';
    case 'fail':
    case 'error':
      return 'failure';
    case 'pending':
      throw new Error('the run has not finished');
  }
}

export function decideCheckConclusion(
  run: { status: RunStatus; error: string | null },
  summary: RunSummaryView,
  policy: GatePolicy,
): CheckVerdict {
  const gate = decideGate(run, summary, policy);
  return { conclusion: checkConclusion(gate), title: gate.title, gate };
}
