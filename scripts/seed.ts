/**
 * `npm run seed`: applies migrations and creates the demo project ("Customer Support QA v1").
 * Skips when a project of that name exists; `--reset` deletes it (and its runs) and seeds it anew.
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` (started just for this) when unset.
 */
import { createDataSource, runMigrations } from '../db/data-source.js';
import { spawnNodeChild } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { DEMO_PROJECT_NAME, seedDemo } from '../runtime/seed/index.js';

const reset = process.argv.includes('--reset');
const config = loadConfigOrExit();
const embedded = config.DATABASE_URL
  ? null
  : spawnNodeChild('postgres', 'scripts/embedded-postgres.ts', { env: process.env });
try {
  const url = config.DATABASE_URL ?? String((await embedded!.ready).url);
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'evalforge-seed' });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const existing: { id: string }[] = await dataSource.query('SELECT id FROM projects WHERE name = $1', [
      DEMO_PROJECT_NAME,
    ]);
    if (existing.length && !reset) {
      console.log(`demo project already exists (${existing[0].id}); run with --reset to recreate it`);
    } else {
      if (existing.length)
        await dataSource.query('DELETE FROM projects WHERE name = $1', [DEMO_PROJECT_NAME]);
      const seeded = await seedDemo(dataSource);
      console.log(`seeded demo project ${seeded.projectId} with dataset ${seeded.datasetId}`);
    }
  } finally {
    await dataSource.destroy();
  }
} finally {
  await embedded?.stop();
}
