import type { Migration } from './types.ts';

/**
 * Stands in for migration 0009 (attendance and SQLite guards), written on another branch of the same issue, so that
 * the steps stay numbered without a gap (core/db/migrate.ts refuses one). Merging that branch replaces this file
 * and its line in index.ts by the real step.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'reserved',
  async up() {},
};
