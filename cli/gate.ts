/** Whether a finished run passes the gates a CI job asked for with --fail-on. */
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
  const { run } = report;
  if (run.status !== 'completed') {
    return { exitCode: EXIT.RUN_FAILED, reasons: [`run ${run.status}${run.error ? `: ${run.error}` : ''}`] };
  }
  const reasons: string[] = [];
  if (gates.includes('guardrail')) {
    if (report.blocking_failures.length > 0)
      reasons.push(`blocking guardrail failed: ${report.blocking_failures.join(', ')}`);
    else if (report.verdict === 'fail') reasons.push('guardrails failed');
  }
  if (gates.includes('regression') && report.regressions.length > 0) {
    reasons.push(`regression vs baseline: ${report.regressions.join(', ')}`);
  }
  return { exitCode: reasons.length ? EXIT.GATE_FAILED : EXIT.OK, reasons };
}
