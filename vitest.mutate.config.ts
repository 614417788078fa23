import { defineConfig } from 'vitest/config';

/**
 * The core's tests alone, for Stryker (stryker.config.mjs): a mutant of a rule module must be caught by the core's
 * own tests, through the contract or the module's function. The renderer, Electron and end-to-end projects stay out
 * (the last needs Chromium). The counters' zone, as `.ci/run` sets it.
 */
process.env.TZ ??= 'Europe/Paris';

export default defineConfig({
  test: {
    name: 'core',
    environment: 'node',
    include: ['core/**/*.test.ts'],
  },
});
