import { sql } from 'kysely';
import type { Migration } from './types.ts';

/**
 * Receipts e-mailed on request at the counter (issue 14): the counter records the request (`payment.emailReceipt`),
 * which travels to the central server with the next push like any command — offline, it waits in the outbox; the
 * server's mailer sends it through the town's relay (server/mail/receipt-mail.ts) and writes the outcome on the same
 * row, which comes back to the counters with the next pull.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'receipt_emails',
  async up(db) {
    await db.schema
      .createTable('receipt_emails')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      // Resolved at the counter when asked: the address the agent typed, else the family's.
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      // The relay's words on a refusal or a failure.
      .addColumn('detail', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sent_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('receipt_emails_status', sql`status IN ('pending', 'sent', 'refused', 'failed')`)
      .execute();
    await db.schema.createIndex('receipt_emails_payment').on('receipt_emails').column('payment_id').execute();
    await db.schema.createIndex('receipt_emails_status').on('receipt_emails').column('status').execute();
  },
};
