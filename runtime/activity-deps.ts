/** The production factory of ActivityDeps: the worker's database, logger, GitHub reporter and outbound policy. */
import type { ActivityDeps } from '../activities/deps.js';
import { createOutboundPolicy, type OutboundPolicyOptions } from '../core/outbound-policy.js';
import { createDataSource } from '../db/data-source.js';
import { createGitHubReporter } from '../github-app/reporting/report.js';
import { createLogger } from '../lib/logger.js';
import { checkProviderSecretKeys } from './encryption-key.js';

/** `outbound`: the mode (dev allows loopback endpoints) and EVALFORGE_ALLOWED_ENDPOINT_HOSTS, from the config. */
export async function createActivityDeps(
  databaseUrl: string,
  outbound: OutboundPolicyOptions,
): Promise<ActivityDeps> {
  const outboundPolicy = createOutboundPolicy(outbound);
  const dataSource = createDataSource({ url: databaseUrl, applicationName: 'evalforge-worker' });
  await dataSource.initialize();
  const logger = createLogger('worker');
  // Stored provider secrets and no EVALFORGE_ENCRYPTION_KEY: refuse to start (clear message) rather than fail runs.
  await checkProviderSecretKeys(dataSource, logger);
  return { dataSource, logger, reporter: createGitHubReporter({ dataSource, logger }), outboundPolicy };
}
