import { sql } from 'kysely';
import type { Dialect } from '../migrations/types.ts';
import { SETUP_TABLES } from '../core/db/setup-cache.ts';
import { SYNC_TABLES } from '../core/sync/tables.ts';
import { PORTAL_DEVICE } from './devices.ts';
import type { ServerDb } from './store.ts';

/**
 * The server's own tables, next to the core's (their types: server/store.ts `ServerTables`): the version counter,
 * the devices, the commands received, the régisseurs' override keys, the documents e-mailed, and the change feed a
 * pull reads.
 */
export async function installServerTables(db: ServerDb, dialect: Dialect): Promise<void> {
  const schema = db.schema;
  await schema
    .createTable('sync_meta')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO sync_meta (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`.execute(db);
  await schema
    .createTable('devices')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('series_prefix', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', 'text')
    .addColumn('last_drift_ms', 'integer')
    .execute();
  await schema
    .createTable('received_commands')
    .ifNotExists()
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('command_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('device_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('message', 'text')
    .addColumn('refused', 'text')
    .addPrimaryKeyConstraint('received_commands_pk', ['device_id', 'seq'])
    .execute();
  await schema
    .createTable('sync_changes')
    .ifNotExists()
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('row_key', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_changes_pk', ['tbl', 'row_key'])
    .execute();
  await schema
    .createTable('override_keys')
    .ifNotExists()
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .execute();
  await schema
    .createTable('mail_log')
    .ifNotExists()
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('household_name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_log_pk', ['kind', 'ref_id', 'period'])
    .execute();
  await schema
    .createIndex('mail_log_period')
    .ifNotExists()
    .on('mail_log')
    .columns(['kind', 'period'])
    .execute();
  await schema
    .createIndex('sync_changes_version')
    .ifNotExists()
    .on('sync_changes')
    .column('version')
    .execute();
  for (const t of SYNC_TABLES) await installChangeTriggers(db, dialect, t.name, t.key);
  if (dialect === 'postgres') {
    await installPostgresStamp(db);
    await installSetupVersion(db);
  }
}

/**
 * PostgreSQL: a number every write to a set-up table moves on (a statement trigger, in the writer's transaction), so
 * that a server process can keep the town's set-up from one portal request to the next and know when another
 * process changed it (core/db/setup-cache.ts). Set-up writes are rare (the administration, a counter's settings)
 * and already wait on each other for the town's writer lock; the row they update is no queue for the families'
 * requests, which only read it.
 */
async function installSetupVersion(db: ServerDb): Promise<void> {
  await sql
    .raw(`CREATE TABLE IF NOT EXISTS setup_version (id integer PRIMARY KEY, version bigint NOT NULL)`)
    .execute(db);
  await sql
    .raw(`INSERT INTO setup_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`)
    .execute(db);
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION setup_changed() RETURNS trigger AS $$
      BEGIN
        UPDATE setup_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  for (const table of SETUP_TABLES) {
    await sql.raw(`DROP TRIGGER IF EXISTS setup_changed ON ${table}`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER setup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION setup_changed()`,
      )
      .execute(db);
  }
}

/**
 * PostgreSQL: a transaction's changes are written to the feed as pending (version -1) and stamped with the next
 * version just before its commit, by a deferred trigger that holds the `sync_meta` row from that moment to the
 * commit. Versions are thus handed out in commit order: when a puller reads version V, every transaction stamped V
 * or lower has committed, and a change committed later always gets a higher version — no puller skips it. Writers
 * wait on that row only for the stamping, not for their whole command as when the version was taken first. The
 * portal's command numbers come from a sequence for the same reason (server/store.ts `beginPortalWrite`), started after
 * the numbers the portal already used.
 */
async function installPostgresStamp(db: ServerDb): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION sync_stamp() RETURNS trigger AS $$
      DECLARE v bigint;
      BEGIN
        IF current_setting('gf.sync_stamped', true) = 'on' THEN RETURN NULL; END IF;
        UPDATE sync_meta SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
        UPDATE sync_changes SET version = v WHERE version = -1;
        PERFORM set_config('gf.sync_stamped', 'on', true);
        RETURN NULL;
      END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  await sql.raw(`DROP TRIGGER IF EXISTS sync_stamp ON sync_changes`).execute(db);
  await sql
    .raw(
      `CREATE CONSTRAINT TRIGGER sync_stamp AFTER INSERT OR UPDATE ON sync_changes
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.version = -1) EXECUTE FUNCTION sync_stamp()`,
    )
    .execute(db);
  await sql
    .raw(
      `DO $$ BEGIN
        IF to_regclass('portal_command_seq') IS NULL THEN
          CREATE SEQUENCE portal_command_seq;
          PERFORM setval('portal_command_seq',
            (SELECT coalesce(max(seq), 0) + 1 FROM received_commands WHERE device_id = '${PORTAL_DEVICE}'), false);
        END IF;
      END $$`,
    )
    .execute(db);
}

/**
 * Every write to a synced table records (table, key) at the version of the transaction that made it: the change
 * feed a pull reads. One trigger set per table, in each dialect's own language.
 */
async function installChangeTriggers(db: ServerDb, dialect: Dialect, table: string, key: readonly string[]) {
  if (dialect === 'sqlite') {
    for (const [op, ref] of [
      ['INSERT', 'new'],
      ['UPDATE', 'new'],
      ['DELETE', 'old'],
    ] as const) {
      const k = `json_array(${key.map((c) => `${ref}.${c}`).join(', ')})`;
      await sql
        .raw(
          `CREATE TRIGGER IF NOT EXISTS sync_feed_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
            INSERT INTO sync_changes (tbl, row_key, version) VALUES ('${table}', ${k}, (SELECT version FROM sync_meta WHERE id = 1))
            ON CONFLICT (tbl, row_key) DO UPDATE SET version = excluded.version;
          END`,
        )
        .execute(db);
    }
    return;
  }
  const keyOf = (ref: string) => `json_build_array(${key.map((c) => `${ref}.${c}`).join(', ')})::text`;
  // -1: pending, stamped at commit (installPostgresStamp).
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION sync_feed_${table}() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
          INSERT INTO sync_changes (tbl, row_key, version) VALUES ('${table}', ${keyOf('OLD')}, -1)
          ON CONFLICT (tbl, row_key) DO UPDATE SET version = -1;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO sync_changes (tbl, row_key, version) VALUES ('${table}', ${keyOf('NEW')}, -1)
          ON CONFLICT (tbl, row_key) DO UPDATE SET version = -1;
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  await sql.raw(`DROP TRIGGER IF EXISTS sync_feed_${table} ON ${table}`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER sync_feed_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION sync_feed_${table}()`,
    )
    .execute(db);
}
