import { sql } from 'kysely';
import { REBASING_FUNCTION } from '../core/db/open.ts';
import type { Migration } from './types.ts';

/** How 0007 (and sync's change tracking, core/sync/tracking.ts) asked whether the rebase was running. */
const IN_THE_FILE = '(SELECT applying FROM sync_state WHERE id = 1) = 0';

/**
 * The rebase's exemption from the régie's append-only triggers moves out of the file and into the app's memory.
 * 0007 let the triggers stand aside while `sync_state.applying` was 1: a value any connection to the file could set
 * with one UPDATE, after which payments, receipts and the journal could be changed at will. The triggers now ask
 * the app's own connection, through a SQL function only the app registers (core/db/open.ts); `applying` is no
 * longer read nor written. A connection without the function (the sqlite3 command line, another program) cannot
 * prepare an UPDATE or a DELETE on those tables at all.
 *
 * Every trigger that read the flag is rewritten, whatever its table: the guards 0007 wrapped, and the change
 * tracking a counter connected to a server installed (it is installed again at each start, in the new form).
 *
 * PostgreSQL: nothing to do. The central server never rebases, 0007 left its triggers without an exemption, and its
 * own roles and grants, not a row of the database, decide who may connect.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'rebase_in_memory',
  async up(db, dialect) {
    if (dialect !== 'sqlite') return;
    const triggers = await sql<{ name: string; sql: string }>`
      SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND instr(sql, ${IN_THE_FILE}) > 0`.execute(
      db,
    );
    for (const t of triggers.rows) {
      await sql.raw(`DROP TRIGGER ${t.name}`).execute(db);
      await sql.raw(t.sql.replaceAll(IN_THE_FILE, `${REBASING_FUNCTION}() = 0`)).execute(db);
    }
  },
};
