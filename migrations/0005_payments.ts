import { sql } from 'kysely';
import { canonicalJson, chainHash, GENESIS_HASH, JOURNAL_COLUMNS } from '../core/journal/canonical.ts';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

/**
 * Rows that are the régie's accounting facts: once written they stand (REGIE req. 4, BOFiP model of unalterable
 * originals). A correction is a new row — a reversal, an allocation undone by a negative row — never an edit.
 */
const APPEND_ONLY = [
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
] as const;

const MODES = ['cash', 'cheque', 'card', 'ancv', 'cesu', 'online'] as const;

export const migration0005: Migration = {
  version: 5,
  name: 'payments',
  async up(db, dialect) {
    // A day at one counter's till: opened with a float, closed with the cash counted by denomination, then locked.
    await db.schema
      .createTable('cash_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('open_date', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('opened_by_name', 'text', (c) => c.notNull())
      .addColumn('float_cents', 'integer', (c) => c.notNull().check(sql`float_cents >= 0`))
      .addColumn('float_denominations', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('closed_by_name', 'text')
      .addColumn('expected_cents', 'integer')
      .addColumn('counted_cents', 'integer')
      .addColumn('difference_cents', 'integer')
      .addColumn('difference_reason', 'text')
      .addColumn('counted_denominations', 'text')
      // Totals by mode at closing, as canonical JSON: what the closing certified, kept as it was certified.
      .addColumn('totals', 'text')
      .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // One open till per counter: the partial index makes a second opening fail even if two windows race.
    await sql`CREATE UNIQUE INDEX cash_sessions_one_open ON cash_sessions (device_id) WHERE closed_at IS NULL`.execute(
      db,
    );

    await db.schema
      .createTable('payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('mode', 'text', (c) =>
        c.notNull().check(sql.raw(`mode IN (${MODES.map((m) => `'${m}'`).join(', ')})`)),
      )
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.references('cash_sessions.id'))
      // The payer as the receipt prints them, fixed at payment time like an invoice's debtor.
      .addColumn('household_name', 'text', (c) => c.notNull())
      .addColumn('payer_name', 'text', (c) => c.notNull())
      .addColumn('cheque_number', 'text')
      .addColumn('cheque_bank', 'text')
      .addColumn('cheque_drawer', 'text')
      .addColumn('cheque_date', 'text')
      // The terminal's authorisation and transaction references, at most the last 4 digits: never a card number.
      .addColumn('card_authorisation', 'text')
      .addColumn('card_transaction', 'text')
      .addColumn('card_last4', 'text', (c) =>
        c.check(
          dialect === 'sqlite'
            ? sql`card_last4 IS NULL OR card_last4 GLOB '[0-9][0-9][0-9][0-9]'`
            : sql`card_last4 IS NULL OR card_last4 ~ '^[0-9]{4}$'`,
        ),
      )
      // ANCV / CESU: [{ faceValueCents, count }] as canonical JSON.
      .addColumn('vouchers', 'text')
      .addColumn('online_reference', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('override_reason', 'text')
      .addColumn('override_by', 'text')
      .addColumn('override_by_name', 'text')
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      // Defence in depth for PCI DSS: even a caller that skipped validation cannot store 13 digits in a row.
      .addCheckConstraint(
        'payments_no_pan',
        sql.raw(
          ['card_authorisation', 'card_transaction', 'note']
            .map((col) =>
              dialect === 'sqlite'
                ? `coalesce(replace(replace(${col}, ' ', ''), '-', ''), '') NOT GLOB '*${'[0-9]'.repeat(13)}*'`
                : `coalesce(replace(replace(${col}, ' ', ''), '-', ''), '') !~ '[0-9]{13}'`,
            )
            .join(' AND '),
        ),
      )
      .addCheckConstraint(
        'payments_details',
        sql`(mode <> 'cheque' OR (cheque_number IS NOT NULL AND cheque_bank IS NOT NULL AND cheque_drawer IS NOT NULL))
          AND (mode <> 'card' OR card_authorisation IS NOT NULL)
          AND (mode NOT IN ('ancv', 'cesu') OR vouchers IS NOT NULL)
          AND (mode <> 'online' OR online_reference IS NOT NULL)
          AND (mode = 'online' OR session_id IS NOT NULL)`,
      )
      .execute();
    await db.schema
      .createIndex('payments_household')
      .on('payments')
      .columns(['household_id', 'received_at'])
      .execute();
    await db.schema.createIndex('payments_session').on('payments').columns(['session_id', 'mode']).execute();
    await db.schema.createIndex('payments_date').on('payments').columns(['date']).execute();

    // One receipt per payment, numbered in the counter's own gap-free annual series (core/billing/series.ts).
    await db.schema
      .createTable('receipts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull().unique().references('payments.id'))
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addUniqueConstraint('receipts_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();

    // Every print of a receipt: the first is the original, any later one a DUPLICATA. A log, not a counter, so the
    // receipt row itself never changes.
    await db.schema
      .createTable('receipt_prints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('receipt_id', 'text', (c) => c.notNull().references('receipts.id'))
      .addColumn('printed_at', 'text', (c) => c.notNull())
      .addColumn('duplicate', 'integer', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('receipt_prints_receipt').on('receipt_prints').column('receipt_id').execute();

    // Family credit spent on invoices: an event of its own, so its allocations have a journal entry to belong to.
    await db.schema
      .createTable('credit_uses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('used_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .execute();

    // The contre-passation of a payment: the whole payment, once, with a reason; the payment row stays as it was.
    await db.schema
      .createTable('payment_reversals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull().unique().references('payments.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('reversed_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.references('cash_sessions.id'))
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_reversals_date').on('payment_reversals').column('date').execute();
    await db.schema
      .createIndex('payment_reversals_session')
      .on('payment_reversals')
      .column('session_id')
      .execute();

    // Money put on an invoice. Signed: a negative row undoes (part of) the positive row it names in `undoes_id`, for a
    // reversal, or for a credit note that leaves the invoice overpaid. `payment_id` is whose money it is (null: the
    // family's credit). An invoice's paid amount is the plain sum of its rows (core/billing/balance.ts).
    await db.schema
      .createTable('allocations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_kind', 'text', (c) =>
        c.notNull().check(sql`event_kind IN ('payment', 'credit_use', 'reversal', 'release')`),
      )
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents <> 0`))
      .addColumn('undoes_id', 'text', (c) => c.references('allocations.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'allocations_sign',
        sql`(amount_cents > 0 AND undoes_id IS NULL AND event_kind IN ('payment', 'credit_use'))
          OR (amount_cents < 0 AND undoes_id IS NOT NULL AND event_kind IN ('reversal', 'release'))`,
      )
      .execute();
    await db.schema
      .createIndex('allocations_invoice')
      .on('allocations')
      .columns(['invoice_id', 'amount_cents'])
      .execute();
    await db.schema
      .createIndex('allocations_event')
      .on('allocations')
      .columns(['event_id', 'position'])
      .unique()
      .execute();
    await db.schema
      .createIndex('allocations_household')
      .on('allocations')
      .columns(['household_id'])
      .execute();
    await db.schema.createIndex('allocations_undoes').on('allocations').columns(['undoes_id']).execute();
    await db.schema.createIndex('allocations_date').on('allocations').columns(['date']).execute();

    // The family's credit as a ledger, one signed row per event that moves it; its sum is the credit available.
    await db.schema
      .createTable('family_credit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_kind', 'text', (c) =>
        c.notNull().check(sql`event_kind IN ('payment', 'credit_use', 'reversal', 'release')`),
      )
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents <> 0`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('family_credit_household')
      .on('family_credit')
      .column('household_id')
      .execute();

    // Cheque deposit slips (bordereaux de remise), numbered in the counter's series.
    await db.schema
      .createTable('deposit_slips')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('cheque_count', 'integer', (c) => c.notNull())
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addUniqueConstraint('deposit_slips_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();
    // The primary key on the payment is the rule « a cheque is on one slip only », held by the database itself.
    await db.schema
      .createTable('deposit_slip_cheques')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.id'))
      .addColumn('slip_id', 'text', (c) => c.notNull().references('deposit_slips.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('deposit_slip_cheques_slip')
      .on('deposit_slip_cheques')
      .columns(['slip_id', 'position'])
      .execute();

    // The tamper-evident journal (REGIE req. 5): each financial event appends an entry whose hash covers the previous
    // entry's hash, and whose payload is the event's rows as canonical JSON (core/journal/journal.ts).
    await db.schema
      .createTable('journal')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addUniqueConstraint('journal_event', ['kind', 'ref_id'])
      .execute();

    if (dialect === 'sqlite') {
      for (const table of APPEND_ONLY) {
        for (const op of ['UPDATE', 'DELETE'] as const) {
          await sql
            .raw(
              `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN
                 SELECT RAISE(ABORT, 'écriture de la régie : elle ne se modifie ni ne se supprime (passer une écriture d’annulation)');
               END`,
            )
            .execute(db);
        }
      }
      // A session is written twice: at opening, then once at closing, which locks it for good.
      await sql`CREATE TRIGGER cash_sessions_locked BEFORE UPDATE ON cash_sessions
        WHEN OLD.locked = 1 OR NEW.id IS NOT OLD.id OR NEW.device_id IS NOT OLD.device_id
          OR NEW.opened_at IS NOT OLD.opened_at OR NEW.float_cents IS NOT OLD.float_cents
          OR NEW.float_denominations IS NOT OLD.float_denominations OR NEW.opened_by IS NOT OLD.opened_by
        BEGIN SELECT RAISE(ABORT, 'caisse clôturée : elle est verrouillée'); END`.execute(db);
      await sql`CREATE TRIGGER cash_sessions_no_delete BEFORE DELETE ON cash_sessions
        BEGIN SELECT RAISE(ABORT, 'caisse : une session ne se supprime pas'); END`.execute(db);
      for (const table of ['payments', 'payment_reversals']) {
        await sql
          .raw(
            `CREATE TRIGGER ${table}_open_session BEFORE INSERT ON ${table}
               WHEN NEW.session_id IS NOT NULL
                 AND coalesce((SELECT locked FROM cash_sessions WHERE id = NEW.session_id), 1) = 1
               BEGIN SELECT RAISE(ABORT, 'caisse clôturée : aucune écriture ne s’y ajoute'); END`,
          )
          .execute(db);
      }
    } else {
      // core/payments/ledger.ts undoes allocations newest first by SQLite's rowid, the order rows were written;
      // PostgreSQL has no rowid, so the column is real here and numbered in insertion order.
      await sql`ALTER TABLE allocations ADD COLUMN rowid bigint GENERATED ALWAYS AS IDENTITY`.execute(db);
      // The same guarantees on the server's PostgreSQL, same trigger names and messages. refuse_change raises the
      // message its trigger passes (as in 0003, restated so that this step stands on its own); a trigger's WHEN
      // cannot read another table, hence the open-session function.
      await sql`CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$`.execute(db);
      const entry =
        'écriture de la régie : elle ne se modifie ni ne se supprime (passer une écriture d’annulation)';
      for (const table of APPEND_ONLY) {
        for (const op of ['UPDATE', 'DELETE', 'TRUNCATE'] as const)
          await pgRefuse(db, `${table}_no_${op.toLowerCase()}`, op, table, null, entry);
      }
      await pgRefuse(
        db,
        'cash_sessions_locked',
        'UPDATE',
        'cash_sessions',
        `OLD.locked = 1 OR NEW.id IS DISTINCT FROM OLD.id OR NEW.device_id IS DISTINCT FROM OLD.device_id
          OR NEW.opened_at IS DISTINCT FROM OLD.opened_at OR NEW.float_cents IS DISTINCT FROM OLD.float_cents
          OR NEW.float_denominations IS DISTINCT FROM OLD.float_denominations OR NEW.opened_by IS DISTINCT FROM OLD.opened_by`,
        'caisse clôturée : elle est verrouillée',
      );
      const noDelete = 'caisse : une session ne se supprime pas';
      await pgRefuse(db, 'cash_sessions_no_delete', 'DELETE', 'cash_sessions', null, noDelete);
      await pgRefuse(db, 'cash_sessions_no_truncate', 'TRUNCATE', 'cash_sessions', null, noDelete);
      await sql`CREATE FUNCTION refuse_closed_session() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF coalesce((SELECT locked FROM cash_sessions WHERE id = NEW.session_id), 1) = 1 THEN
            RAISE EXCEPTION 'caisse clôturée : aucune écriture ne s’y ajoute';
          END IF;
          RETURN NEW;
        END $$`.execute(db);
      for (const table of ['payments', 'payment_reversals']) {
        await sql
          .raw(
            `CREATE TRIGGER ${table}_open_session BEFORE INSERT ON ${table} FOR EACH ROW
               WHEN (NEW.session_id IS NOT NULL) EXECUTE FUNCTION refuse_closed_session()`,
          )
          .execute(db);
      }
    }

    // Invoices and credit notes issued before this step enter the journal first, in the order they were issued, so
    // that the check covers every document from the start rather than only those issued after the upgrade.
    const pick = async (table: keyof typeof JOURNAL_COLUMNS, order: string[]) => {
      let q = db.selectFrom(table).select([...JOURNAL_COLUMNS[table]]);
      for (const o of order) q = q.orderBy(o);
      return (await q.execute()) as Record<string, unknown>[];
    };
    const group = (rows: Record<string, unknown>[], key: string) => {
      const m = new Map<unknown, Record<string, unknown>[]>();
      for (const r of rows) m.set(r[key], [...(m.get(r[key]) ?? []), r]);
      return m;
    };
    const linesOf = group(await pick('invoice_lines', ['invoice_id', 'position']), 'invoice_id');
    const noteLinesOf = group(await pick('credit_note_lines', ['id']), 'credit_note_id');
    const events = [
      ...(await pick('invoices', ['created_at', 'series_code', 'seq'])).map((i) => ({
        at: String(i.created_at),
        kind: 'invoice',
        ref: String(i.id),
        data: { invoice: i, lines: linesOf.get(i.id) ?? [] },
      })),
      ...(await pick('credit_notes', ['created_at', 'seq'])).map((n) => ({
        at: String(n.created_at),
        kind: 'credit_note',
        ref: String(n.id),
        data: { creditNote: n, lines: noteLinesOf.get(n.id) ?? [] },
      })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let prev = GENESIS_HASH;
    let seq = 0;
    for (const e of events) {
      seq += 1;
      const payload = canonicalJson({ seq, at: e.at, kind: e.kind, ref: e.ref, data: e.data });
      const hash = chainHash(prev, payload);
      await db
        .insertInto('journal')
        .values({ seq, at: e.at, kind: e.kind, ref_id: e.ref, payload, prev_hash: prev, hash })
        .execute();
      prev = hash;
    }
  },
};
