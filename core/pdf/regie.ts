import { formatEuros, formatLongDate, formatShortDate } from '../billing/format.ts';
import { timeOfDay } from '../calendar/time-zones.ts';
import type { PaymentDetail } from '../payments/read.ts';
import type { CollectionReport } from '../regie/collection-report.ts';
import type { DepositSlipDetail } from '../regie/deposit-slips.ts';
import { townDate } from '../time.ts';
import { issuerBlock, titleBlock, type Issuer } from './invoice.ts';
import {
  band,
  BODY_BOTTOM,
  COLOR,
  footers,
  LEFT,
  measure,
  newDocument,
  put,
  rule,
  toBuffer,
  WIDTH,
  type Doc,
} from './page.ts';

/** The régie's own documents: the receipt, the cheque deposit slip and the état récapitulatif. */

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/**
 * A table that flows over pages: header band, rows with a thin rule, the header again on each new page. Cells are
 * one line each (numbers, names); a longer text is cut by pdfkit's wrapping inside its column.
 */
function table(
  doc: Doc,
  y0: number,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  continued: () => number,
  bold: ReadonlySet<number> = new Set(),
): number {
  const header = (y: number) => {
    band(doc, y, 16, COLOR.accent);
    // Each cell sits 4 points inside its column on both sides, so the last one ends inside the band.
    let x = LEFT;
    for (const c of columns) {
      put(doc, c.title, x + 4, y + 4, {
        font: 'B',
        size: 7.5,
        color: '#ffffff',
        width: c.width - 8,
        align: c.align ?? 'left',
      });
      x += c.width;
    }
    return y + 20;
  };
  let y = header(y0);
  rows.forEach((row, i) => {
    const font = bold.has(i) ? ('B' as const) : ('R' as const);
    const h =
      Math.max(
        ...row.map((cell, j) => measure(doc, cell, { font, size: 8, width: (columns[j]?.width ?? 40) - 8 })),
      ) + 3;
    if (y + h > BODY_BOTTOM) {
      doc.addPage();
      y = header(continued());
    }
    let x = LEFT;
    row.forEach((cell, j) => {
      const c = columns[j] as Column;
      put(doc, cell, x + 4, y, { font, size: 8, width: c.width - 8, align: c.align ?? 'left' });
      x += c.width;
    });
    y += h;
    rule(doc, y - 1.5, '#dddddd');
  });
  return y;
}

function ensure(doc: Doc, y: number, height: number, continued: () => number): number {
  if (y + height <= BODY_BOTTOM) return y;
  doc.addPage();
  return continued();
}

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

/** The cheque deposit slip: number, drawer, bank, amount for each cheque; count and total; signatures. */
export async function renderDepositSlipPdf(slip: DepositSlipDetail, issuer: Issuer): Promise<Buffer> {
  const doc = newDocument({
    title: `Bordereau de remise ${slip.number}`,
    author: issuer.townName,
    subject: `Bordereau de remise de chèques ${slip.number}`,
    creationDate: new Date(slip.createdAt),
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const titleEnd = titleBlock(
    doc,
    'BORDEREAU',
    [
      ['Objet', 'Remise de chèques'],
      ['Numéro', slip.number],
      ['Date', formatLongDate(slip.date)],
      ['Chèques', String(slip.chequeCount)],
      ['Total', formatEuros(slip.totalCents)],
    ],
    top,
  );
  let y = Math.max(issuerEnd, titleEnd) + 24;
  y +=
    put(doc, 'Remise de chèques bancaires à l’ordre du Trésor public', LEFT, y, {
      font: 'B',
      size: 10,
      color: COLOR.accent,
    }) + 6;
  const continued = () => {
    put(doc, `${issuer.townName} — bordereau ${slip.number} (suite)`, LEFT, 40, {
      size: 8.5,
      color: COLOR.muted,
    });
    return 58;
  };
  y = table(
    doc,
    y,
    [
      { title: 'N°', width: 22, align: 'right' },
      { title: 'N° du chèque', width: 70 },
      { title: 'Tireur', width: 118 },
      { title: 'Banque', width: 112 },
      { title: 'Reçu', width: WIDTH - 22 - 70 - 118 - 112 - 66 },
      { title: 'Montant', width: 66, align: 'right' },
    ],
    [
      ...slip.cheques.map((c, i) => [
        String(i + 1),
        c.chequeNumber,
        c.drawer,
        c.bank,
        c.receiptNumber,
        formatEuros(c.amountCents),
      ]),
      [
        '',
        '',
        `${slip.chequeCount} chèque${slip.chequeCount > 1 ? 's' : ''}`,
        '',
        'Total',
        formatEuros(slip.totalCents),
      ],
    ],
    continued,
    new Set([slip.cheques.length]),
  );
  y = ensure(doc, y + 20, 80, continued);
  put(doc, `Établi le ${formatLongDate(slip.date)} par ${slip.agentName}`, LEFT, y, { size: 9 });
  put(doc, 'Signature du régisseur', LEFT, y + 22, { size: 8.5, color: COLOR.muted });
  put(doc, 'Visa du comptable public', LEFT + WIDTH / 2, y + 22, { size: 8.5, color: COLOR.muted });
  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · Bordereau ${slip.number} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}

/** The état récapitulatif des encaissements: by mode, by activity, and optionally payer by payer. */
export async function renderCollectionReportPdf(
  r: CollectionReport,
  issuer: Issuer,
  generatedAt: Date,
): Promise<Buffer> {
  const doc = newDocument({
    title: `État récapitulatif des encaissements — ${r.title}`,
    author: issuer.townName,
    subject: `État récapitulatif des encaissements, ${r.from} au ${r.to}`,
    creationDate: generatedAt,
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  let y = Math.max(issuerEnd, top + 40) + 18;
  y +=
    put(doc, 'État récapitulatif des encaissements', LEFT, y, { font: 'B', size: 16, color: COLOR.accent }) +
    2;
  y += put(doc, r.title, LEFT, y, { font: 'B', size: 10.5 }) + 12;
  const continued = () => {
    put(doc, `${issuer.townName} — état récapitulatif, ${r.title} (suite)`, LEFT, 40, {
      size: 8.5,
      color: COLOR.muted,
    });
    return 58;
  };

  y += put(doc, 'Par mode de règlement', LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
  y = table(
    doc,
    y,
    [
      { title: 'Mode', width: 160 },
      { title: 'Nombre', width: 60, align: 'right' },
      { title: 'Encaissé', width: 95, align: 'right' },
      { title: 'Annulations', width: 90, align: 'right' },
      { title: 'Net', width: WIDTH - 405, align: 'right' },
    ],
    [
      ...r.byMode.map((m) => [
        m.label,
        String(m.count),
        formatEuros(m.amountCents),
        m.reversedCents ? `${m.reversedCount} · −${formatEuros(m.reversedCents)}` : '—',
        formatEuros(m.netCents),
      ]),
      [
        'Total',
        String(r.totals.count),
        formatEuros(r.totals.amountCents),
        formatEuros(-r.totals.reversedCents),
        formatEuros(r.totals.netCents),
      ],
    ],
    continued,
    new Set([r.byMode.length]),
  );

  y = ensure(doc, y + 16, 60, continued);
  y += put(doc, 'Par activité', LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
  y = table(
    doc,
    y,
    [
      { title: 'Activité', width: 330 },
      { title: 'Montant', width: WIDTH - 330, align: 'right' },
    ],
    [
      ...r.byActivity.map((a) => [a.activityName, formatEuros(a.amountCents)]),
      [
        'Crédit des familles (variation : encaissé non affecté à une facture)',
        formatEuros(r.creditChangeCents),
      ],
      ['Total', formatEuros(r.totals.netCents)],
    ],
    continued,
    new Set([r.byActivity.length + 1]),
  );
  y = ensure(doc, y + 6, 40, continued);
  y += put(doc, r.roundingRule, LEFT, y, { size: 7.5, color: COLOR.muted }) + 8;

  if (r.byPayer) {
    y = ensure(doc, y + 10, 60, continued);
    y += put(doc, 'Par payeur', LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
    y = table(
      doc,
      y,
      [
        { title: 'Payeur', width: 200 },
        { title: 'Reçus', width: 165 },
        { title: 'Annulations', width: 70, align: 'right' },
        { title: 'Net', width: WIDTH - 435, align: 'right' },
      ],
      r.byPayer.map((p) => [
        `${p.householdName} — ${p.payerName}`,
        p.receipts.map((x) => x.number).join(', '),
        p.reversedCents ? formatEuros(-p.reversedCents) : '—',
        formatEuros(p.netCents),
      ]),
      continued,
    );
  }
  y = ensure(doc, y + 24, 50, continued);
  put(doc, 'Certifié exact, le régisseur', LEFT, y, { size: 9 });
  put(doc, 'Vu, le comptable public', LEFT + WIDTH / 2, y, { size: 9 });
  put(
    doc,
    `Journal des écritures arrêté à l’entrée n° ${r.journal.lastSeq}, empreinte SHA-256 ${r.journal.lastHash || '—'}`,
    LEFT,
    y + 40,
    { size: 7, color: COLOR.muted },
  );
  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · État récapitulatif des encaissements · ${r.title} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}
