import { Writable } from 'node:stream';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/index.js';
import {
  createDataSource,
  DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  runMigrations,
  STATEMENT_TIMEOUT_ENV,
  timeoutFromEnv,
} from './data-source.js';

/** A pino logger whose JSON lines are kept in memory. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('db-test', 'debug', sink), text: () => lines.join('') };
}

const MARKER = 'SECRET-PROMPT-7f3a9c';
const quiet = createLogger('db-test', 'silent');

let db: TestDatabase;
const extra: DataSource[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const ds of extra) if (ds.isInitialized) await ds.destroy();
  await db?.drop();
});

async function open(opts: Partial<Parameters<typeof createDataSource>[0]> = {}) {
  const ds = createDataSource({ url: db.url, poolSize: 2, ...opts });
  extra.push(ds);
  await ds.initialize();
  return ds;
}

const show = async (ds: DataSource, setting: string) =>
  ((await ds.query(`SHOW ${setting}`)) as Record<string, string>[])[0][setting];

describe('PostgreSQL session limits', () => {
  it('sets statement and idle-in-transaction timeouts on every connection of the data source', async () => {
    expect(await show(db.dataSource, 'statement_timeout')).toBe(
      `${DEFAULT_STATEMENT_TIMEOUT_MS / 60_000}min`,
    );
    expect(await show(db.dataSource, 'idle_in_transaction_session_timeout')).toBe(
      `${DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS / 60_000}min`,
    );
    const custom = await open({ statementTimeoutMs: 1500, idleInTransactionTimeoutMs: 0 });
    expect(await show(custom, 'statement_timeout')).toBe('1500ms');
    expect(await show(custom, 'idle_in_transaction_session_timeout')).toBe('0');
  });

  it('cancels a statement that runs past the limit (57014)', async () => {
    const ds = await open({ statementTimeoutMs: 200, logger: quiet });
    await expect(ds.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('runs migrations with both limits off, then gives the connection its limits back', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const ds = createDataSource({ url: fresh.url, poolSize: 1, statementTimeoutMs: 150, logger: quiet });
    const seen: string[] = [];
    try {
      await ds.initialize();
      // A migration as slow as an index build on a big table: longer than the limit.
      (ds.migrations as MigrationInterface[]).push({
        name: 'SlowProbe9999999999999',
        async up(runner: QueryRunner) {
          seen.push((await runner.query('SHOW statement_timeout'))[0].statement_timeout);
          await runner.query('SELECT pg_sleep(0.4)');
        },
        async down() {},
      });
      const applied = await runMigrations(ds);
      expect(applied.at(-1)?.name).toBe('SlowProbe9999999999999');
      expect(seen).toEqual(['0']);
      // The same (only) pooled connection has its limit back.
      expect(await show(ds, 'statement_timeout')).toBe('150ms');
      await expect(ds.query('SELECT pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await ds.destroy();
      await fresh.drop();
    }
  });

  it('takes the limits from the environment, refusing a value that is not whole milliseconds', () => {
    expect(timeoutFromEnv({}, STATEMENT_TIMEOUT_ENV, 5)).toBe(5);
    expect(timeoutFromEnv({ [STATEMENT_TIMEOUT_ENV]: '0' }, STATEMENT_TIMEOUT_ENV, 5)).toBe(0);
    expect(timeoutFromEnv({ [STATEMENT_TIMEOUT_ENV]: '30000' }, STATEMENT_TIMEOUT_ENV, 5)).toBe(30_000);
    for (const bad of ['-1', '2m', '1.5'])
      expect(() => timeoutFromEnv({ [STATEMENT_TIMEOUT_ENV]: bad }, STATEMENT_TIMEOUT_ENV, 5)).toThrow(
        new RegExp(`Invalid configuration:\\n {2}${STATEMENT_TIMEOUT_ENV}`),
      );
  });
});

describe('database logs', () => {
  it('logs a failed query as a JSON line without its parameters, values or literals', async () => {
    const { logger, text } = capturedLogger();
    const ds = await open({ logger });
    // PostgreSQL's own message quotes the bad value; TypeORM's default logger printed it and the parameters.
    await expect(ds.query('SELECT $1::uuid AS id', [MARKER])).rejects.toMatchObject({ code: '22P02' });
    await expect(
      ds.query(`INSERT INTO projects (id, name) VALUES ($1, 'literal ${MARKER}')`, [MARKER]),
    ).rejects.toMatchObject({ code: '22P02' });
    // A unique violation: `detail` says "Key (name)=(…) already exists".
    await ds.query('CREATE TABLE log_probe (v text CONSTRAINT uq_log_probe UNIQUE)');
    await ds.query('INSERT INTO log_probe (v) VALUES ($1)', [MARKER]);
    await expect(ds.query('INSERT INTO log_probe (v) VALUES ($1)', [MARKER])).rejects.toMatchObject({
      code: '23505',
    });

    const lines = text().trim().split('\n');
    const failures = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'database query failed');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({
      level: 40,
      err: { code: '22P02', message: 'invalid input syntax for type uuid' },
      sql: 'SELECT $1::uuid AS id',
    });
    expect(failures[1].sql).toBe('INSERT INTO projects (id, name) VALUES ($1, ?)');
    expect(failures[2].err).toMatchObject({ code: '23505', constraint: 'uq_log_probe', table: 'log_probe' });
    expect(text()).not.toContain(MARKER);
  });

  it('keeps parameters out of an application log of the thrown QueryFailedError', async () => {
    const { logger, text } = capturedLogger();
    const ds = await open({ logger: quiet });
    const err = await ds.query('SELECT $1::int AS n', [MARKER]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'QueryFailedError', parameters: [MARKER] });
    logger.error({ err }, 'unhandled error');
    logger.error({ err: new Error('storing results failed', { cause: err }) }, 'activity failed');
    expect(text()).toContain('"code":"22P02"');
    expect(text()).toContain('SELECT $1::int AS n');
    expect(text()).not.toContain(MARKER);
  });
});
