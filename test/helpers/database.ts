import { inject } from 'vitest';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database.js';
import '../provided-context.js';

export type TestDatabase = ThrowawayDatabase;

/** A brand-new database on the real PostgreSQL, migrated unless `migrate: false`. Call drop() in afterAll. */
export function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  return createThrowawayDatabase({
    adminUrl: inject('pgAdminUrl'),
    prefix: 'evalforge_test',
    applicationName: 'evalforge-test',
    migrate: opts.migrate,
  });
}
