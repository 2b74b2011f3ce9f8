import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.evalforge/**', 'web/**'],
    // One real PostgreSQL and one real Temporal dev server for the whole run; each test file
    // gets its own database and Temporal namespace (test/helpers).
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // 2 cores: more parallel files only fight over CPU with the Temporal server and workers.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
