import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../migrations/index.js';
import {
  ApiKey,
  DatasetVersion,
  EvalDataset,
  EvalResult,
  EvalRun,
  EvalSample,
  GitHubCheckRun,
  GitHubPullRequest,
  GitHubRepository,
  GuardrailConfig,
  JudgeScore,
  LlmEndpoint,
  Project,
  RateLimitBucket,
  RateLimitLease,
  ResponseCacheEntry,
} from './entities/index.js';

export const ENTITIES = [
  Project,
  LlmEndpoint,
  EvalDataset,
  DatasetVersion,
  EvalSample,
  EvalRun,
  EvalResult,
  JudgeScore,
  GuardrailConfig,
  ApiKey,
  ResponseCacheEntry,
  RateLimitBucket,
  RateLimitLease,
  GitHubRepository,
  GitHubPullRequest,
  GitHubCheckRun,
];

export interface DataSourceSettings {
  url: string;
  /** Connections per process; workers and the API each hold their own pool. */
  poolSize?: number;
  applicationName?: string;
}

/** The schema comes only from migrations: `synchronize` stays off everywhere. */
export function createDataSource({ url, poolSize = 10, applicationName = 'evalforge' }: DataSourceSettings) {
  const options: DataSourceOptions = {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    poolSize,
    applicationName,
  };
  return new DataSource(options);
}

export async function runMigrations(dataSource: DataSource) {
  return dataSource.runMigrations({ transaction: 'each' });
}
