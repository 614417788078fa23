import { formatEuros, formatLongDate } from '../billing/format.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { COLOR, footers, LEFT, newDocument, put, toBuffer, WIDTH } from '../pdf/page.ts';
import { ensure, table } from '../pdf/table.ts';
import type { CollectionReport } from './collection-report.ts';
import type { DepositSlipDetail } from './deposit-slips.ts';

/** The régie's own documents for the bank and the public accountant: the cheque deposit slip and the état récapitulatif. */

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
