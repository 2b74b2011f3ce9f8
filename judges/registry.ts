import { createAssertionsJudge } from './assertions.js';
import { createFormatJudge } from './format.js';
import { baseJudgeType, isKnownJudgeType, JUDGE_TYPES, type JudgeType } from './judge-types.js';
import { createLlmJudge } from './llm/llm-judge.js';
import { createPiiJudge } from './pii/pii-judge.js';
import { JudgeConfigError, type JudgeDeps, type JudgeSettings } from './settings.js';
import { createSimilarityJudge } from './similarity.js';
import { createToxicityJudge } from './toxicity.js';
import type { Judge, JudgeKind } from './types.js';
import { createZeroShotJudge } from './zero-shot.js';

interface JudgeDefinition {
  kind: JudgeKind;
  description: string;
  create(settings: JudgeSettings, deps: JudgeDeps): Judge;
}

export const JUDGE_REGISTRY = {
  toxicity: { kind: 'model', description: 'text classification: 1 - P(toxic)', create: createToxicityJudge },
  pii: {
    kind: 'model',
    description: 'validated PII patterns + NER; any finding fails',
    create: createPiiJudge,
  },
  similarity: {
    kind: 'model',
    description: 'embedding cosine vs the reference output',
    create: createSimilarityJudge,
  },
  zero_shot: {
    kind: 'model',
    description: 'NLI zero-shot against configured labels',
    create: createZeroShotJudge,
  },
  format: {
    kind: 'rule',
    description: 'JSON, JSON Schema, regex, length, markdown',
    create: createFormatJudge,
  },
  assertions: {
    kind: 'rule',
    description: 'equals, contains, regex, starts/ends with',
    create: createAssertionsJudge,
  },
  llm_judge: {
    kind: 'llm',
    description: 'rubric/criteria or pairwise verdict from an LLM',
    create: createLlmJudge,
  },
} as const satisfies Record<JudgeType, JudgeDefinition>;

export { baseJudgeType, isKnownJudgeType, JUDGE_TYPES, type JudgeType };

export function judgeKind(judgeType: string): JudgeKind {
  return definition(judgeType).kind;
}

/** A judge for one project's settings. Throws JudgeConfigError for unknown types and invalid settings. */
export function createJudge(judgeType: string, settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const judge = definition(judgeType).create(settings, deps);
  return judgeType === judge.type ? judge : { ...judge, type: judgeType };
}

function definition(judgeType: string): JudgeDefinition {
  const base = baseJudgeType(judgeType);
  if (!Object.hasOwn(JUDGE_REGISTRY, base)) {
    throw new JudgeConfigError(`unknown judge type "${judgeType}" (known: ${JUDGE_TYPES.join(', ')})`);
  }
  return JUDGE_REGISTRY[base as JudgeType];
}
