/** The production factory of ActivityDeps: the worker's database, logger and GitHub reporter. */
import type { ActivityDeps } from '../activities/deps.js';
import { createDataSource } from '../db/data-source.js';
import { createGitHubReporter } from '../github-app/reporting/report.js';
import { createLogger } from '../lib/logger.js';

export async function createActivityDeps(databaseUrl: string): Promise<ActivityDeps> {
  const dataSource = createDataSource({ url: databaseUrl, applicationName: 'evalforge-worker' });
  await dataSource.initialize();
  const logger = createLogger('worker');
  return { dataSource, logger, reporter: createGitHubReporter({ dataSource, logger }) };
}
