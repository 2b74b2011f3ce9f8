/**
 * The production factory of ActivityDeps: the worker's database, logger, GitHub reporter, outbound policy
 * and, when the GitHub App is configured, the handler of its webhook events (it starts runs the way the
 * API does, so it gets a Temporal client of its own).
 */
import { Client, Connection } from '@temporalio/client';
import type { ActivityDeps } from '../activities/deps.js';
import { createOutboundPolicy, type OutboundPolicyOptions } from '../core/outbound-policy.js';
import { createDataSource } from '../db/data-source.js';
import { gitHubClientFromEnv } from '../github-app/client.js';
import { createCiEventHandler } from '../github-app/events/ci-event-handler.js';
import { createGitHubReporter } from '../github-app/reporting/report.js';
import { createLogger } from '../lib/logger.js';
import { checkProviderSecretKeys } from './encryption-key.js';

/** `outbound`: the mode (dev allows loopback endpoints) and EVALFORGE_ALLOWED_ENDPOINT_HOSTS, from the config. */
export async function createActivityDeps(
  databaseUrl: string,
  outbound: OutboundPolicyOptions,
  temporal?: { address: string; namespace: string },
): Promise<ActivityDeps> {
  const outboundPolicy = createOutboundPolicy(outbound);
  const dataSource = createDataSource({ url: databaseUrl, applicationName: 'evalforge-worker' });
  await dataSource.initialize();
  const logger = createLogger('worker');
  // Stored provider secrets and no EVALFORGE_ENCRYPTION_KEY: refuse to start (clear message) rather than fail runs.
  await checkProviderSecretKeys(dataSource, logger);
  const github = gitHubClientFromEnv(logger);
  let ciEvents: ActivityDeps['ciEvents'];
  if (github && temporal) {
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace });
    ciEvents = createCiEventHandler(
      { dataSource, temporal: client, logger, mode: outbound.mode, temporalUiUrl: null },
      github,
    );
  }
  return {
    dataSource,
    logger,
    reporter: createGitHubReporter({ dataSource, logger, github }),
    outboundPolicy,
    ...(ciEvents ? { ciEvents } : {}),
  };
}
