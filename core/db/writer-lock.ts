import { sql, type Kysely } from 'kysely';
import { onPostgres } from './on-postgres.ts';

/**
 * On the central server's PostgreSQL, several writers run side by side (server/store.ts `beginWrite`). What reads
 * a head before writing after it — a series' next number, the journal's last entry — must have the town to itself
 * from that read to the commit: this takes the town's writer lock, held to the end of the transaction (taking it
 * again in the same transaction is free). SQLite has one writer at a time and needs nothing.
 */
export async function holdTownWriterLock<DB>(db: Kysely<DB>): Promise<void> {
  if (!onPostgres(db)) return;
  await sql`SELECT pg_advisory_xact_lock(hashtext('gf.writer.' || current_schema()))`.execute(db);
}
