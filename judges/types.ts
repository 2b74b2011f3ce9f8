/** What every judge consumes and produces. Batch-first: one call scores many outputs. */

export interface JudgeItem {
  /** Caller's id (a result id); echoed nowhere, only for logs and error messages. */
  id: string;
  /** The model output under judgement. */
  output: string;
  /** The prompt the model answered, when a judge needs it (LLM-as-judge, zero-shot with context). */
  input?: string | null;
  /** Expected output, for judges that compare (similarity, pairwise, equals). */
  reference?: string | null;
  metadata?: Record<string, unknown>;
}

export interface JudgeUsage {
  inputTokens: number;
  outputTokens: number;
  /** Judge spend when the caller knows the price (recorded in judge_scores.cost_usd). */
  costUsd?: number;
}

export interface JudgeResult {
  /** In [0, 1] (higher is better); null when this item could not be judged (see `error`). */
  score: number | null;
  passed: boolean;
  details: Record<string, unknown>;
  /** Why this item has no score: missing reference, unparseable judge output, … */
  error?: string;
  /** Tokens spent on this item (LLM-as-judge only). */
  usage?: JudgeUsage;
}

export const JUDGE_KINDS = ['model', 'llm', 'rule'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

/** Recorded with every score so a threshold tuned on one model/dtype is never silently reused on another. */
export interface JudgeModelInfo {
  modelId: string;
  revision: string | null;
  dtype: string | null;
  /** Where inference ran: cpu or cuda for local models, none for remote LLMs and rules. */
  device: 'cpu' | 'cuda' | 'none';
}

export interface EvaluateOptions {
  /** Aborted when the scores are no longer wanted (the run was cancelled, the worker is stopping): a judge
   * that calls a model stops calling it. Results after the abort are partial and must be discarded. */
  signal?: AbortSignal;
}

export interface Judge {
  readonly type: string;
  readonly kind: JudgeKind;
  /** Scores `items` in order; an item that cannot be judged yields an error result, never a throw.
   * Throws only when the judge as a whole cannot work (model missing, endpoint misconfigured). */
  evaluateBatch(items: readonly JudgeItem[], options?: EvaluateOptions): Promise<JudgeResult[]>;
  /** The model that produced the last scores; null for rule-based judges. */
  modelInfo(): JudgeModelInfo | null;
}

/** An item-level failure: kept per item so one bad sample never sinks its batch. */
export function errorResult(error: string, details: Record<string, unknown> = {}): JudgeResult {
  return { score: null, passed: false, details, error };
}

/** Clamps into [0, 1]; NaN (never expected) becomes 0 so a broken score can not pass. */
export function unitScore(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/** For probabilities shown in details: enough digits to compare, short enough to read. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export const MISSING_REFERENCE = 'needs a reference output, and this sample has none';

export function hasReference(item: JudgeItem): item is JudgeItem & { reference: string } {
  return typeof item.reference === 'string' && item.reference.trim() !== '';
}
