import type Database from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { SyncStateTable } from '../db/schema.ts';

export type Raw = Database.Database;
export type SyncStateRow = Selectable<SyncStateTable>;
export type SyncStateFields = Partial<Omit<SyncStateRow, 'id' | 'applying'>>;

/**
 * The counter's cursor and status (sync_state, one row). Read and written on the raw connection: inside a rebase or
 * a round's transaction it is the same connection, so what is written commits or rolls back with the rest.
 */
export function syncState(raw: Raw) {
  return {
    get: () => raw.prepare('SELECT * FROM sync_state WHERE id = 1').get() as SyncStateRow,
    set(fields: SyncStateFields): void {
      const keys = Object.keys(fields);
      raw
        .prepare(`UPDATE sync_state SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = 1`)
        .run(fields);
    },
  };
}

export type SyncState = ReturnType<typeof syncState>;
