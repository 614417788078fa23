import { formatEuros, formatLongDate, formatShortDate } from '../billing/format.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { COLOR, footers, LEFT, newDocument, put, toBuffer, WIDTH } from '../pdf/page.ts';
import { ensure, table } from '../pdf/table.ts';
import { townDate } from '../time.ts';
import { CREDIT_LINE, type CollectionReport } from './collection-report.ts';
import type { DepositSlipDetail } from './deposit-slips.ts';

/** The régie's own documents for the bank and the public accountant: the cheque deposit slip and the état récapitulatif. */

/**
 * The cheque deposit slip: number, drawer, bank, amount for each cheque; count and total; signatures. A reprint
 * (`reprintedAt`) says DUPLICATA with its date: the original went to the bank with the cheques.
 */
export async function renderDepositSlipPdf(
  slip: DepositSlipDetail,
  issuer: Issuer,
  reprintedAt: Date | null = null,
): Promise<Buffer> {
  const doc = newDocument({
    title: `Bordereau de remise ${slip.number}${reprintedAt ? ' (duplicata)' : ''}`,
    author: issuer.townName,
    subject: `Bordereau de remise de chèques ${slip.number}`,
    creationDate: reprintedAt ?? new Date(slip.createdAt),
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const titleEnd = titleBlock(
    doc,
    'BORDEREAU',
    [
      ...(reprintedAt ? [['Exemplaire', 'DUPLICATA'] as [string, string]] : []),
      ['Objet', 'Remise de chèques'],
      ['Numéro', slip.number],
      ['Date', formatLongDate(slip.date)],
      ['Chèques', String(slip.chequeCount)],
      ['Total', formatEuros(slip.totalCents)],
    ],
    top,
  );
  let y = Math.max(issuerEnd, titleEnd) + 24;
  if (reprintedAt) {
    doc.rect(LEFT, y, WIDTH, 24).lineWidth(1.2).strokeColor(COLOR.warn).stroke();
    put(
      doc,
      `DUPLICATA — réédité le ${formatLongDate(townDate(reprintedAt, issuer.timeZone))} ; l’original a été établi le ${formatLongDate(slip.date)}.`,
      LEFT + 10,
      y + 7,
      { font: 'B', size: 9.5, color: COLOR.warn, width: WIDTH - 20 },
    );
    y += 36;
  }
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
    `${issuer.townName} — ${issuer.regieName} · Bordereau ${slip.number}${reprintedAt ? ' · DUPLICATA' : ''} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}

/** « −1,00 € » for an amount taken back, « — » when nothing was. */
const minus = (cents: number) => (cents ? `− ${formatEuros(cents)}` : '—');

/**
 * The état récapitulatif des encaissements, worded for the comptable public: by mode (paid, cancelled, net), by
 * activity with the town's accounting codes, the cash paid in over the period, optionally payer by payer.
 */
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
      { title: 'Mode', width: 150 },
      { title: 'Paiements', width: 60, align: 'right' },
      { title: 'Encaissé', width: 85, align: 'right' },
      { title: 'Annulations', width: 65, align: 'right' },
      { title: 'Annulé', width: 70, align: 'right' },
      { title: 'Net', width: WIDTH - 430, align: 'right' },
    ],
    [
      ...r.byMode.map((m) => [
        m.label,
        String(m.count),
        formatEuros(m.amountCents),
        m.reversedCount ? String(m.reversedCount) : '—',
        minus(m.reversedCents),
        formatEuros(m.netCents),
      ]),
      [
        'Total',
        String(r.totals.count),
        formatEuros(r.totals.amountCents),
        r.totals.reversedCount ? String(r.totals.reversedCount) : '—',
        minus(r.totals.reversedCents),
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
      { title: 'Activité', width: 245 },
      { title: 'Imputation', width: 80 },
      { title: 'Code produit', width: 80 },
      { title: 'Montant', width: WIDTH - 405, align: 'right' },
    ],
    [
      ...r.byActivity.map((a) => [
        a.activityName,
        a.imputation || '—',
        a.productCode || '—',
        formatEuros(a.amountCents),
      ]),
      [CREDIT_LINE, '', '', formatEuros(r.creditChangeCents)],
      ['Total', '', '', formatEuros(r.totals.netCents)],
    ],
    continued,
    new Set([r.byActivity.length + 1]),
  );
  y = ensure(doc, y + 6, 40, continued);
  y += put(doc, r.roundingRule, LEFT, y, { size: 7.5, color: COLOR.muted }) + 8;

  if (r.payIns.length) {
    y = ensure(doc, y + 10, 60, continued);
    y += put(doc, 'Versements au comptable', LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
    y = table(
      doc,
      y,
      [
        { title: 'Date', width: 70 },
        { title: 'Guichet', width: 60 },
        { title: 'Référence', width: 170 },
        { title: 'Par', width: 120 },
        { title: 'Montant', width: WIDTH - 420, align: 'right' },
      ],
      [
        ...r.payIns.map((v) => [
          formatShortDate(v.date),
          v.counterCode,
          v.reference,
          v.agentName,
          formatEuros(v.amountCents),
        ]),
        ['Total', '', '', '', formatEuros(r.payIns.reduce((n, v) => n + v.amountCents, 0))],
      ],
      continued,
      new Set([r.payIns.length]),
    );
  }

  if (r.byPayer) {
    y = ensure(doc, y + 10, 60, continued);
    y += put(doc, 'Par payeur', LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
    y = table(
      doc,
      y,
      [
        { title: 'Payeur', width: 200 },
        { title: 'Reçus', width: 165 },
        { title: 'Annulé', width: 70, align: 'right' },
        { title: 'Net', width: WIDTH - 435, align: 'right' },
      ],
      r.byPayer.map((p) => [
        `${p.householdName} — ${p.payerName}`,
        // One receipt number a line: a number cut at its dashes would read as two.
        p.receipts.map((x) => (x.reversed ? `${x.number} (annulé)` : x.number)).join('\n'),
        minus(p.reversedCents),
        formatEuros(p.netCents),
      ]),
      continued,
    );
  }
  y = ensure(doc, y + 24, 70, continued);
  put(
    doc,
    `Certifié exact, le régisseur, le ${formatLongDate(townDate(generatedAt, issuer.timeZone))}`,
    LEFT,
    y,
    {
      size: 9,
    },
  );
  put(doc, 'Vu, le comptable public', LEFT + WIDTH / 2, y, { size: 9 });
  put(
    doc,
    `Contrôle d’intégrité : journal des encaissements arrêté à l’écriture n° ${r.journal.lastSeq}, empreinte numérique (SHA-256) ${r.journal.lastHash || 'aucune'}.`,
    LEFT,
    y + 48,
    { size: 7, color: COLOR.muted },
  );
  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · État récapitulatif des encaissements · ${r.title} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}
