import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // 2 cores: more parallel files only fight over CPU with the Temporal server and workers.
    maxWorkers: 2,
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'node',
          include: ['**/*.test.ts'],
          // web/src holds browser code (the `web` project); web/e2e drives the real API and belongs here.
          exclude: ['node_modules/**', 'dist/**', '.evalforge/**', 'web/src/**', 'web/dist/**'],
          // One real PostgreSQL and one real Temporal dev server for the whole run; each test file
          // gets its own database and Temporal namespace (test/helpers).
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Dashboard components in jsdom: no database, no Temporal.
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['web/src/testing/setup.ts'],
        },
      },
    ],
  },
});
