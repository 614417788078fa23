import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * Issue 14: where the town has its SEPA debits collected by the Trésorerie (ORMC), an invoice of a family with a
 * mandate in force leaves in the PES export with its debit. Its line keeps which mandate was debited, as what
 * sequence and on which date, so the mandate's next debit (FRST / RCUR) counts it as a debit that went through.
 */
export const migration0021: Migration = {
  version: 21,
  name: 'pes_direct_debits',
  async up(db) {
    await db.schema
      .alterTable('titre_export_invoices')
      .addColumn('mandate_id', 'text', (c) => c.references('sepa_mandates.id'))
      .execute();
    await db.schema
      .alterTable('titre_export_invoices')
      .addColumn('sequence', 'text', (c) => c.check(sql`sequence IS NULL OR sequence IN ('FRST', 'RCUR')`))
      .execute();
    await db.schema.alterTable('titre_export_invoices').addColumn('collection_date', 'text').execute();
    await db.schema
      .createIndex('titre_export_invoices_mandate')
      .on('titre_export_invoices')
      .column('mandate_id')
      .execute();
  },
};
