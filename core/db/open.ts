import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from './schema.ts';

export interface SqliteHandle {
  db: Kysely<Schema>;
  /** The raw connection, for pragmas, backups and benchmarks' baselines; domain code goes through `db`. */
  raw: Database.Database;
}

/** Opens or creates the file (':memory:' for tests) with the pragmas a desktop app under load needs. */
export function openSqlite(path: string): SqliteHandle {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachedStatements(raw) }) });
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
