import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'scenarios/**/*.test.ts'],
    // Property suites print their seed on failure; keep the default reporter readable.
    testTimeout: 60_000,
    pool: 'forks',
  },
});
