/** Whether a finished run passes the gates a CI job asked for with --fail-on. The server's gate
 * (core/gate.ts, served with the report for the policy the CLI asks for) decides; the CLI maps its
 * decision to an exit code and never re-decides it. */
import { EXIT, type ExitCode } from './exit-codes.js';
import type { RunReportJson } from './report.js';

export const GATES = ['guardrail', 'regression'] as const;
export type Gate = (typeof GATES)[number];
/** Blocking guardrails gate a deploy unless told otherwise; regressions only when asked. */
export const DEFAULT_GATES: Gate[] = ['guardrail'];

export interface GateResult {
  exitCode: ExitCode;
  reasons: string[];
}

export function evaluateGates(report: RunReportJson, gates: readonly Gate[]): GateResult {
  const { gate } = report;
  // Not evaluated (failed, over budget, cancelled, nothing measured) is never a pass, whatever --fail-on says.
  if (gate.state !== 'pass' && gate.state !== 'fail') {
    return { exitCode: EXIT.RUN_FAILED, reasons: [gate.title, ...gate.reasons.slice(1)] };
  }
  const reasons: string[] = [];
  if (gates.includes('guardrail') && gate.blocking_failures.length > 0)
    reasons.push(`blocking guardrail failed: ${gate.blocking_failures.join(', ')}`);
  if (gates.includes('regression') && gate.regressions.length > 0)
    reasons.push(`regression vs baseline: ${gate.regressions.join(', ')}`);
  return { exitCode: reasons.length ? EXIT.GATE_FAILED : EXIT.OK, reasons };
}
