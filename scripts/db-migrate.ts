/**
 * `npm run db:migrate` applies pending migrations; `npm run db:revert` undoes the last one.
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` (started just for this) when unset.
 */
import { createDataSource, runMigrations } from '../db/data-source.js';
import { spawnNodeChild } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';

const revert = process.argv.includes('--revert');
const config = loadConfigOrExit();
let url = config.DATABASE_URL;
const embedded = url
  ? null
  : spawnNodeChild('postgres', 'scripts/embedded-postgres.ts', { env: process.env });
try {
  if (embedded) url = String((await embedded.ready).url);
  const dataSource = createDataSource({ url: url!, poolSize: 1, applicationName: 'evalforge-migrate' });
  await dataSource.initialize();
  try {
    if (revert) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const applied = await runMigrations(dataSource);
      console.log(
        applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations',
      );
    }
  } finally {
    await dataSource.destroy();
  }
} finally {
  await embedded?.stop();
}
