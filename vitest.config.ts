import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'apps/web/.next/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one Postgres and one Redis; files run one at a time so they never race.
    fileParallelism: false,
  },
});
