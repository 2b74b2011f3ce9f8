/**
 * A brand-new database on a real PostgreSQL server, dropped when done. Shared by the test helper
 * (admin URL from vitest's global setup) and the benchmarks (admin URL from the environment).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../db/data-source.js';

export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** TEST_PG_ADMIN_URL, else the local service's default superuser database. */
export const pgAdminUrlFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  env.TEST_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;

export interface ThrowawayDatabase {
  url: string;
  dataSource: DataSource;
  /** Drops the database (closing the pool first and any other session with FORCE). */
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createThrowawayDatabase(opts: {
  adminUrl: string;
  /** Database name prefix: whoever finds a leftover knows where it came from. */
  prefix: string;
  applicationName: string;
  poolSize?: number;
  migrate?: boolean;
}): Promise<ThrowawayDatabase> {
  const name = `${opts.prefix}_${crypto.randomBytes(6).toString('hex')}`;
  await admin(opts.adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({
    url: url.toString(),
    poolSize: opts.poolSize ?? 5,
    applicationName: opts.applicationName,
  });
  const drop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin(opts.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  try {
    await dataSource.initialize();
    if (opts.migrate !== false) await runMigrations(dataSource);
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { url: url.toString(), dataSource, drop };
}
