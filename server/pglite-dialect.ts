import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect } from 'kysely';

/**
 * kysely's PostgresDialect over PGlite (PostgreSQL in-process, for tests). PGlite is one connection: `connect`
 * hands it out to one user at a time, so a transaction never interleaves with another query.
 */
export function pgliteDialect(pg: PGlite): PostgresDialect {
  let tail: Promise<void> = Promise.resolve();
  const client = {
    async query(text: string, params: readonly unknown[] = []) {
      const r = await pg.query<Record<string, unknown>>(text, params as unknown[]);
      const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'SELECT';
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command };
    },
  };
  const pool = {
    async connect() {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return { ...client, release };
    },
    async end() {},
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a pool-like object is all kysely needs
  return new PostgresDialect({ pool: pool as any });
}
