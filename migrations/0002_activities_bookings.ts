import { sql } from 'kysely';
import type { Migration } from './types.ts';

export const migration0002: Migration = {
  version: 2,
  name: 'activities_bookings',
  async up(db) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .execute();

    // Rules are data: deadlines, surcharges and billing mode live in `settings` (JSON checked by core/activities).
    await db.schema
      .createTable('activities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('units')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('weekdays', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('units_activity_code')
      .on('units')
      .columns(['activity_id', 'code'])
      .unique()
      .execute();

    await db.schema
      .createTable('activity_sites')
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addPrimaryKeyConstraint('activity_sites_pk', ['activity_id', 'site_id'])
      .execute();

    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('places', 'integer')
      .execute();

    // Places per site × unit, by default (date null) or for one date.
    await db.schema
      .createTable('capacities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('date', 'text')
      .addColumn('places', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('capacities_site_unit_date')
      .on('capacities')
      .columns(['site_id', 'unit_id', 'date'])
      .unique()
      .execute();

    await db.schema
      .createTable('closures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.references('sites.id'))
      .addColumn('first_day', 'text', (c) => c.notNull())
      .addColumn('last_day', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .execute();

    // Dated price tables; `data` holds the QF brackets or the linear formula (core/pricing).
    await db.schema
      .createTable('tariffs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('tariffs_activity_unit')
      .on('tariffs')
      .columns(['activity_id', 'unit_code', 'valid_from'])
      .execute();

    // The documents checked for a school year; the file is complete when every required one is.
    await db.schema
      .createTable('file_checks')
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('school_year', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('file_checks_pk', ['household_id', 'school_year', 'item'])
      .execute();

    await db.schema
      .createTable('enrolments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('school_year', 'text', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.references('sites.id'))
      .addColumn('group_id', 'text', (c) => c.references('groups.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('enrolments_child_activity_year')
      .on('enrolments')
      .columns(['child_id', 'activity_id', 'school_year'])
      .unique()
      .execute();

    await db.schema
      .createTable('bookings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // booked | cancelled
      .addColumn('origin', 'text', (c) => c.notNull()) // counter | portal
      .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('late_reason', 'text')
      .addColumn('unbooked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('booked_at', 'text', (c) => c.notNull())
      .addColumn('booked_by', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text')
      .addColumn('cancelled_by', 'text')
      .addColumn('cancel_late', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cancel_reason', 'text')
      .addColumn('attendance', 'text') // present | absent_justified | absent_unjustified
      .execute();
    await db.schema.createIndex('bookings_child_date').on('bookings').columns(['child_id', 'date']).execute();
    await db.schema
      .createIndex('bookings_slot')
      .on('bookings')
      .columns(['site_id', 'unit_id', 'date', 'state'])
      .execute();
    // One live booking per child, unit and day; cancelled ones stay as history (and may be billed).
    await db.schema
      .createIndex('bookings_one_live')
      .on('bookings')
      .columns(['child_id', 'unit_id', 'date'])
      .unique()
      .where(sql.ref('state'), '=', 'booked')
      .execute();
  },
};
