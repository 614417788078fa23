import type { Migration } from './types.ts';

/**
 * The counter's side of sync: which logged commands go to the server and under which per-device number, where the
 * server's cursor stands, the server's answers (the "À régulariser" list), and the pre-images of rows changed by
 * commands the server has not answered yet (so local state can be rebuilt as server state + pending commands).
 */
export const migration0006: Migration = {
  version: 6,
  name: 'sync',
  async up(db, dialect) {
    await db.schema
      .createTable('sync_outbox')
      // SQLite numbers an INTEGER PRIMARY KEY by itself; PostgreSQL needs it said.
      .addColumn('device_seq', 'integer', (c) =>
        dialect === 'sqlite' ? c.primaryKey() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('log_seq', 'integer', (c) => c.notNull().unique())
      .execute();
    await db.schema
      .createTable('sync_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('server_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('acked_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('applying', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('online', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('offline_since', 'text')
      .addColumn('last_sync_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('clock_warning', 'text')
      .addColumn('blocked', 'text') // VERSION_TOO_OLD | DEVICE_REVOKED
      .execute();
    await db.insertInto('sync_state').values({ id: 1 }).execute();
    await db.schema
      .createTable('sync_results')
      .addColumn('command_id', 'text', (c) => c.primaryKey())
      .addColumn('device_seq', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // rejected | held | refused_days
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('suggestion', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('made_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('ack_by', 'text')
      .addColumn('ack_at', 'text')
      .execute();
    await db.schema
      .createTable('sync_shadow')
      .addColumn('tbl', 'text', (c) => c.notNull())
      .addColumn('row_key', 'text', (c) => c.notNull())
      .addColumn('pre', 'text') // the row before the first unconfirmed change (JSON), null when it did not exist
      .addPrimaryKeyConstraint('sync_shadow_pk', ['tbl', 'row_key'])
      .execute();
  },
};
