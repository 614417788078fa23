import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Whether the core runs on the central server's PostgreSQL rather than a counter's SQLite: where SQL text or locking
 * must differ (placeholders, row locks, the town's writer lock), not the rules.
 */
export const onPostgres = <DB>(db: Kysely<DB>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;
