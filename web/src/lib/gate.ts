/**
 * The gate's decision as the API serves it on every run view (`run.gate`): core/gate.ts `decideGate`
 * is the one place that decides it; the dashboard shows it and never recomputes a verdict.
 * Type-only imports: no zod lands in the bundle.
 */
import type { GateDecision, GateState } from '../../../core/gate';

export type { GateDecision, GateState };
