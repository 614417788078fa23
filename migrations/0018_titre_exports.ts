import { sql } from 'kysely';
import { REBASING_FUNCTION } from '../core/db/open.ts';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

const APPEND_ONLY = ['titre_exports', 'titre_export_invoices'] as const;

const REFUSAL =
  'titres transmis à la Trésorerie : un export ne se modifie ni ne se supprime (une facture n’est transmise qu’une fois)';

/**
 * Issue 14: the exports of unpaid invoices to the public accountant (PES V2 titres de recettes, core/pes), the XML
 * kept as sent, and each invoice's place in one export only — the primary key on the invoice holds that rule.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'titre_exports',
  async up(db, dialect) {
    await db.schema
      .createTable('titre_exports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('piece_count', 'integer', (c) => c.notNull().check(sql`piece_count > 0`))
      .addColumn('invoice_count', 'integer', (c) => c.notNull().check(sql`invoice_count > 0`))
      .addColumn('total_cents', 'integer', (c) => c.notNull().check(sql`total_cents > 0`))
      .addColumn('xml', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addUniqueConstraint('titre_exports_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();
    await db.schema
      .createTable('titre_export_invoices')
      .addColumn('invoice_id', 'text', (c) => c.primaryKey().references('invoices.id'))
      .addColumn('export_id', 'text', (c) => c.notNull().references('titre_exports.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('piece', 'integer', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addUniqueConstraint('titre_export_invoices_line', ['export_id', 'piece', 'line'])
      .execute();

    if (dialect === 'sqlite') {
      for (const table of APPEND_ONLY)
        for (const op of ['UPDATE', 'DELETE'] as const)
          await sql
            .raw(
              `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
                 WHEN ${REBASING_FUNCTION}() = 0
                 BEGIN SELECT RAISE(ABORT, '${REFUSAL.replace(/'/g, "''")}'); END`,
            )
            .execute(db);
    } else {
      for (const table of APPEND_ONLY)
        for (const op of ['UPDATE', 'DELETE', 'TRUNCATE'] as const)
          await pgRefuse(db, `${table}_no_${op.toLowerCase()}`, op, table, null, REFUSAL);
    }
  },
};
