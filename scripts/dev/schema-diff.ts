/**
 * Prints the SQL that would make the database match the entities (empty when in sync).
 * Use it to write a new migration: `npm run db:diff -- postgres://…` against a migrated database.
 */
import { createDataSource } from '../../db/data-source.js';

const url = process.argv[2] ?? process.env.DATABASE_URL;
if (!url) {
  console.error('usage: npm run db:diff -- <postgres url>   (or set DATABASE_URL)');
  process.exit(2);
}
const ds = createDataSource({ url });
await ds.initialize();
const log = await ds.driver.createSchemaBuilder().log();
const asJson = process.argv.includes('--json');
if (asJson) {
  console.log(
    JSON.stringify({ up: log.upQueries.map((q) => q.query), down: log.downQueries.map((q) => q.query) }),
  );
} else {
  for (const q of log.upQueries) console.log(`${q.query};`);
  if (log.upQueries.length === 0) console.error('schema matches the entities');
}
await ds.destroy();
