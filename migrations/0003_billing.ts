import { sql } from 'kysely';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

/** Tables whose rows are documents of the régie: once written they stand as issued, corrected only by a credit note. */
const APPEND_ONLY = [
  'invoices',
  'invoice_lines',
  'billed_services',
  'credit_notes',
  'credit_note_lines',
] as const;

export const migration0003: Migration = {
  version: 3,
  name: 'billing',
  async up(db, dialect) {
    // Numbering series (REGIE §2: continuous annual series, several allowed). A number is taken by raising
    // next_number in the same transaction as the document it numbers, so a rolled-back document frees nothing.
    await db.schema
      .createTable('series')
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // invoice | credit_note
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('next_number', 'integer', (c) => c.notNull())
      // Chronology within a series: a document may not be dated before the last one numbered.
      .addColumn('last_issue_date', 'text')
      .addPrimaryKeyConstraint('series_pk', ['code', 'year'])
      .execute();

    await db.schema
      .createTable('invoices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('kind', 'text', (c) => c.notNull()) // monthly | booking
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('period_month', 'text')
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      // The debtor as printed: a later change of payer or address does not rewrite an issued invoice.
      .addColumn('household_name', 'text', (c) => c.notNull())
      .addColumn('payer_name', 'text', (c) => c.notNull())
      .addColumn('payer_address', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('issued'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addUniqueConstraint('invoices_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();
    await db.schema
      .createIndex('invoices_household')
      .on('invoices')
      .columns(['household_id', 'issue_date'])
      .execute();
    await db.schema.createIndex('invoices_due').on('invoices').columns(['due_date']).execute();

    // One line per child, activity, unit, reason and price: « Repas, les 1, 3, 4… sept., 15 × 2,20 € ». The services it
    // bills are listed in `billed_services`; the dates are copied here so the invoice stands on its own.
    await db.schema
      .createTable('invoice_lines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // core/billing/rules.ts LineKind
      .addColumn('child_id', 'text', (c) => c.notNull()) // no FK: the name is copied, a purged child keeps its invoices
      .addColumn('child_name', 'text', (c) => c.notNull())
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('activity_name', 'text', (c) => c.notNull())
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('unit_label', 'text', (c) => c.notNull())
      // Day services: their ISO dates, comma-separated. A monthly flat fee has its month in `period`, an enrolment
      // its school year.
      .addColumn('service_dates', 'text')
      .addColumn('period', 'text')
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull())
      .addColumn('base_cents', 'integer', (c) => c.notNull())
      .addColumn('surcharge_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('surcharge_reason', 'text')
      .addColumn('qf_value', 'integer')
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('enrolment_id', 'text')
      // Each service priced to the cent, then the line is quantity × unit price: no rounding at the line level.
      .addCheckConstraint(
        'invoice_lines_amount',
        sql`amount_cents = quantity * unit_price_cents AND quantity > 0`,
      )
      .execute();
    await db.schema
      .createIndex('invoice_lines_invoice')
      .on('invoice_lines')
      .columns(['invoice_id', 'position'])
      .unique()
      .execute();
    // An enrolment paid at enrolment is invoiced once.
    await db.schema
      .createIndex('invoice_lines_one_per_enrolment')
      .on('invoice_lines')
      .column('enrolment_id')
      .unique()
      .execute();

    // Which booking each line bills. The primary key is the guarantee: a service is billed once, whatever the reason
    // it is billed for and however many runs see it. No foreign key to bookings: a withdrawn presence deletes its
    // booking row, and what was billed must remain.
    await db.schema
      .createTable('billed_services')
      .addColumn('booking_id', 'text', (c) => c.primaryKey())
      .addColumn('invoice_line_id', 'text', (c) => c.notNull().references('invoice_lines.id'))
      .addColumn('service_date', 'text', (c) => c.notNull())
      .modifyEnd(dialect === 'sqlite' ? sql`WITHOUT ROWID` : sql``)
      .execute();
    await db.schema
      .createIndex('billed_services_line')
      .on('billed_services')
      .column('invoice_line_id')
      .execute();

    // The month run reads a month of bookings: without this it reads every booking of the year.
    await db.schema
      .createIndex('bookings_billing_month')
      .on('bookings')
      .columns(['date', 'activity_id'])
      .execute();

    await db.schema
      .createTable('credit_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addUniqueConstraint('credit_notes_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();
    await db.schema.createIndex('credit_notes_invoice').on('credit_notes').column('invoice_id').execute();

    await db.schema
      .createTable('credit_note_lines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('credit_note_id', 'text', (c) => c.notNull().references('credit_notes.id'))
      .addColumn('invoice_line_id', 'text', (c) => c.notNull().references('invoice_lines.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull())
      // The one service credited, when the credit note cancels a service of a line (an absence justified late).
      .addColumn('booking_id', 'text')
      .addCheckConstraint('credit_note_lines_positive', sql`amount_cents > 0`)
      .execute();
    await db.schema
      .createIndex('credit_note_lines_booking')
      .on('credit_note_lines')
      .column('booking_id')
      .unique()
      .execute();
    await db.schema
      .createIndex('credit_note_lines_note')
      .on('credit_note_lines')
      .column('credit_note_id')
      .execute();
    await db.schema
      .createIndex('credit_note_lines_line')
      .on('credit_note_lines')
      .column('invoice_line_id')
      .execute();

    if (dialect === 'sqlite') {
      // The database itself refuses to alter an issued document, whatever code tries (ANCHORS §4: Noethys deleted
      // invoices and reused their numbers). The server's PostgreSQL gets the same triggers in the branch below.
      for (const table of APPEND_ONLY) {
        for (const op of ['UPDATE', 'DELETE'] as const) {
          await sql
            .raw(
              `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN
                 SELECT RAISE(ABORT, 'document émis : il ne se modifie ni ne se supprime (établir un avoir)');
               END`,
            )
            .execute(db);
        }
      }
      // A number once given is never given again: the counter only moves forward, and a series is never dropped.
      await sql`CREATE TRIGGER series_forward_only BEFORE UPDATE ON series
        WHEN NEW.next_number < OLD.next_number OR NEW.code IS NOT OLD.code OR NEW.year IS NOT OLD.year
        BEGIN SELECT RAISE(ABORT, 'série de numérotation : un numéro attribué ne se réutilise pas'); END`.execute(
        db,
      );
      await sql`CREATE TRIGGER series_no_delete BEFORE DELETE ON series
        BEGIN SELECT RAISE(ABORT, 'série de numérotation : un numéro attribué ne se réutilise pas'); END`.execute(
        db,
      );
    } else {
      // The same refusals on the server's PostgreSQL, under the same trigger names and with the same messages.
      await sql`CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$`.execute(db);
      const issued = 'document émis : il ne se modifie ni ne se supprime (établir un avoir)';
      for (const table of APPEND_ONLY) {
        for (const op of ['UPDATE', 'DELETE', 'TRUNCATE'] as const)
          await pgRefuse(db, `${table}_no_${op.toLowerCase()}`, op, table, null, issued);
      }
      const numbered = 'série de numérotation : un numéro attribué ne se réutilise pas';
      await pgRefuse(
        db,
        'series_forward_only',
        'UPDATE',
        'series',
        'NEW.next_number < OLD.next_number OR NEW.code IS DISTINCT FROM OLD.code OR NEW.year IS DISTINCT FROM OLD.year',
        numbered,
      );
      await pgRefuse(db, 'series_no_delete', 'DELETE', 'series', null, numbered);
      await pgRefuse(db, 'series_no_truncate', 'TRUNCATE', 'series', null, numbered);
    }
  },
};
