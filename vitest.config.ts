import { defineConfig } from 'vitest/config';

// Two projects: `fast` (unit, corpus and in-process CLI tests) and `e2e` (spawns the built
// binary). `npm run test:fast` runs the first only, for a quick local loop.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 60_000,
        },
      },
      // one file at a time: the trace tests time real processes and containers
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
