import { JUDGE_CATALOG, LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD } from '../../judges/catalog.js';
import { baseJudgeType, isKnownJudgeType, type JudgeType } from '../../judges/judge-types.js';
import type { JudgeSettings } from '../../judges/settings.js';

/**
 * The threshold that decides pass/fail for a judge, as recorded with every score: the guardrail's, else the
 * judge's own default (catalog.ts; pairwise LLM judging defaults to 0.5, a tie with the reference). PII has no
 * tunable default: any finding fails, so a score must be 1 (clean) to pass. Null for unknown judge types.
 */
export function effectiveThreshold(judgeType: string, settings: JudgeSettings): number | null {
  if (settings.threshold !== undefined && settings.threshold !== null) return settings.threshold;
  if (!isKnownJudgeType(judgeType)) return null;
  const base = baseJudgeType(judgeType) as JudgeType;
  if (base === 'llm_judge' && settings.config?.mode === 'pairwise')
    return LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD;
  return JUDGE_CATALOG[base].defaultThreshold ?? 1;
}
