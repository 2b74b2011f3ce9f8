export {
  type EndpointConfig,
  endpointConfigSchema,
  parseEndpointConfig,
} from '../../core/endpoint-config.js';
export { DEFAULT_API_KEY_ENV, type EnvReader, resolveApiKey, resolveEndpointApiKey } from './api-key.js';
export { BudgetGuard, runSpendUsd } from './budget.js';
export * from './constants.js';
export {
  type GenerateChunkInput,
  type GenerateChunkOptions,
  type GenerateChunkResult,
  makeGenerateChunk,
} from './generate-chunk.js';
export { classifyModelError, ModelCallError, type ModelErrorKind } from './model-errors.js';
export {
  createModelRunner,
  type ModelCallOutcome,
  type ModelRunner,
  type ModelRunnerOptions,
  type Prompt,
} from './model-runner.js';
export { costUsd, DEFAULT_MODEL_PRICES, type ModelPrice, resolvePrice } from './pricing.js';
export { responseCacheKey } from './response-cache.js';
