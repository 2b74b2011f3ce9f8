export { ApiKey } from './api-key.js';
export { DatasetVersion } from './dataset-version.js';
export { EvalDataset } from './eval-dataset.js';
export { EvalResult, RESULT_STATUSES, type ResultStatus } from './eval-result.js';
export {
  EvalRun,
  RUN_LABEL_MAX,
  RUN_LABELS_MAX,
  RUN_NAME_MAX,
  RUN_STATUSES,
  type RunStatus,
  TRIGGER_TYPES,
  type TriggerType,
} from './eval-run.js';
export { EvalSample } from './eval-sample.js';
export { GitHubCheckRun } from './github-check-run.js';
export { GitHubPullRequest } from './github-pull-request.js';
export { GitHubRepository } from './github-repository.js';
export { GuardrailConfig } from './guardrail-config.js';
export { HumanReview, REVIEW_COMMENT_MAX } from './human-review.js';
export { JudgeScore } from './judge-score.js';
export { LLM_PROVIDERS, LlmEndpoint, type LlmProvider } from './llm-endpoint.js';
export { Project } from './project.js';
export { ProviderSecret } from './provider-secret.js';
export { RateLimitBucket } from './rate-limit-bucket.js';
export { RateLimitLease } from './rate-limit-lease.js';
export { ResponseCacheEntry } from './response-cache-entry.js';
export {
  WEBHOOK_DELIVERY_STATUSES,
  WebhookDelivery,
  type WebhookDeliveryStatus,
} from './webhook-delivery.js';
