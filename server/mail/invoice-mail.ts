import type { Kysely } from 'kysely';
import { renderInvoicePdf } from '../../core/billing/invoice-pdf.ts';
import { loadIssuer } from '../../core/billing/issuer.ts';
import { monthInvoices, type MonthInvoiceRef } from '../../core/billing/month-pdf.ts';
import { invoiceDetails } from '../../core/billing/read.ts';
import type { Database } from '../../core/db/schema.ts';
import { formatEuros, formatLongDate, formatMonth } from '../../core/billing/format.ts';
import type { ServerDb } from '../store.ts';
import type { Mailer } from './mailer.ts';

export type MailStatus = 'sent' | 'refused' | 'no_address' | 'failed';

export interface MailReportRow {
  invoiceId: string;
  number: string;
  householdId: string;
  householdName: string;
  address: string | null;
  status: MailStatus;
  detail: string | null;
  attempts: number;
  sentAt: string | null;
}

export interface MailReport {
  month: string;
  counts: Record<MailStatus, number>;
  rows: MailReportRow[];
}

/**
 * Which of the month's e-mail invoices a send takes:
 * - 'unsent': every one not yet accepted by the relay (the first send, and « resend the failed ones » after a
 *   refusal was corrected in the family's file or the relay came back);
 * - a household: that family's invoice again, even if it was sent (« je ne l'ai pas reçue »).
 */
export type MailTarget = { kind: 'unsent' } | { kind: 'household'; householdId: string };

/** Invoices rendered and sent this many at a time: memory stays flat for a town of 2,000 families. */
const BATCH = 100;

/**
 * E-mails the month's invoices of the families who chose « E-mail » (core/billing/delivery.ts: the household's
 * address, else its payer's), each with its PDF, through the town's relay, and records each outcome in `mail_log`
 * (the send report). A family that chose e-mail but gave no address is reported « sans adresse »: its invoice is in
 * the month's paper PDF (core/billing/month-pdf.ts). Messages go one by one: a refusal of one address stops nothing.
 */
export async function sendMonthInvoices(
  serverDb: ServerDb,
  mailer: Mailer,
  clock: () => Date,
  month: string,
  target: MailTarget,
): Promise<MailReport> {
  const db = serverDb as unknown as Kysely<Database>;
  const all = await monthInvoices(db, month, 'name');
  const log = new Map(
    (await serverDb.selectFrom('mail_log').selectAll().where('period', '=', month).execute()).map((r) => [
      r.invoice_id,
      r,
    ]),
  );
  const chosen = all.filter((r) => {
    const emailed = r.delivery.by === 'email' || r.delivery.reason === 'no_address';
    if (!emailed) return false;
    if (target.kind === 'household') return r.householdId === target.householdId;
    return log.get(r.id)?.status !== 'sent';
  });
  const issuer = await loadIssuer(db);

  const record = async (
    ref: MonthInvoiceRef,
    address: string | null,
    status: MailStatus,
    detail: string | null,
  ) => {
    const at = clock().toISOString();
    const before = log.get(ref.id);
    const row = {
      invoice_id: ref.id,
      period: month,
      number: ref.number,
      household_id: ref.householdId,
      household_name: ref.householdName,
      address,
      status,
      detail,
      attempts: (before?.attempts ?? 0) + (status === 'no_address' ? 0 : 1),
      sent_at: status === 'sent' ? at : (before?.sent_at ?? null),
      updated_at: at,
    };
    await serverDb
      .insertInto('mail_log')
      .values(row)
      .onConflict((oc) => oc.column('invoice_id').doUpdateSet(row))
      .execute();
  };

  for (let i = 0; i < chosen.length; i += BATCH) {
    const slice = chosen.slice(i, i + BATCH);
    const details = new Map(
      (
        await invoiceDetails(
          db,
          slice.map((r) => r.id),
        )
      ).map((d) => [d.id, d]),
    );
    for (const ref of slice) {
      if (ref.delivery.by !== 'email') {
        await record(
          ref,
          null,
          'no_address',
          'aucune adresse e-mail au dossier : facture imprimée avec le courrier',
        );
        continue;
      }
      const invoice = details.get(ref.id);
      if (!invoice) continue;
      const pdf = await renderInvoicePdf(invoice, issuer);
      const outcome = await mailer.send({
        to: ref.delivery.address,
        subject: `${issuer.townName} — facture ${invoice.number} (${invoice.periodMonth ? formatMonth(invoice.periodMonth) : 'réservation'})`,
        text: [
          'Bonjour,',
          '',
          `Veuillez trouver ci-joint la facture ${invoice.number} de ${formatEuros(invoice.totalCents)}, à régler avant le ${formatLongDate(invoice.dueDate)}.`,
          `Paiement en ligne ${issuer.onlinePayment}, avec la référence ${invoice.number}, ou au guichet de la mairie${issuer.counterInfo ? ` (${issuer.counterInfo})` : ''}.`,
          '',
          issuer.regieName,
          issuer.townName,
        ].join('\n'),
        attachments: [
          { filename: `facture-${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' },
        ],
      });
      await record(ref, ref.delivery.address, outcome.status, outcome.detail);
    }
  }
  return mailReport(serverDb, month);
}

/** The send report of a month: every invoice the server tried to e-mail, its last outcome, counts by outcome. */
export async function mailReport(db: ServerDb, month: string): Promise<MailReport> {
  const rows = await db
    .selectFrom('mail_log')
    .selectAll()
    .where('period', '=', month)
    .orderBy('household_name')
    .orderBy('number')
    .execute();
  const counts: Record<MailStatus, number> = { sent: 0, refused: 0, no_address: 0, failed: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    month,
    counts,
    rows: rows.map((r) => ({
      invoiceId: r.invoice_id,
      number: r.number,
      householdId: r.household_id,
      householdName: r.household_name,
      address: r.address,
      status: r.status,
      detail: r.detail,
      attempts: Number(r.attempts),
      sentAt: r.sent_at,
    })),
  };
}
