import type { Kysely } from 'kysely';
import { renderInvoicePdf } from '../../core/billing/invoice-pdf.ts';
import { loadIssuer } from '../../core/billing/issuer.ts';
import { monthInvoices } from '../../core/billing/month-pdf.ts';
import { invoiceDetails } from '../../core/billing/read.ts';
import type { Database } from '../../core/db/schema.ts';
import { formatEuros, formatLongDate, formatMonth } from '../../core/billing/format.ts';
import type { ServerDb } from '../store.ts';
import { chosenBy, mailLog, mailReport, recordOutcome, type MailReport, type MailTarget } from './log.ts';
import type { Mailer } from './mailer.ts';

/** Invoices rendered and sent this many at a time: memory stays flat for a town of 2,000 families. */
const BATCH = 100;

/**
 * E-mails the month's invoices of the families who chose « E-mail » (core/billing/delivery.ts: the household's
 * address, else its payer's), each with its PDF, through the town's relay, and records each outcome (the send
 * report). A family that chose e-mail but gave no address is reported « sans adresse »: its invoice is in the month's
 * paper PDF (core/billing/month-pdf.ts). Messages go one by one: a refusal of one address stops nothing.
 */
export async function sendMonthInvoices(
  serverDb: ServerDb,
  mailer: Mailer,
  clock: () => Date,
  month: string,
  target: MailTarget,
): Promise<MailReport> {
  const db = serverDb as unknown as Kysely<Database>;
  const log = await mailLog(serverDb, 'invoice', month);
  const chosen = (await monthInvoices(db, month, 'name')).filter(
    (r) =>
      (r.delivery.by === 'email' || r.delivery.reason === 'no_address') &&
      chosenBy(target, log)(r.id, r.householdId),
  );
  const issuer = await loadIssuer(db);

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
      const doc = {
        kind: 'invoice' as const,
        ref_id: ref.id,
        period: month,
        number: ref.number,
        household_id: ref.householdId,
        household_name: ref.householdName,
      };
      const invoice = details.get(ref.id);
      if (ref.delivery.by !== 'email' || !invoice) {
        await recordOutcome(serverDb, log, clock().toISOString(), doc, {
          address: null,
          status: 'no_address',
          detail: 'aucune adresse e-mail au dossier : facture imprimée avec le courrier',
        });
        continue;
      }
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
      await recordOutcome(serverDb, log, clock().toISOString(), doc, {
        address: ref.delivery.address,
        status: outcome.status,
        detail: outcome.detail,
      });
    }
  }
  return mailReport(serverDb, 'invoice', month);
}
