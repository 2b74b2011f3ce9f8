/**
 * What activities need from the world, passed in explicitly (no module mocks): tests build their own
 * with a test database; production builds it in runtime/activity-deps.ts.
 */
import type { DataSource } from 'typeorm';
import type { CiEventHandler } from '../core/ci-events.js';
import type { OutboundPolicy } from '../core/outbound-policy.js';
import type { RunReporter } from '../core/run-reporter.js';
import type { Logger } from '../lib/logger.js';

export interface ActivityDeps {
  dataSource: DataSource;
  logger: Logger;
  /** Reports finished runs (GitHub checks and comments), injected so activities never import the App. */
  reporter: RunReporter;
  /** Which URLs and addresses model and LLM-judge calls may reach: built from the mode and
   * EVALFORGE_ALLOWED_ENDPOINT_HOSTS (core/outbound-policy.ts). */
  outboundPolicy: OutboundPolicy;
  /** Does the GitHub App's work for webhook events (github-app/events/); absent where no App is configured. */
  ciEvents?: CiEventHandler;
}
