import { sql } from 'kysely';
import type { Migration } from './types.ts';

export const migration0001: Migration = {
  version: 1,
  name: 'family_file',
  async up(db, dialect) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('households')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address_line1', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address_line2', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('postal_code', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_home', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_mobile', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('payer_rank', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('invoice_delivery', 'text', (c) => c.notNull().defaultTo('papier'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('guardians')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('civility', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('relationship', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_mobile', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_work', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('may_pick_up', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('guardians_household_rank')
      .on('guardians')
      .columns(['household_id', 'rank'])
      .unique()
      .execute();

    await db.schema
      .createTable('children')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('school', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('class_level', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('image_consent', 'integer', (c) => c.notNull().defaultTo(0))
      // Restricted data (allergies, PAI): stored now, shown only once roles and read logging exist.
      .addColumn('health_notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('children_household').on('children').column('household_id').execute();

    await db.schema
      .createTable('pickup_persons')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('relationship', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('pickup_persons_household')
      .on('pickup_persons')
      .column('household_id')
      .execute();

    await db.schema
      .createTable('qf_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('value', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('effective_month', 'text', (c) => c.notNull())
      .addColumn('end_month', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('qf_records_household_month')
      .on('qf_records')
      .columns(['household_id', 'effective_month'])
      .execute();

    // What sync pushes: every command, in the order it ran on this device.
    await db.schema
      .createTable('command_log')
      .addColumn('seq', 'integer', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();

    // One row per searchable person or household; the FTS index below points at it.
    await db.schema
      .createTable('search_docs')
      .addColumn('rowid', 'integer', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      // Copied from the household so one index lookup is enough to show a result line.
      .addColumn('household_name', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('search_docs_household').on('search_docs').column('household_id').execute();

    if (dialect === 'sqlite') {
      // remove_diacritics 2 makes « lefevre » match « Lefèvre »; prefix indexes keep typing-as-you-go fast.
      await sql`CREATE VIRTUAL TABLE search_fts USING fts5(
        text, content='search_docs', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
      )`.execute(db);
      await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts(rowid, text) VALUES (new.rowid, new.text);
      END`.execute(db);
      await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END`.execute(db);
    }
  },
};
