/**
 * What activities need from the world, passed in explicitly (no module mocks): tests build
 * their own with a test database; production builds it with createActivityDeps.
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../db/data-source.js';
import { createLogger, type Logger } from '../runtime/logger.js';

export interface ActivityDeps {
  dataSource: DataSource;
  logger: Logger;
}

export async function createActivityDeps(databaseUrl: string): Promise<ActivityDeps> {
  const dataSource = createDataSource({ url: databaseUrl, applicationName: 'evalforge-worker' });
  await dataSource.initialize();
  return { dataSource, logger: createLogger('worker') };
}
