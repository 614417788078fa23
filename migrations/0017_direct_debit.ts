import { sql } from 'kysely';
import { REBASING_FUNCTION } from '../core/db/open.ts';
import { pgRefuse } from './pg-refuse.ts';
import type { Migration } from './types.ts';

/** What the régie sends out and must find again as it was sent: a file or an export is never rewritten. */
const APPEND_ONLY = ['direct_debit_files', 'direct_debits', 'direct_debit_rejections'] as const;

const REFUSAL = 'document transmis à la banque : il ne se modifie ni ne se supprime (un rejet s’ajoute)';

/**
 * Issue 14, the month's paperwork leaving the régie: families' SEPA direct-debit mandates, the direct-debit files
 * (pain.008) with one debit per invoice, and the rejections the bank returns.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'direct_debit',
  async up(db, dialect) {
    // A mandate is the family's signed authorisation: its reference (RUM) is unique for the town's creditor
    // identifier. Never edited but to be revoked; a new account is a new mandate (and a first debit again).
    await db.schema
      .createTable('sepa_mandates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('rum', 'text', (c) => c.notNull().unique())
      .addColumn('debtor_name', 'text', (c) => c.notNull())
      .addColumn('iban', 'text', (c) => c.notNull())
      .addColumn('bic', 'text')
      .addColumn('signed_on', 'text', (c) => c.notNull())
      // FRST: never debited yet; RCUR: already used before this software (its next debit is a recurrent one).
      .addColumn('first_sequence', 'text', (c) => c.notNull().check(sql`first_sequence IN ('FRST', 'RCUR')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('revoked_on', 'text')
      .addColumn('revoked_reason', 'text')
      .addCheckConstraint('sepa_mandates_revoked', sql`(revoked_on IS NULL) = (revoked_reason IS NULL)`)
      .execute();
    await db.schema
      .createIndex('sepa_mandates_household')
      .on('sepa_mandates')
      .column('household_id')
      .execute();
    // One mandate in force per family: the invoices of a month are debited from one account.
    await sql`CREATE UNIQUE INDEX sepa_mandates_one_active ON sepa_mandates (household_id) WHERE revoked_on IS NULL`.execute(
      db,
    );

    // A direct-debit file as sent to the bank: numbered in its series, its XML kept byte for byte.
    await db.schema
      .createTable('direct_debit_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('series_code', 'text', (c) => c.notNull())
      .addColumn('series_year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('collection_date', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('debit_count', 'integer', (c) => c.notNull().check(sql`debit_count > 0`))
      .addColumn('total_cents', 'integer', (c) => c.notNull().check(sql`total_cents > 0`))
      .addColumn('xml', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addUniqueConstraint('direct_debit_files_series_seq', ['series_code', 'series_year', 'seq'])
      .execute();

    // One debit per invoice in a file, and the payment « prélèvement » that settles the invoice.
    await db.schema
      .createTable('direct_debits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('file_id', 'text', (c) => c.notNull().references('direct_debit_files.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('mandate_id', 'text', (c) => c.notNull().references('sepa_mandates.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('payment_id', 'text', (c) => c.notNull().unique().references('payments.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('sequence', 'text', (c) => c.notNull().check(sql`sequence IN ('FRST', 'RCUR')`))
      .addColumn('end_to_end_id', 'text', (c) => c.notNull().unique())
      .addUniqueConstraint('direct_debits_file_position', ['file_id', 'position'])
      .execute();
    await db.schema.createIndex('direct_debits_mandate').on('direct_debits').column('mandate_id').execute();
    await db.schema.createIndex('direct_debits_invoice').on('direct_debits').column('invoice_id').execute();

    // A debit the bank returned, with its ISO reason code; the primary key is « rejected once ».
    await db.schema
      .createTable('direct_debit_rejections')
      .addColumn('debit_id', 'text', (c) => c.primaryKey().references('direct_debits.id'))
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('reversal_id', 'text', (c) => c.notNull().unique().references('payment_reversals.id'))
      .addColumn('returned_on', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
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
