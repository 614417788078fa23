import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { id } from '../api/fields.ts';
import { query } from '../api/operation.ts';
import { householdDeliveries } from '../billing/delivery.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { pdfFile } from '../pdf/file.ts';
import { townDate } from '../time.ts';
import { taxCertificates } from './tax-certificate.ts';
import { renderTaxCertificatesPdf } from './tax-certificate-pdf.ts';

/** A calendar year of the certificates: the app's data starts after 2000. */
const certificateYear = () =>
  z
    .int({ message: 'année attendue (aaaa)' })
    .min(2000, { message: 'année attendue (aaaa)' })
    .max(2100, { message: 'année attendue (aaaa)' });

/** A name as a file name: no accents, spaces or signs a file system or a mail client could refuse. */
const fileSafe = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** The childcare tax certificates (core/regie/tax-certificate.ts): amounts paid, so the régie's. */
export const taxCertificateOperations = {
  /**
   * A family's childcare tax certificates of a year (core/regie/tax-certificate.ts): per child under 6 on 1 January,
   * what was paid that year for care, meals excluded. Empty when nothing qualifies.
   */
  'billing.familyTaxCertificates': query({
    permission: 'billing.read',
    label: 'Attestations fiscales d’un foyer',
    input: z.object({ householdId: id(), year: certificateYear() }),
    run: ({ db }, input) => taxCertificates(db, input.year, input.householdId),
  }),

  /** The certificate of one child, or of all the family's children, as a PDF to print or hand over. */
  'billing.familyTaxCertificatePdf': query({
    permission: 'billing.read',
    label: 'Attestation fiscale (PDF)',
    input: z.object({ householdId: id(), year: certificateYear(), childId: id().optional() }),
    async run({ db, now }, input) {
      const all = await taxCertificates(db, input.year, input.householdId);
      const chosen = input.childId ? all.filter((c) => c.childId === input.childId) : all;
      if (chosen.length === 0)
        throw new DomainError(
          'NOT_FOUND',
          `Aucun frais de garde payé en ${input.year} pour un enfant de moins de 6 ans au 1er janvier : pas d’attestation.`,
          input.childId ? 'childId' : 'year',
        );
      const issuer = await loadIssuer(db);
      const bytes = await renderTaxCertificatesPdf(
        chosen,
        issuer,
        input.year,
        townDate(now, issuer.timeZone),
      );
      const who = chosen.length === 1 ? chosen[0]!.childName : chosen[0]!.householdName;
      return pdfFile(`attestation-garde-${input.year}-${fileSafe(who)}.pdf`, bytes);
    },
  }),

  /**
   * The year's certificates in one PDF, for the January post, ordered by family: those of the « Papier » families and
   * of e-mail families without an address (the others get theirs from the central server, server/mail/), or all of
   * them for the town's archive.
   */
  'billing.yearTaxCertificatesPdf': query({
    permission: 'billing.run',
    label: 'Attestations fiscales de l’année (PDF)',
    input: z.object({
      year: certificateYear(),
      selection: z.enum(['papier', 'all'], { message: 'papier ou toutes' }).default('papier'),
    }),
    async run({ db, now }, input) {
      const all = await taxCertificates(db, input.year);
      const deliveries = await householdDeliveries(
        db,
        all.map((c) => c.householdId),
      );
      const chosen =
        input.selection === 'all' ? all : all.filter((c) => deliveries.get(c.householdId)?.by !== 'email');
      if (chosen.length === 0)
        throw new DomainError(
          'NOT_FOUND',
          all.length === 0
            ? `Aucun frais de garde payé en ${input.year} pour un enfant de moins de 6 ans au 1er janvier.`
            : `Aucune attestation ${input.year} à envoyer par courrier : toutes partent par e-mail.`,
          'year',
        );
      const issuer = await loadIssuer(db);
      const bytes = await renderTaxCertificatesPdf(
        chosen,
        issuer,
        input.year,
        townDate(now, issuer.timeZone),
      );
      return {
        ...pdfFile(
          `attestations-garde-${input.year}${input.selection === 'all' ? '-toutes' : '-courrier'}.pdf`,
          bytes,
        ),
        certificates: chosen.length,
        households: new Set(chosen.map((c) => c.householdId)).size,
        totalCents: chosen.reduce((s, c) => s + c.paidCents, 0),
      };
    },
  }),
};
