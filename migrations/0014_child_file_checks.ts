import type { Migration } from './types.ts';

/**
 * The documents of a school year that are each child's own (the fiche sanitaire, the school insurance), checked
 * per child; the family's own (proof of address, CAF certificate) stay in `file_checks`. A per-child document
 * checked for the whole household before this step still counts for each of its children until an agent changes
 * it (core/activities/enrolment.ts, `yearFile`): copying it here would not reach a counter enrolled later.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'child_file_checks',
  async up(db) {
    await db.schema
      .createTable('child_file_checks')
      .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
      .addColumn('school_year', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('child_file_checks_pk', ['child_id', 'school_year', 'item'])
      .execute();
  },
};
