import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * The fiche sanitaire as versions: each save appends a whole fiche (PAI, allergies, meal, treatment, doctor,
 * remarks) and the newest one is the child's; nothing is edited in place, so a fiche entered by an agent who may
 * not read the previous one (core/family/health.ts) loses nothing. `children.health_notes` is no longer written:
 * its text stays readable as the fiche of a child without any version (the rows travel as they are, and a copy
 * made here would not reach a counter enrolled later, whose first pull reads the server's change feed).
 */
export const migration0012: Migration = {
  version: 12,
  name: 'health_records',
  async up(db) {
    await db.schema
      .createTable('health_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
      .addColumn('pai', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('allergies', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('meal', 'text', (c) => c.notNull().defaultTo('standard'))
      .addColumn('treatment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('doctor', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_by_name', 'text', (c) => c.notNull())
      .addCheckConstraint('health_records_pai', sql`pai IN (0, 1)`)
      .addCheckConstraint(
        'health_records_meal',
        sql`meal IN ('standard', 'without_meat', 'adapted', 'packed')`,
      )
      .execute();
    await db.schema
      .createIndex('health_records_child')
      .on('health_records')
      .columns(['child_id', 'recorded_at'])
      .execute();
  },
};
