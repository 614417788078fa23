import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * The families' requests from the portal (cancellation, pickup authorisation, a document…), answered by staff at
 * the counters. Written on the central server and pulled by every counter; the answer travels back the same way.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'requests',
  async up(db, dialect) {
    // The details travel as JSON text on both sides: a jsonb column would come back from PostgreSQL as an object
    // and reach the counters' SQLite in another shape than the one the counter wrote.
    const jsonDetails =
      dialect === 'sqlite'
        ? sql`json_valid(details) AND json_type(details) = 'object'`
        : sql`details::jsonb IS NOT NULL`;
    await db.schema
      .createTable('family_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('child_id', 'text', (c) => c.references('children.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('reply', 'text', (c) => c.notNull().defaultTo(''))
      // The agent's id, as bookings keep it, and the name they had then: staff accounts stay on their own counter.
      .addColumn('answered_by', 'text')
      .addColumn('answered_by_name', 'text')
      .addColumn('answered_at', 'text')
      .addCheckConstraint(
        'family_requests_kind',
        sql`kind IN ('cancellation', 'pickup', 'document', 'other')`,
      )
      .addCheckConstraint('family_requests_state', sql`state IN ('pending', 'accepted', 'refused')`)
      // An answer is dated the moment it is given, and a refusal always says why to the family.
      .addCheckConstraint('family_requests_answered', sql`(state = 'pending') = (answered_at IS NULL)`)
      .addCheckConstraint('family_requests_refusal_reply', sql`state <> 'refused' OR reply <> ''`)
      .addCheckConstraint('family_requests_details', jsonDetails)
      .execute();
    // The inbox: pending first, oldest first; a family's own list, newest first.
    await db.schema
      .createIndex('family_requests_state_received')
      .on('family_requests')
      .columns(['state', 'received_at'])
      .execute();
    await db.schema
      .createIndex('family_requests_household')
      .on('family_requests')
      .columns(['household_id', 'received_at'])
      .execute();
  },
};
