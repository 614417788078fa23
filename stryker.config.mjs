// @ts-check
/**
 * Mutation testing of the core's rule modules (issue 17): `npm run mutate` (every module below, one run) or
 * `npm run mutate -- core/billing/lines.ts …` (one run per file, each with its own report and incremental file).
 * The reports go to reports/mutation/ (ignored by git); scripts/mutation-scores.ts prints the score per file.
 *
 * The modules that decide what a family pays, may book or cancel, and what the Trésorerie is shown. Not the
 * operations, schemas or SQL around them: a mutant there is caught by the contract's tests or by nothing that
 * matters (a label, a log line).
 */
export const RULE_MODULES = [
  'core/billing/rules.ts',
  'core/billing/lines.ts',
  'core/pricing/tariff.ts',
  'core/pricing/surcharge.ts',
  'core/bookings/plan.ts',
  'core/bookings/cancel.ts',
  'core/calendar/working-days.ts',
  'core/calendar/deadlines.ts',
  'core/calendar/openings.ts',
  'core/calendar/school-calendar-file.ts',
  'core/payments/payments.ts',
  'core/journal/journal.ts',
  'core/regie/session.ts',
  'core/regie/deposit-slips.ts',
  'core/regie/collection-report.ts',
  'core/api/facts.ts',
  // `commandTime` only: the time a fact keeps; the rest of the file is the command plumbing.
  'core/api/execute.ts:92-95',
];

/** Set by scripts/mutate.ts for a run on one file: its report and incremental file stand apart from the others. */
const name = process.env.GF_MUTATE_NAME ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Forks, as vitest runs the suite: a test that sets TZ (core/system/town-time-zone.test.ts) needs its own process.
  vitest: { configFile: 'vitest.mutate.config.ts', related: true, pool: 'forks' },
  mutate: RULE_MODULES,
  coverageAnalysis: 'perTest',
  // A mutant in a module-level constant would need every test to run for each: left out of the score (Stryker's
  // « ignored »), as in the first measure.
  ignoreStatic: true,
  // Two cores shared by several engineers.
  concurrency: 1,
  // On a shared machine the first run of the suite can take minutes, and a mutant's run swings with the load: a
  // mutant is only counted « timeout » 20 s past its tests' usual time.
  dryRunTimeoutMinutes: 30,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
