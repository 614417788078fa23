import { sql } from 'kysely';
import { REBASING_FUNCTION } from '../core/db/open.ts';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

const ENTRY =
  'écriture de la régie : elle ne se modifie ni ne se supprime (passer une écriture d’annulation)';
const CLOSED = 'caisse clôturée : aucune écriture ne s’y ajoute';

/**
 * Cash paid in to the Trésor (versement au comptable): money that leaves the till during the day, with the amount
 * and the reference of the comptable's receipt. A fact like a payment: written once, never changed, journaled, and
 * part of the cash the closing expects. And the terminal's card batch total (télécollecte), noted at closing beside
 * the card payments the till recorded.
 *
 * SQLite: the same append-only guards as the régie's other tables, standing aside only while sync rebases on the
 * app's own connection (0009); PostgreSQL: the same triggers and messages through refuse_change (0005).
 */
export const migration0015: Migration = {
  version: 15,
  name: 'till_payins',
  async up(db, dialect) {
    await db.schema
      .createTable('cash_payins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('cash_sessions.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('reference', 'text', (c) => c.notNull().check(sql`reference <> ''`))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('paid_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cash_payins_session').on('cash_payins').column('session_id').execute();
    await db.schema.createIndex('cash_payins_date').on('cash_payins').column('date').execute();
    // Written once, at closing, with the rest of the closing: the trigger that locks a closed till keeps it.
    await db.schema.alterTable('cash_sessions').addColumn('card_batch_cents', 'integer').execute();

    if (dialect === 'sqlite') {
      const guard = `${REBASING_FUNCTION}() = 0`;
      for (const op of ['UPDATE', 'DELETE'] as const)
        await sql
          .raw(
            `CREATE TRIGGER cash_payins_no_${op.toLowerCase()} BEFORE ${op} ON cash_payins WHEN ${guard} BEGIN
               SELECT RAISE(ABORT, '${ENTRY}');
             END`,
          )
          .execute(db);
      await sql
        .raw(
          `CREATE TRIGGER cash_payins_open_session BEFORE INSERT ON cash_payins
             WHEN ${guard} AND coalesce((SELECT locked FROM cash_sessions WHERE id = NEW.session_id), 1) = 1
             BEGIN SELECT RAISE(ABORT, '${CLOSED}'); END`,
        )
        .execute(db);
    } else {
      for (const op of ['UPDATE', 'DELETE', 'TRUNCATE'] as const)
        await pgRefuse(db, `cash_payins_no_${op.toLowerCase()}`, op, 'cash_payins', null, ENTRY);
      // refuse_closed_session (0005) refuses a row naming a locked or unknown till.
      await sql`CREATE TRIGGER cash_payins_open_session BEFORE INSERT ON cash_payins FOR EACH ROW
        EXECUTE FUNCTION refuse_closed_session()`.execute(db);
    }
  },
};
