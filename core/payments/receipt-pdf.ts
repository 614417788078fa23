import { formatEuros, formatLongDate, formatShortDate } from '../billing/format.ts';
import { timeOfDay } from '../calendar/time-zones.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { band, COLOR, footers, LEFT, newDocument, put, toBuffer, WIDTH } from '../pdf/page.ts';
import { table } from '../pdf/table.ts';
import { townDate } from '../time.ts';
import type { PaymentDetail } from './read.ts';

/** The receipt a family is handed for its payment (the régie's other documents: core/regie/documents-pdf.ts). */

/** How the payment was made, in one line: « Chèque n° 1234567 — Banque Populaire — tireur M. Éric Lefèvre ». */
export function modeDetail(p: PaymentDetail): string {
  if (p.cheque) {
    const date = p.cheque.date ? ` — daté du ${formatShortDate(p.cheque.date)}` : '';
    return `${p.modeLabel} n° ${p.cheque.number} — ${p.cheque.bank} — tireur ${p.cheque.drawer}${date}`;
  }
  if (p.card) {
    const parts = [`autorisation ${p.card.authorisation}`];
    if (p.card.transaction) parts.push(`transaction ${p.card.transaction}`);
    if (p.card.last4) parts.push(`carte •••• ${p.card.last4}`);
    return `${p.modeLabel} — ${parts.join(' — ')}`;
  }
  if (p.vouchers) {
    const count = p.vouchers.reduce((s, v) => s + v.count, 0);
    const detail = p.vouchers.map((v) => `${v.count} × ${formatEuros(v.faceValueCents)}`).join(' + ');
    return `${p.modeLabel} — ${count} titre${count > 1 ? 's' : ''} : ${detail}`;
  }
  if (p.online) return `${p.modeLabel} — référence ${p.online.reference}`;
  return p.modeLabel;
}

export interface ReceiptPrint {
  duplicate: boolean;
  /** When this print is made: a duplicate says so. */
  printedAt: Date;
}

/**
 * The receipt (quittance, REGIE req. 3): the régie, the number, the date, the payer, the amount in figures and in
 * words, the mode, the invoices settled and the agent. An original is byte-identical at every rendering; a
 * reprint is marked DUPLICATA with its print date.
 */
export async function renderReceiptPdf(
  p: PaymentDetail,
  issuer: Issuer,
  print: ReceiptPrint,
): Promise<Buffer> {
  const doc = newDocument({
    title: `Reçu ${p.receiptNumber}${print.duplicate ? ' (duplicata)' : ''}`,
    author: issuer.townName,
    subject: `Reçu ${p.receiptNumber} — ${p.payerName}`,
    creationDate: print.duplicate ? print.printedAt : new Date(p.receivedAt),
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const received = new Date(p.receivedAt);
  let y =
    titleBlock(
      doc,
      print.duplicate ? 'REÇU — DUPLICATA' : 'REÇU',
      [
        ['Numéro', p.receiptNumber],
        ['Date', `${formatLongDate(p.date)} à ${timeOfDay(received, issuer.timeZone)}`],
        ['Mode', p.modeLabel],
      ],
      top,
    ) + 10;
  y = Math.max(y, issuerEnd) + 16;

  if (print.duplicate) {
    doc.rect(LEFT, y, WIDTH, 24).lineWidth(1.2).strokeColor(COLOR.warn).stroke();
    put(
      doc,
      `DUPLICATA — réédité le ${formatLongDate(townDate(print.printedAt, issuer.timeZone))} ; l’original a été remis le ${formatLongDate(p.date)}.`,
      LEFT + 10,
      y + 7,
      {
        font: 'B',
        size: 9.5,
        color: COLOR.warn,
        width: WIDTH - 20,
      },
    );
    y += 36;
  }

  put(doc, 'Reçu de', LEFT, y, { size: 8, color: COLOR.muted });
  y += put(doc, p.payerName, LEFT + 90, y, { font: 'B', size: 10.5, width: WIDTH - 90 });
  y +=
    put(doc, `Foyer ${p.householdName}`, LEFT + 90, y, { size: 8.5, color: COLOR.muted, width: WIDTH - 90 }) +
    8;

  band(doc, y, 50);
  put(doc, 'La somme de', LEFT + 10, y + 8, { size: 8, color: COLOR.muted });
  put(doc, formatEuros(p.amountCents), LEFT + 90, y + 5, { font: 'B', size: 16 });
  put(doc, p.amountInWords, LEFT + 90, y + 29, { size: 9.5, width: WIDTH - 100 });
  y += 60;

  put(doc, 'Réglé par', LEFT, y, { size: 8, color: COLOR.muted });
  y += put(doc, modeDetail(p), LEFT + 90, y, { size: 9.5, width: WIDTH - 90 }) + 10;

  if (p.allocations.length > 0) {
    y += put(doc, 'Factures réglées', LEFT, y, { font: 'B', size: 9.5, color: COLOR.accent }) + 2;
    y = table(
      doc,
      y,
      [
        { title: 'Facture', width: 150 },
        { title: 'du', width: 110 },
        { title: 'Montant de la facture', width: 125, align: 'right' },
        { title: 'Réglé par ce paiement', width: WIDTH - 385, align: 'right' },
      ],
      p.allocations.map((a) => [
        a.invoiceNumber,
        formatShortDate(a.invoiceIssueDate),
        formatEuros(a.invoiceTotalCents),
        formatEuros(a.amountCents),
      ]),
      () => 50,
    );
    y += 6;
  }
  if (p.creditCents > 0) {
    y +=
      put(
        doc,
        `Porté au crédit de la famille : ${formatEuros(p.creditCents)} (à valoir sur une prochaine facture).`,
        LEFT,
        y,
        { size: 9 },
      ) + 4;
  }
  if (p.override) {
    y +=
      put(
        doc,
        `Dérogation au plafond des espèces autorisée par ${p.override.byName} : ${p.override.reason}.`,
        LEFT,
        y,
        { size: 8.5, color: COLOR.warn },
      ) + 4;
  }
  if (p.reversal) {
    y +=
      put(
        doc,
        `Paiement annulé le ${formatLongDate(p.reversal.date)} par ${p.reversal.agentName} : ${p.reversal.reason}.`,
        LEFT,
        y,
        { font: 'B', size: 9, color: COLOR.warn },
      ) + 4;
  }
  y += 14;
  put(doc, 'Encaissé par', LEFT, y, { size: 8, color: COLOR.muted });
  put(doc, `${p.agentName}, pour le régisseur de recettes`, LEFT + 90, y, { size: 9.5, width: WIDTH - 90 });

  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · Reçu ${p.receiptNumber} du ${formatShortDate(p.date)}${print.duplicate ? ' · DUPLICATA' : ''} · page ${page}/${pages}`,
    'Reçu délivré pour le compte du comptable public. À conserver : il justifie votre paiement.',
  ]);
  return toBuffer(doc);
}
