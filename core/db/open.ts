import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from './schema.ts';

export interface SqliteHandle<DB = Schema> {
  db: Kysely<DB>;
  /** The raw connection, for pragmas, backups and benchmarks' baselines; domain code goes through `db`. */
  raw: Database.Database;
}

/**
 * The SQL function the régie's append-only triggers and sync's change tracking ask whether this connection is
 * rebasing (1) or not (0). It exists only on the connections this app opens, so the rebase's exemption lives in the
 * app's memory, not in the file: another connection to the file (the sqlite3 command line, another program) cannot
 * switch it on, and cannot even prepare a write to those tables — SQLite answers « no such function:
 * guichet_famille_sync_rebasing », which names who alone may write there.
 */
export const REBASING_FUNCTION = 'guichet_famille_sync_rebasing';

/** The connections whose sync client is rebuilding local state now (core/sync/rebase.ts). */
const rebasing = new WeakSet<Database.Database>();

/** Lets this connection's writes through the append-only triggers and past tracking, for the rebase only. */
export function setRebasing(raw: Database.Database, on: boolean): void {
  if (on) rebasing.add(raw);
  else rebasing.delete(raw);
}

/**
 * Opens or creates the file (':memory:' for tests) with the pragmas a desktop app under load needs. `DB` is the
 * schema as the caller sees it: the core's, or the central server's, which adds its own tables to it.
 */
export function openSqlite<DB = Schema>(path: string): SqliteHandle<DB> {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Not deterministic: prepared statements are cached and run again, before, during and after a rebase.
  raw.function(REBASING_FUNCTION, { deterministic: false }, () => (rebasing.has(raw) ? 1 : 0));
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachedStatements(raw) }) });
  return { db, raw };
}

/**
 * Kysely's driver prepares every query afresh; preparing costs more than running most of ours (50 µs of a 0.5 ms
 * search). Its connection lock runs one query at a time, so a cached statement is never in use twice at once.
 */
function cachedStatements(raw: Database.Database, max = 500) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(source: string) {
      let statement = cache.get(source);
      if (statement) cache.delete(source);
      else statement = raw.prepare(source);
      // Re-inserted so the least recently used statement is the first key, the one dropped.
      cache.set(source, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
