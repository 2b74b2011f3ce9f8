/**
 * What each judge type is, without loading it: the registry builds judges from these entries, and the API
 * lists them (GET /api/judges) without importing model runtimes.
 */
import type { JudgeType } from './judge-types.js';
import type { JudgeKind } from './types.js';

export interface JudgeCatalogEntry {
  kind: JudgeKind;
  description: string;
  /** The threshold a guardrail gets when it sets none; null when the score alone decides (PII: any finding fails). */
  defaultThreshold: number | null;
}

export const JUDGE_CATALOG = {
  toxicity: { kind: 'model', description: 'text classification: 1 - P(toxic)', defaultThreshold: 0.5 },
  pii: {
    kind: 'model',
    description: 'validated PII patterns + NER; any finding fails',
    defaultThreshold: null,
  },
  similarity: {
    kind: 'model',
    description: 'embedding cosine vs the reference output',
    defaultThreshold: 0.7,
  },
  zero_shot: {
    kind: 'model',
    description: 'NLI zero-shot against configured labels',
    defaultThreshold: 0.5,
  },
  format: { kind: 'rule', description: 'JSON, JSON Schema, regex, length, markdown', defaultThreshold: 1 },
  assertions: {
    kind: 'rule',
    description: 'equals, contains, regex, starts/ends with',
    defaultThreshold: 1,
  },
  llm_judge: {
    kind: 'llm',
    description: 'rubric/criteria or pairwise verdict from an LLM (pairwise defaults to threshold 0.5)',
    defaultThreshold: 0.6,
  },
} as const satisfies Record<JudgeType, JudgeCatalogEntry>;

/** A pairwise verdict is a win rate: 0.5 is a tie with the reference. */
export const LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD = 0.5;
