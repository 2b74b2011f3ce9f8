import { createAssertionsJudge } from './assertions.js';
import { JUDGE_CATALOG, type JudgeCatalogEntry } from './catalog.js';
import { createFormatJudge } from './format.js';
import { baseJudgeType, isKnownJudgeType, JUDGE_TYPES, type JudgeType } from './judge-types.js';
import { createLlmJudge } from './llm/llm-judge.js';
import { createPiiJudge } from './pii/pii-judge.js';
import { JudgeConfigError, type JudgeDeps, type JudgeSettings } from './settings.js';
import { createSimilarityJudge } from './similarity.js';
import { createToxicityJudge } from './toxicity.js';
import type { Judge, JudgeKind } from './types.js';
import { createZeroShotJudge } from './zero-shot.js';

interface JudgeDefinition extends JudgeCatalogEntry {
  create(settings: JudgeSettings, deps: JudgeDeps): Judge;
}

export const JUDGE_REGISTRY = {
  toxicity: { ...JUDGE_CATALOG.toxicity, create: createToxicityJudge },
  pii: { ...JUDGE_CATALOG.pii, create: createPiiJudge },
  similarity: { ...JUDGE_CATALOG.similarity, create: createSimilarityJudge },
  zero_shot: { ...JUDGE_CATALOG.zero_shot, create: createZeroShotJudge },
  format: { ...JUDGE_CATALOG.format, create: createFormatJudge },
  assertions: { ...JUDGE_CATALOG.assertions, create: createAssertionsJudge },
  llm_judge: { ...JUDGE_CATALOG.llm_judge, create: createLlmJudge },
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
