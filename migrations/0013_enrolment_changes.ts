import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * An enrolment ends at a date (the child's last day) and changes site from a date. `enrolments.site_id` stays the
 * site of today's enrolment; each change keeps the site it replaced, so the days before it still belong to the
 * former site (a presence noted there last week stays valid).
 */
export const migration0013: Migration = {
  version: 13,
  name: 'enrolment_changes',
  async up(db) {
    await db.schema.alterTable('enrolments').addColumn('ends_on', 'text').execute();
    await db.schema.alterTable('enrolments').addColumn('end_reason', 'text').execute();
    await db.schema
      .createTable('enrolment_site_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      // Null: « tous les sites », before or after.
      .addColumn('site_id', 'text', (c) => c.references('sites.id'))
      .addColumn('previous_site_id', 'text', (c) => c.references('sites.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addCheckConstraint('enrolment_site_changes_reason', sql`reason <> ''`)
      .execute();
    await db.schema
      .createIndex('enrolment_site_changes_enrolment')
      .on('enrolment_site_changes')
      .columns(['enrolment_id', 'from_date'])
      .execute();
  },
};
