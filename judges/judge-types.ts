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

/** A project may configure one judge several times under "type:name" (e.g. "zero_shot:politeness",
 * "llm_judge:helpfulness"); the part before the colon picks the implementation. */
export function baseJudgeType(judgeType: string): string {
  return judgeType.split(':', 1)[0];
}

export function isKnownJudgeType(judgeType: string): boolean {
  return (JUDGE_TYPES as readonly string[]).includes(baseJudgeType(judgeType));
}

/** Task queues a local-model judge can run on, as plain strings: the judge library needs no Temporal.
 * temporal.config.ts takes its judge queue names from here. */
export const JUDGE_QUEUES = { cpu: 'judges.cpu', gpu: 'judges.gpu' } as const;
