import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from '../migrations/index.ts';
import type { Dialect } from '../migrations/types.ts';
import { migrate } from '../core/db/migrate.ts';
import { holdTownWriterLock } from '../core/db/writer-lock.ts';
import { capacityGuard, onPostgres, setCapacityGuard, type CapacityGuard } from '../core/db/on-postgres.ts';
import { openSqlite } from '../core/db/open.ts';
import type { Database } from '../core/db/schema.ts';
import { pgliteDialect } from './pglite-dialect.ts';
import { installServerTables } from './tables.ts';

/** The server's own tables, next to the core's. */
export interface ServerTables {
  sync_meta: { id: number; version: number };
  devices: {
    id: string;
    name: string;
    series_prefix: string;
    secret_hash: string;
    created_at: string;
    revoked_at: string | null;
    last_seq: number;
    last_seen_at: string | null;
    last_drift_ms: number | null;
  };
  received_commands: {
    device_id: string;
    seq: number;
    command_id: string;
    name: string;
    input: string;
    agent_id: string;
    device_at: string;
    received_at: string;
    status: string;
    code: string | null;
    message: string | null;
    refused: string | null;
  };
  sync_changes: { tbl: string; row_key: string; version: number };
  /**
   * A régisseur's override key, registered by the central administrator (never by a counter PC): derived from their
   * password with the salt the counters receive (core/payments/override-proof.ts), so that the server can check the
   * signature a counter puts on a cash payment over the limit, and a device credential alone cannot forge one.
   */
  override_keys: {
    username: string;
    display_name: string;
    /** base64 of the 32-byte key. */
    key: string;
    registered_at: string;
  };
  /**
   * The documents the server e-mailed (server/mail/): one row per document, the outcome of its last attempt — a
   * month's invoices (ref: the invoice, period 'YYYY-MM'), a year's tax certificates (ref: the household, one e-mail
   * per family, period 'YYYY'). The send report reads it; a resend updates the row.
   */
  mail_log: {
    kind: 'invoice' | 'tax_certificate';
    ref_id: string;
    period: string;
    /** The invoice number, or « Attestation 2026 ». */
    number: string;
    household_id: string;
    household_name: string;
    /** Where it went or was refused; null: the family chose e-mail and gave no address. */
    address: string | null;
    status: 'sent' | 'refused' | 'no_address' | 'failed';
    /** The SMTP server's words, or why nothing was sent. */
    detail: string | null;
    attempts: number;
    sent_at: string | null;
    updated_at: string;
  };
}

export type ServerDb = Kysely<Database & ServerTables>;
export type ServerTrx = Transaction<Database & ServerTables>;

export interface ServerStore {
  db: ServerDb;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * `town` (PostgreSQL only): several towns share one PostgreSQL server, each in its own schema (`town_<code>`), so a
 * town's counters and portal never read or write another town's rows.
 */
export type StoreOptions =
  { sqlite: string } | { pgUrl: string; town?: string; capacityGuard?: CapacityGuard } | { pglite: true };

/**
 * Opens the server's store: the core schema (same migrations), the server's tables and the change feed.
 *
 * A PostgreSQL URL with `scratch=1` in its query (`postgres://gf@127.0.0.1:55432/postgres?scratch=1`, what
 * server/ci-postgres.sh gives the tests) opens a throwaway store instead: a schema of its own, created empty here
 * and dropped on close, so that tests sharing one cluster never see each other's rows.
 */
export async function openServerStore(options: StoreOptions): Promise<ServerStore> {
  let db: ServerDb;
  let dialect: Dialect;
  let closeExtra = async () => {};
  if ('sqlite' in options) {
    db = openSqlite<Database & ServerTables>(options.sqlite).db;
    dialect = 'sqlite';
  } else if ('pgUrl' in options) {
    const serializable = options.capacityGuard === 'serializable';
    const pool = await postgresPool(options.pgUrl, options.town, serializable);
    db = new Kysely({ dialect: new PostgresDialect({ pool: pool.pool }) });
    if (serializable) setCapacityGuard(db, 'serializable');
    dialect = 'postgres';
    closeExtra = pool.dropScratch;
  } else {
    const lite = new PGlite();
    db = new Kysely({ dialect: pgliteDialect(lite) });
    dialect = 'postgres';
    closeExtra = () => lite.close();
  }
  try {
    await migrate(db, MIGRATIONS, dialect);
    if (dialect === 'postgres') await postgresDefaults(db);
    await installServerTables(db, dialect);
  } catch (error) {
    await db.destroy();
    await closeExtra();
    throw error;
  }
  return {
    db,
    dialect,
    async close() {
      await db.destroy();
      await closeExtra();
    },
  };
}

/**
 * The pool of a real PostgreSQL. Counts and sums come back as int8, which node-postgres hands over as strings;
 * SQLite and PGlite give numbers, and the core adds and compares them as numbers (cents and counts stay far below
 * 2^53), so int8 is read as a number here too.
 */
async function postgresPool(
  url: string,
  town?: string,
  serializable = false,
): Promise<{ pool: pg.Pool; dropScratch: () => Promise<void> }> {
  const parsed = new URL(url);
  const scratch = parsed.searchParams.get('scratch') === '1';
  parsed.searchParams.delete('scratch');
  // A production URL goes to node-postgres exactly as given; only a test's loses its `scratch`.
  const connectionString = scratch ? parsed.toString() : url;
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === pg.types.builtins.INT8 && format !== 'binary'
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const isolation = serializable ? ' -c default_transaction_isolation=serializable' : '';
  const base = { connectionString, max: 8, types, ...(isolation ? { options: isolation.trim() } : {}) };
  if (town !== undefined) {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(town))
      throw new Error(`Code de ville invalide : « ${town} » (a-z, 0-9, _).`);
    const schema = `town_${town}`;
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
    return {
      pool: new pg.Pool({ ...base, options: `-c search_path=${schema}${isolation}` }),
      dropScratch: async () => {},
    };
  }
  if (!scratch) return { pool: new pg.Pool(base), dropScratch: async () => {} };
  const schema = `gf_scratch_${randomBytes(8).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    pool: new pg.Pool({ ...base, options: `-c search_path=${schema}${isolation}` }),
    async dropScratch() {
      const c = new pg.Client({ connectionString: base.connectionString });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * SQLite numbers an INTEGER PRIMARY KEY by itself; PostgreSQL needs a sequence. Added here, on the server's store,
 * until migrations 0001 gets its own PostgreSQL branch for these two columns.
 */
async function postgresDefaults(db: ServerDb): Promise<void> {
  for (const [table, column] of [
    ['search_docs', 'rowid'],
    ['command_log', 'seq'],
  ] as const) {
    await sql
      .raw(`CREATE SEQUENCE IF NOT EXISTS ${table}_${column}_seq OWNED BY ${table}.${column}`)
      .execute(db);
    await sql
      .raw(`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT nextval('${table}_${column}_seq')`)
      .execute(db);
  }
}

/**
 * Opens a write transaction in the server's order.
 *
 * SQLite has one writer at a time: the transaction takes its server version now.
 *
 * On PostgreSQL several server processes write side by side, and one row everybody updates first would make the
 * whole town wait on it for each command: the change feed is stamped with its version at commit instead
 * (server/tables.ts). What still needs one writer at a time — a counter's push, the administration, whatever reads
 * a series or the journal's head before writing after it — waits here on the town's writer lock, held to commit.
 * A family's portal request starts with `beginPortalWrite` instead.
 */
export async function beginWrite(trx: Kysely<Database & ServerTables>): Promise<void> {
  if (!onPostgres(trx)) {
    await sql`UPDATE sync_meta SET version = version + 1 WHERE id = 1`.execute(trx);
    return;
  }
  await holdTownWriterLock(trx);
}

/**
 * A family's portal request on PostgreSQL waits only for that family's other requests on the same child (its row,
 * locked); the places it takes are guarded by their capacity rows (core/bookings/plan.ts `loadSlots`). In the same
 * round trip: its command number, from a sequence (server/tables.ts) rather than the portal's row in `devices`,
 * which every family's request would update, and the version of the town's set-up it will read. On SQLite, a write
 * as any other: null.
 */
export async function beginPortalWrite(
  trx: Kysely<Database & ServerTables>,
  childId: string,
): Promise<{ seq: number; setupVersion: number } | null> {
  if (!onPostgres(trx)) {
    await beginWrite(trx);
    return null;
  }
  type Row = { seq: number | string; setup: number | string };
  const numbers = sql`nextval('portal_command_seq') AS seq, (SELECT version FROM setup_version WHERE id = 1) AS setup`;
  const locked = await sql<Row>`SELECT ${numbers} FROM children WHERE id = ${childId} FOR UPDATE`.execute(
    trx,
  );
  // An unknown child locks nothing; the command then says it is not found.
  const row = locked.rows[0] ?? (await sql<Row>`SELECT ${numbers}`.execute(trx)).rows[0];
  return { seq: Number(row?.seq), setupVersion: Number(row?.setup) };
}

/**
 * Runs a write transaction again when PostgreSQL broke it off as a deadlock (a counter's push holding the town's
 * writer lock wants the capacity row a portal booking holds while it waits for that lock to number its invoice) or,
 * under SERIALIZABLE, as one that could not have run after the others: the loser is rolled back whole, so running it
 * again is the same command applied once.
 */
export async function retryingDeadlocks<T>(db: ServerDb, run: () => Promise<T>): Promise<T> {
  // Under SERIALIZABLE every conflict is a rollback to run again, not a wait: many more on the opening morning.
  const attempts = capacityGuard(db) === 'serializable' ? 50 : 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
      // Apart by a random few milliseconds, so that the same two do not meet again at once.
      await new Promise((r) => setTimeout(r, Math.random() * 2 * attempt));
    }
  }
}

/** A transaction of the server's own, run again as `retryingDeadlocks` says. */
export const writeTransaction = <T>(db: ServerDb, run: (trx: ServerTrx) => Promise<T>): Promise<T> =>
  retryingDeadlocks(db, () => db.transaction().execute(run));
