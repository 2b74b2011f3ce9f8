export { createAssertionsJudge } from './assertions.js';
export { JUDGE_CATALOG, type JudgeCatalogEntry } from './catalog.js';
export { JUDGE_CONFIG_OPTIONS, judgeConfigSchema } from './config-schemas.js';
export { createFormatJudge, markdownStructure, parseJsonOutput } from './format.js';
export {
  chooseExecutionDevice,
  cudaExecutionProviderAvailable,
  type DevicePreference,
} from './inference/execution-device.js';
export { ModelNotFoundError } from './inference/model-loader.js';
export { DEFAULT_MODELS_DIR, type ModelSource, modelSourceFromEnv } from './inference/models-dir.js';
export {
  type ChatCaller,
  type ChatCallOptions,
  type ChatCallResult,
  type ChatMessage,
  createOpenAIChatCaller,
} from './llm/chat-caller.js';
export { createLlmJudge, LLM_JUDGE_ATTEMPTS } from './llm/llm-judge.js';
export type { JudgeLogger } from './logger.js';
export { createPiiJudge, DEFAULT_PII_NER_MODEL } from './pii/pii-judge.js';
export {
  baseJudgeType,
  createJudge,
  isKnownJudgeType,
  JUDGE_REGISTRY,
  JUDGE_TYPES,
  type JudgeType,
  judgeKind,
} from './registry.js';
export {
  JudgeConfigError,
  type JudgeDeps,
  type JudgeSettings,
  judgeConfigMessage,
  judgeSettingsFromGuardrail,
} from './settings.js';
export { createSimilarityJudge, DEFAULT_SIMILARITY_MODEL, embedWithSimilarityModel } from './similarity.js';
export { createToxicityJudge, DEFAULT_TOXICITY_MODEL } from './toxicity.js';
export type {
  EvaluateOptions,
  Judge,
  JudgeItem,
  JudgeKind,
  JudgeModelInfo,
  JudgeResult,
  JudgeUsage,
} from './types.js';
export { createZeroShotJudge, DEFAULT_ZERO_SHOT_MODEL } from './zero-shot.js';
