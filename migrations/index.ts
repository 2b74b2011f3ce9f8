export { Initial1764160000000 } from './1764160000000-initial.js';
export { SampleKeys1764200000000 } from './1764200000000-sample-keys.js';
export { RateLimits1764300000000 } from './1764300000000-rate-limits.js';
export { GitHub1764400000000 } from './1764400000000-github.js';
export { ResultOrder1764500000000 } from './1764500000000-result-order.js';
export { IdempotencyFingerprint1764600000000 } from './1764600000000-idempotency-fingerprint.js';
export { BaselineEligibility1764700000000 } from './1764700000000-baseline-eligibility.js';
export { ProviderSecrets1764800000000 } from './1764800000000-provider-secrets.js';
export { WebhookDeliveries1764900000000 } from './1764900000000-webhook-deliveries.js';
export { ConfigRuns1765000000000 } from './1765000000000-config-runs.js';

import { Initial1764160000000 } from './1764160000000-initial.js';
import { SampleKeys1764200000000 } from './1764200000000-sample-keys.js';
import { RateLimits1764300000000 } from './1764300000000-rate-limits.js';
import { GitHub1764400000000 } from './1764400000000-github.js';
import { ResultOrder1764500000000 } from './1764500000000-result-order.js';
import { IdempotencyFingerprint1764600000000 } from './1764600000000-idempotency-fingerprint.js';
import { BaselineEligibility1764700000000 } from './1764700000000-baseline-eligibility.js';
import { ProviderSecrets1764800000000 } from './1764800000000-provider-secrets.js';
import { WebhookDeliveries1764900000000 } from './1764900000000-webhook-deliveries.js';
import { ConfigRuns1765000000000 } from './1765000000000-config-runs.js';
import { GitHubCiLifecycle1765100000000 } from './1765100000000-github-ci-lifecycle.js';
import { ReviewsAndRunLabels1765200000000 } from './1765200000000-reviews-and-run-labels.js';

/** In order of application (TypeORM sorts by timestamp); new migrations are appended here. */
export const ALL_MIGRATIONS = [
  Initial1764160000000,
  SampleKeys1764200000000,
  RateLimits1764300000000,
  GitHub1764400000000,
  ResultOrder1764500000000,
  IdempotencyFingerprint1764600000000,
  BaselineEligibility1764700000000,
  ProviderSecrets1764800000000,
  WebhookDeliveries1764900000000,
  ConfigRuns1765000000000,
  GitHubCiLifecycle1765100000000,
  ReviewsAndRunLabels1765200000000,
];
