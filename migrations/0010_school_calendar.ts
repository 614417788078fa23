import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * The school calendar as data: the periods without school of the town's académie, imported from the ministry's
 * open data (« fr-en-calendrier-scolaire ») by the administrator, on a counter or on the central server, which
 * sends them to every counter with the rest of the town's set-up.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'school_calendar',
  async up(db, dialect) {
    // Days are ISO text on both sides, compared as text by the opening rules: a malformed one would sort wrongly.
    const isDay = (column: string) =>
      dialect === 'sqlite'
        ? sql.raw(`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`)
        : sql.raw(`${column} ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'`);
    const isYear =
      dialect === 'sqlite'
        ? sql`school_year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'`
        : sql`school_year ~ '^[0-9]{4}-[0-9]{4}$'`;
    await db.schema
      .createTable('school_holidays')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('school_year', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('first_day', 'text', (c) => c.notNull())
      // Null: the summer of the last published year, whose end (the next rentrée) is not known yet.
      .addColumn('last_day', 'text')
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addCheckConstraint('school_holidays_year', isYear)
      .addCheckConstraint('school_holidays_first_day', isDay('first_day'))
      .addCheckConstraint('school_holidays_last_day', sql`last_day IS NULL OR (${isDay('last_day')})`)
      .addCheckConstraint('school_holidays_order', sql`last_day IS NULL OR first_day <= last_day`)
      .addCheckConstraint('school_holidays_name', sql`name <> ''`)
      .execute();
    await db.schema
      .createIndex('school_holidays_year')
      .on('school_holidays')
      .columns(['school_year', 'first_day'])
      .execute();
  },
};
