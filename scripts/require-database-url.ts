import type { AppConfig } from '../runtime/config.js';

/** API and worker processes need a database; `npm start` passes the embedded one's URL. */
export function requireDatabaseUrl(config: AppConfig): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  console.error(
    'DATABASE_URL is not set. Set it to a PostgreSQL URL, or use `npm start`, which runs an embedded one.',
  );
  process.exit(2);
}
