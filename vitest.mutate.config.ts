import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The core's tests alone, for Stryker (stryker.config.mjs): a mutant of a rule module must be caught by the core's
 * own tests, through the contract or the module's function. The renderer, Electron and end-to-end projects stay out
 * (the last needs Chromium). The counters' zone, as `.ci/run` sets it.
 */
process.env.TZ ??= 'Europe/Paris';

/**
 * Stryker stops a mutant's run at its first failing test: quick files first and the property tests (thousands of
 * sequences each) last, so a mutant a unit test kills costs seconds, and only a survivor pays for every sequence.
 */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Vitest's own order puts the slowest files first.
    const quick = (await super.sort(files)).reverse();
    const property = (f: TestSpecification) => f.moduleId.includes('.property.test.');
    return [...quick.filter((f) => !property(f)), ...quick.filter(property)];
  }
}

export default defineConfig({
  test: {
    name: 'core',
    environment: 'node',
    include: ['core/**/*.test.ts'],
    // Backups are tested by killing a child process mid-write: a matter of timing, which a loaded machine running
    // mutants upsets, and no rule of the modules mutated here. `npm test` runs them.
    exclude: ['core/backup/**'],
    // Instrumented code on a machine several engineers share: the property tests need more than vitest's 5 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    sequence: { sequencer: QuickFirst },
  },
});
