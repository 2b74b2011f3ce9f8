/** Fault injection for reliability tests: kill database connections, restart a Temporal server. */
import pg from 'pg';
import { inject } from 'vitest';
import { type DevServerHandle, findTemporalCli, startTemporalDevServer } from '../../runtime/temporal-cli.js';
import '../provided-context.js';

/** Terminates every connection to the database (as a failover or a PostgreSQL restart would). */
export async function killDatabaseConnections(databaseUrl: string): Promise<number> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** A Temporal dev server of the test's own, persisted to a SQLite file so it can be restarted mid-run. */
export async function startRestartableTemporal(opts: { port: number; dbFile: string }) {
  let server: DevServerHandle = await start();
  function start() {
    return startTemporalDevServer({
      cliPath: findTemporalCli(),
      port: opts.port,
      uiPort: null,
      dbFile: opts.dbFile,
    });
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    restart: async () => {
      await server.stop();
      server = await start();
    },
    stop: () => server.stop(),
  };
}
