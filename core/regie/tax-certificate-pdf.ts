import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { band, COLOR, LEFT, newDocument, put, RIGHT, rule, toBuffer, WIDTH } from '../pdf/page.ts';
import { formatEuros, formatLongDate } from '../billing/format.ts';
import { debtorBlock } from '../billing/invoice-pdf.ts';
import { ATTRIBUTION, type TaxCertificate } from './tax-certificate.ts';

/**
 * The certificates in one PDF, one page each, in the order given: a family's (one child or all) printed at the
 * counter, or every family's of the year in January for the post. Dated `issueDate` (the town's today).
 */
export async function renderTaxCertificatesPdf(
  certificates: readonly TaxCertificate[],
  issuer: Issuer,
  year: number,
  issueDate: string,
): Promise<Buffer> {
  const doc = newDocument({
    title: `Attestations de frais de garde ${year}`,
    author: issuer.townName,
    subject: `${certificates.length} attestation${certificates.length > 1 ? 's' : ''} fiscale${certificates.length > 1 ? 's' : ''} ${year}`,
    creationDate: new Date(`${issueDate}T00:00:00Z`),
  });
  for (const c of certificates) {
    doc.addPage();
    doc.outline.addItem(`${c.householdName} — ${c.childName}`);
    const top = 42;
    const issuerEnd = issuerBlock(doc, issuer, top);
    const titleEnd = titleBlock(
      doc,
      'ATTESTATION',
      [
        ['Objet', 'Frais de garde'],
        ['Année', String(year)],
        ['Date', formatLongDate(issueDate)],
      ],
      top,
    );
    const debtorEnd = debtorBlock(
      doc,
      c.payerName,
      c.payerAddress,
      c.householdName,
      Math.max(titleEnd + 26, 150),
      'Destinataire',
    );
    let y = Math.max(issuerEnd, debtorEnd) + 28;
    y +=
      put(doc, `Attestation de frais de garde d’un enfant de moins de 6 ans — année ${year}`, LEFT, y, {
        font: 'B',
        size: 12,
        color: COLOR.accent,
      }) + 2;
    y +=
      put(doc, 'Article 200 quater B du code général des impôts', LEFT, y, {
        size: 8.5,
        color: COLOR.muted,
      }) + 14;
    y +=
      put(
        doc,
        `Le régisseur de la « ${issuer.regieName} » (${issuer.townName}) atteste que ${c.payerName}, foyer ${c.householdName}, a payé en ${year} la somme de ${formatEuros(c.paidCents)} pour la garde de ${c.childName}, né(e) le ${formatLongDate(c.birthDate)}, hors frais de repas.`,
        LEFT,
        y,
        { size: 10 },
      ) + 16;

    band(doc, y, 16);
    put(doc, 'Service de garde', LEFT + 6, y + 4, { font: 'B', size: 9 });
    put(doc, `Payé en ${year}`, RIGHT - 126, y + 4, { font: 'B', size: 9, width: 120, align: 'right' });
    y += 22;
    for (const a of c.byActivity) {
      put(doc, a.activityName, LEFT + 6, y, { size: 9.5, width: 360 });
      put(doc, formatEuros(a.paidCents), RIGHT - 126, y, { size: 9.5, width: 120, align: 'right' });
      y += 16;
      rule(doc, y - 3, '#dddddd');
    }
    rule(doc, y + 2, COLOR.text);
    y += 8;
    put(doc, 'Total payé', LEFT + 6, y, { font: 'B', size: 11, width: 200 });
    put(doc, formatEuros(c.paidCents), RIGHT - 146, y, { font: 'B', size: 12, width: 140, align: 'right' });
    y += 30;

    for (const note of [
      ATTRIBUTION,
      'Les repas (restauration scolaire, repas des accueils) sont exclus. Les aides perçues pour cette garde (CAF, employeur) sont à déduire par le déclarant.',
      'Montant à reporter sur la déclaration de revenus, rubrique « Frais de garde des enfants de moins de 6 ans » (cases 7GA à 7GG).',
    ])
      y += put(doc, note, LEFT, y, { size: 8.5, color: COLOR.muted, width: WIDTH }) + 5;
    y += 20;
    put(doc, `Fait le ${formatLongDate(issueDate)}, pour servir et valoir ce que de droit.`, LEFT, y, {
      size: 9.5,
    });
    put(doc, 'Le régisseur', RIGHT - 160, y + 30, { size: 9.5, width: 160 });
  }
  if (certificates.length === 0) doc.addPage();
  return toBuffer(doc);
}
