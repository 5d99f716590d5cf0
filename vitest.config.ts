import { defineConfig } from 'vitest/config';

// Two projects: unit tests (no services) and integration tests (the local stack, started once
// by the global setup). `npm test` runs both after pgTAP; see scripts/test.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Suites share one database and measure contention: run files one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
