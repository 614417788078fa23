import type { Migration } from './types.ts';

export const migration0004: Migration = {
  version: 4,
  name: 'staff_privacy',
  async up(db) {
    await db.schema
      .createTable('staff')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // Every read of a child's health notes: who, when, which child (CNIL: restricted data, traced access).
    await db.schema
      .createTable('health_reads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('health_reads_child')
      .on('health_reads')
      .columns(['child_id', 'at'])
      .execute();

    // The day a child left the town's services; retention counts from it.
    await db.schema.alterTable('children').addColumn('left_on', 'text').execute();
    await db.schema.alterTable('children').addColumn('anonymised_at', 'text').execute();
  },
};
