import 'reflect-metadata';
import { DataSource, type DataSourceOptions, MigrationExecutor, type Logger as TypeOrmLogger } from 'typeorm';
import { createLogger, type Logger, sanitizeSql } from '../lib/logger.js';
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
  HumanReview,
  JudgeScore,
  LlmEndpoint,
  Project,
  ProviderSecret,
  RateLimitBucket,
  RateLimitLease,
  ResponseCacheEntry,
  WebhookDelivery,
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
  ProviderSecret,
  WebhookDelivery,
  HumanReview,
];

/**
 * Server-side limits on every connection (PostgreSQL startup parameters, so they hold for every
 * statement, whatever code sends it): a statement running longer is cancelled (SQLSTATE 57014), and a
 * session left idle inside an open transaction (a leaked transaction holding locks) is closed.
 * Migrations run with both off (runMigrations). 0 turns a limit off.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 300_000;
export const STATEMENT_TIMEOUT_ENV = 'EVALFORGE_PG_STATEMENT_TIMEOUT_MS';
export const IDLE_IN_TRANSACTION_TIMEOUT_ENV = 'EVALFORGE_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS';

/** A timeout from the environment: a whole number of milliseconds (0 = off), else a startup error naming it. */
export function timeoutFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`Invalid configuration:\n  ${name}: must be a whole number of milliseconds (0 = off)`);
  }
  return value;
}

export interface DataSourceSettings {
  url: string;
  /** Connections per process; workers and the API each hold their own pool. */
  poolSize?: number;
  applicationName?: string;
  /** Default: EVALFORGE_PG_STATEMENT_TIMEOUT_MS, else DEFAULT_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
  /** Default: EVALFORGE_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, else DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS. */
  idleInTransactionTimeoutMs?: number;
  /** Where TypeORM's own lines go (JSON through pino); default a `db` logger at LOG_LEVEL. */
  logger?: Logger;
}

/**
 * TypeORM's messages as pino JSON lines. A failed query logs its SQLSTATE, constraint and the
 * statement with every literal replaced by `?` — never its parameters (prompts, outputs, keys) nor
 * PostgreSQL's `detail`, which quotes values. Per-query lines are not logged at all.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}
  logQuery() {}
  logQueryError(error: string | Error, query: string) {
    const err = typeof error === 'string' ? { message: error.split(':')[0] } : error;
    this.logger.warn({ err, sql: sanitizeSql(query) }, 'database query failed');
  }
  logQuerySlow(time: number, query: string) {
    this.logger.warn({ duration_ms: time, sql: sanitizeSql(query) }, 'slow database query');
  }
  logSchemaBuild(message: string) {
    this.logger.debug({ typeorm: message }, 'schema build');
  }
  logMigration(message: string) {
    this.logger.debug({ typeorm: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    if (level === 'warn') this.logger.warn({ typeorm: String(message) }, 'typeorm warning');
    else this.logger.debug({ typeorm: String(message) }, 'typeorm');
  }
}

/** The schema comes only from migrations: `synchronize` stays off everywhere. */
export function createDataSource({
  url,
  poolSize = 10,
  applicationName = 'evalforge',
  statementTimeoutMs = timeoutFromEnv(process.env, STATEMENT_TIMEOUT_ENV, DEFAULT_STATEMENT_TIMEOUT_MS),
  idleInTransactionTimeoutMs = timeoutFromEnv(
    process.env,
    IDLE_IN_TRANSACTION_TIMEOUT_ENV,
    DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  ),
  logger,
}: DataSourceSettings) {
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
    logging: ['error', 'warn', 'migration'],
    logger: new PinoTypeOrmLogger(logger ?? createLogger('db')),
    poolSize,
    applicationName,
    // node-postgres sends these as startup parameters: they are each session's defaults.
    extra: {
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
    },
  };
  return new DataSource(options);
}

/**
 * Applies pending migrations, one transaction each, on one connection with the statement and
 * idle-in-transaction timeouts off: building an index on a large table may take longer than any
 * request should. The connection gets its own limits back (RESET) before it returns to the pool.
 */
export async function runMigrations(dataSource: DataSource) {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SET idle_in_transaction_session_timeout = 0');
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    await runner
      .query('RESET statement_timeout')
      .then(() => runner.query('RESET idle_in_transaction_session_timeout'))
      .finally(() => runner.release());
  }
}
