import type { Kysely } from 'kysely';
import { householdDeliveries } from '../../core/billing/delivery.ts';
import { formatEuros } from '../../core/billing/format.ts';
import { loadIssuer } from '../../core/billing/issuer.ts';
import { taxCertificates, type TaxCertificate } from '../../core/regie/tax-certificate.ts';
import { renderTaxCertificatesPdf } from '../../core/regie/tax-certificate-pdf.ts';
import type { Database } from '../../core/db/schema.ts';
import { townDate } from '../../core/time.ts';
import type { ServerDb } from '../store.ts';
import { chosenBy, mailLog, mailReport, recordOutcome, type MailReport, type MailTarget } from './log.ts';
import type { Mailer } from './mailer.ts';

/**
 * January's childcare tax certificates (core/regie/tax-certificate.ts) to the « E-mail » families: one e-mail per
 * family, its children's certificates in one PDF, each outcome in the send report as for the invoices. The « Papier »
 * families' certificates are in the year's paper PDF (`billing.yearTaxCertificatesPdf`), as are those of e-mail
 * families without an address.
 */
export async function sendYearCertificates(
  serverDb: ServerDb,
  mailer: Mailer,
  clock: () => Date,
  year: number,
  target: MailTarget,
): Promise<MailReport> {
  const db = serverDb as unknown as Kysely<Database>;
  const period = String(year);
  const log = await mailLog(serverDb, 'tax_certificate', period);
  const byFamily = new Map<string, TaxCertificate[]>();
  for (const c of await taxCertificates(db, year))
    byFamily.set(c.householdId, [...(byFamily.get(c.householdId) ?? []), c]);
  const deliveries = await householdDeliveries(db, [...byFamily.keys()]);
  const issuer = await loadIssuer(db);
  const issueDate = townDate(clock(), issuer.timeZone);

  for (const [householdId, certificates] of byFamily) {
    const delivery = deliveries.get(householdId);
    if (!delivery || (delivery.by === 'papier' && delivery.reason === 'paper')) continue;
    if (!chosenBy(target, log)(householdId, householdId)) continue;
    const first = certificates[0]!;
    const doc = {
      kind: 'tax_certificate' as const,
      ref_id: householdId,
      period,
      number: `Attestation ${year}`,
      household_id: householdId,
      household_name: first.householdName,
    };
    if (delivery.by !== 'email') {
      await recordOutcome(serverDb, log, clock().toISOString(), doc, {
        address: null,
        status: 'no_address',
        detail: 'aucune adresse e-mail au dossier : attestation imprimée avec le courrier',
      });
      continue;
    }
    const pdf = await renderTaxCertificatesPdf(certificates, issuer, year, issueDate);
    const outcome = await mailer.send({
      to: delivery.address,
      subject: `${issuer.townName} — attestation de frais de garde ${year}`,
      text: [
        'Bonjour,',
        '',
        `Veuillez trouver ci-jointe l’attestation des frais de garde payés en ${year} pour ${certificates.map((c) => `${c.childName} (${formatEuros(c.paidCents)})`).join(', ')}, à joindre à votre déclaration de revenus (frais de garde des enfants de moins de 6 ans).`,
        '',
        issuer.regieName,
        issuer.townName,
      ].join('\n'),
      attachments: [
        { filename: `attestation-garde-${year}.pdf`, content: pdf, contentType: 'application/pdf' },
      ],
    });
    await recordOutcome(serverDb, log, clock().toISOString(), doc, {
      address: delivery.address,
      status: outcome.status,
      detail: outcome.detail,
    });
  }
  return mailReport(serverDb, 'tax_certificate', period);
}
