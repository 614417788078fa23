import { sql } from 'kysely';
import type { Migration } from './types.ts';

/** The financial tables a counter now receives from the central server (see core/sync/tables.ts). */
const FINANCE_TABLES = [
  'series',
  'invoices',
  'invoice_lines',
  'billed_services',
  'credit_notes',
  'credit_note_lines',
  'cash_sessions',
  'payments',
  'receipts',
  'receipt_prints',
  'credit_uses',
  'payment_reversals',
  'allocations',
  'family_credit',
  'deposit_slips',
  'deposit_slip_cheques',
  'journal',
];

const NOT_REBASING = '(SELECT applying FROM sync_state WHERE id = 1) = 0';

/**
 * Financial records travel between counters and the server, and a counter rebuilds its state after a pull as
 * « server state + its commands not yet confirmed »: it takes back its own unconfirmed rows and writes the server's.
 * The triggers that refuse any change to an issued document or a régie entry keep refusing every other writer, but
 * stand aside while sync rebases (sync_state.applying = 1, set only inside the rebase transaction). The central
 * server never rebases: its PostgreSQL triggers stay as they are.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'sync_finance',
  async up(db, dialect) {
    if (dialect !== 'sqlite') return;
    const triggers = await sql<{ name: string; sql: string }>`
      SELECT name, sql FROM sqlite_master
      WHERE type = 'trigger' AND sql LIKE '%RAISE(ABORT%'
        AND tbl_name IN (${sql.join(FINANCE_TABLES)})`.execute(db);
    for (const t of triggers.rows) {
      const at = t.sql.search(/\bBEGIN\b/);
      const head = t.sql.slice(0, at);
      const body = t.sql.slice(at);
      const guarded = /\bWHEN\b/.test(head)
        ? `${head.replace(/\bWHEN\b/, `WHEN ${NOT_REBASING} AND (`)}) ${body}`
        : `${head} WHEN ${NOT_REBASING} ${body}`;
      await sql.raw(`DROP TRIGGER ${t.name}`).execute(db);
      await sql.raw(guarded).execute(db);
    }
  },
};
