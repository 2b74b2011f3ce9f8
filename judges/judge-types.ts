/**
 * The judge types a guardrail can name, with no imports: the registry implements exactly these, and the
 * API's messages and the dashboard's guardrail form list them from here.
 */
export const JUDGE_TYPES = [
  'toxicity',
  'pii',
  'similarity',
  'zero_shot',
  'format',
  'assertions',
  'llm_judge',
] as const;

export type JudgeType = (typeof JUDGE_TYPES)[number];
