import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * The month’s paperwork (issue 14), the CAF part:
 * - the family's CAF allocataire number, and who checked a QF, where (CDAP, API Particulier, a paper notice) and
 *   when: the town shows the Trésorerie and the CAF how each tariff was set.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'paperwork',
  async up(db) {
    await db.schema
      .alterTable('households')
      .addColumn('caf_number', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .alterTable('qf_records')
      .addColumn('checked_via', 'text', (c) =>
        c.check(sql`checked_via IS NULL OR checked_via IN ('cdap', 'api_particulier', 'document')`),
      )
      .execute();
    await db.schema.alterTable('qf_records').addColumn('checked_on', 'text').execute();
    await db.schema.alterTable('qf_records').addColumn('checked_by', 'text').execute();
  },
};
