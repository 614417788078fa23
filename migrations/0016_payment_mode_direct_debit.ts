import { sql } from 'kysely';
import type { Migration } from './types.ts';

const OLD_MODES = `mode IN ('cash', 'cheque', 'card', 'ancv', 'cesu', 'online')`;
const NEW_MODES = `mode IN ('cash', 'cheque', 'card', 'ancv', 'cesu', 'online', 'direct_debit')`;
const OLD_NO_TILL = `(mode = 'online' OR session_id IS NOT NULL)`;
const NEW_NO_TILL = `(mode IN ('online', 'direct_debit') OR session_id IS NOT NULL)`;

/**
 * The mode « prélèvement » (shared/payment-modes.ts `direct_debit`): a payment the régie's direct-debit file makes
 * (core/directdebit), with no till and no details of its own — its debit row names the file and the mandate.
 *
 * PostgreSQL alters the two CHECK constraints. SQLite cannot alter a CHECK: `payments` is rebuilt with the same
 * definition but those two clauses (https://sqlite.org/lang_altertable.html#otheralter), its rows copied as they
 * are, then its indexes and triggers (append-only, open till, sync's change tracking) written back as they were.
 * The migration runs in one transaction, where foreign keys cannot be switched off: they are deferred instead, so
 * that the rows of receipts, allocations and reversals that point at a payment find it again by commit, which
 * checks them.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'payment_mode_direct_debit',
  async up(db, dialect) {
    if (dialect === 'postgres') {
      await sql`ALTER TABLE payments DROP CONSTRAINT payments_mode_check`.execute(db);
      await sql
        .raw(`ALTER TABLE payments ADD CONSTRAINT payments_mode_check CHECK (${NEW_MODES})`)
        .execute(db);
      // This town's table only: the name alone also finds the other towns' (one schema each), whose tables another
      // server process may be migrating at this very moment (a deadlock), and whose definition is not this one's.
      const details = await sql<{ def: string }>`
        SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conname = 'payments_details' AND conrelid = 'payments'::regclass`.execute(db);
      const def = details.rows[0]?.def;
      if (!def) throw new Error('payments_details introuvable');
      await sql`ALTER TABLE payments DROP CONSTRAINT payments_details`.execute(db);
      await sql
        .raw(
          `ALTER TABLE payments ADD CONSTRAINT payments_details CHECK (${detailsWithoutTill(def)} OR mode = 'direct_debit')`,
        )
        .execute(db);
      return;
    }
    const schema = await sql<{ type: string; name: string; sql: string }>`
      SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'payments' AND sql IS NOT NULL`.execute(db);
    const table = schema.rows.find((r) => r.type === 'table');
    if (!table || !table.sql.includes(OLD_MODES) || !table.sql.includes(OLD_NO_TILL))
      throw new Error('payments : définition inattendue, migration 0016 impossible');
    const rebuilt = table.sql.replace(OLD_MODES, NEW_MODES).replace(OLD_NO_TILL, NEW_NO_TILL);
    const attached = schema.rows.filter((r) => r.type === 'index' || r.type === 'trigger');

    await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
    await sql`CREATE TEMP TABLE payments_0016 AS SELECT * FROM payments`.execute(db);
    await sql`DROP TABLE payments`.execute(db);
    await sql.raw(rebuilt).execute(db);
    // Copied before the triggers come back: the open-till trigger would refuse a payment of a till closed since.
    await sql`INSERT INTO payments SELECT * FROM temp.payments_0016`.execute(db);
    await sql`DROP TABLE temp.payments_0016`.execute(db);
    for (const r of attached) await sql.raw(r.sql).execute(db);
    const orphans = await sql<{ n: number }>`SELECT count(*) AS n FROM pragma_foreign_key_check`.execute(db);
    if (Number(orphans.rows[0]?.n ?? 0) > 0)
      throw new Error('payments : des écritures ne retrouvent plus leur paiement, migration 0016 annulée');
  },
};

/**
 * 0005's `payments_details` as PostgreSQL prints it back (« CHECK ((…)) »), without its CHECK: the new constraint is
 * that whole rule, or a direct debit (no details, no till).
 */
function detailsWithoutTill(def: string): string {
  const body = def.replace(/^CHECK\s*\(/, '').replace(/\)$/, '');
  return `(${body})`;
}
