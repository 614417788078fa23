import { formatEuros, formatLongDate, formatShortDate } from '../billing/format.ts';
import { formatDateTime, timeOfDay } from '../../shared/wall-clock.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { COLOR, footers, LEFT, newDocument, put, toBuffer, WIDTH } from '../pdf/page.ts';
import { ensure, table } from '../pdf/table.ts';
import type { TillDetail } from './session-detail.ts';

/**
 * The closing report of a till (« Z », REGIE req. 6): what the régisseur signs and files with the day's papers.
 * The float, the payments by mode with their counts, the cash expected against the cash counted note by note, the
 * difference and its reason, the cheques and the slip each went on, the card total against the terminal's batch,
 * the cash paid in, who opened and closed the till and when, and every receipt issued.
 */

const denomination = (cents: number) => `${cents >= 500 ? 'Billet' : 'Pièce'} de ${formatEuros(cents)}`;

export async function renderZReportPdf(d: TillDetail, issuer: Issuer, printedAt: Date): Promise<Buffer> {
  const s = d.session;
  const zone = issuer.timeZone;
  const title = `Clôture de caisse du ${formatLongDate(s.openDate)} — guichet ${d.counterCode}`;
  const doc = newDocument({
    title,
    author: issuer.townName,
    subject: `Rapport de clôture (Z), caisse du ${s.openDate}, guichet ${d.counterCode}`,
    creationDate: printedAt,
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const titleEnd = titleBlock(
    doc,
    'CLÔTURE DE CAISSE',
    [
      ['Caisse du', formatLongDate(s.openDate)],
      ['Guichet', d.counterCode],
      ['Ouverture', formatDateTime(s.openedAt, zone)],
      ['par', s.openedBy],
      ['Clôture', s.closedAt ? formatDateTime(s.closedAt, zone) : '—'],
      ['par', s.closedBy ?? '—'],
    ],
    top,
  );
  let y = Math.max(issuerEnd, titleEnd) + 20;
  const continued = () => {
    put(doc, `${issuer.townName} — ${title} (suite)`, LEFT, 40, { size: 8.5, color: COLOR.muted });
    return 58;
  };
  const heading = (text: string, need = 60) => {
    y = ensure(doc, y + 12, need, continued);
    y += put(doc, text, LEFT, y, { font: 'B', size: 10, color: COLOR.accent }) + 4;
  };

  const cash = s.totals.find((t) => t.mode === 'cash');
  const cashIn = cash?.amountCents ?? 0;
  const cashBack = cash?.reversedCents ?? 0;
  heading('Espèces');
  const cashRows: string[][] = [
    ['Fonds de caisse à l’ouverture', '', formatEuros(s.floatCents)],
    [
      'Espèces encaissées',
      `${cash?.count ?? 0} paiement${(cash?.count ?? 0) > 1 ? 's' : ''}`,
      `+ ${formatEuros(cashIn)}`,
    ],
    [
      'Espèces rendues (paiements annulés)',
      `${cash?.reversedCount ?? 0}`,
      cashBack ? `− ${formatEuros(cashBack)}` : formatEuros(0),
    ],
    [
      'Versements au comptable',
      `${d.payIns.length}`,
      s.paidInCents ? `− ${formatEuros(s.paidInCents)}` : formatEuros(0),
    ],
    ['Espèces attendues', '', formatEuros(s.cashOnHandCents)],
    ['Espèces comptées', '', s.countedCents === null ? 'caisse non clôturée' : formatEuros(s.countedCents)],
    [
      'Écart',
      s.differenceCents ? (s.differenceCents > 0 ? 'excédent' : 'déficit') : '',
      s.differenceCents === null ? '—' : formatEuros(s.differenceCents),
    ],
  ];
  y = table(
    doc,
    y,
    [
      { title: 'Espèces', width: 300 },
      { title: 'Nombre', width: 90, align: 'right' },
      { title: 'Montant', width: WIDTH - 390, align: 'right' },
    ],
    cashRows,
    continued,
    new Set([4, 5, 6]),
  );
  if (s.differenceCents) {
    y += 4;
    y += put(doc, `Motif de l’écart : ${s.differenceReason ?? 'non indiqué'}`, LEFT, y, {
      font: 'B',
      size: 9,
      color: COLOR.warn,
    });
  }

  if (s.countedDenominations || d.floatDenominations) {
    heading('Comptage des espèces');
    const counted = s.countedDenominations ?? [];
    y = table(
      doc,
      y,
      [
        { title: 'Coupure', width: 200 },
        { title: 'Nombre', width: 90, align: 'right' },
        { title: 'Montant', width: 110, align: 'right' },
      ],
      [
        ...counted.map((c) => [
          denomination(c.denominationCents),
          String(c.count),
          formatEuros(c.denominationCents * c.count),
        ]),
        ['Total compté', '', formatEuros(s.countedCents ?? 0)],
      ],
      continued,
      new Set([counted.length]),
    );
    if (d.floatDenominations) {
      y += 4;
      y += put(
        doc,
        `Fonds de caisse compté à l’ouverture : ${d.floatDenominations
          .map((c) => `${c.count} × ${formatEuros(c.denominationCents)}`)
          .join(', ')}.`,
        LEFT,
        y,
        { size: 8.5 },
      );
    }
  }

  heading('Encaissements par mode de règlement');
  const used = s.totals.filter((t) => t.count || t.reversedCount);
  y = table(
    doc,
    y,
    [
      { title: 'Mode', width: 170 },
      { title: 'Paiements', width: 70, align: 'right' },
      { title: 'Encaissé', width: 90, align: 'right' },
      { title: 'Annulé', width: 80, align: 'right' },
      { title: 'Net', width: WIDTH - 410, align: 'right' },
    ],
    [
      ...(used.length ? used : s.totals.slice(0, 1)).map((t) => [
        t.label,
        String(t.count),
        formatEuros(t.amountCents),
        t.reversedCents ? `− ${formatEuros(t.reversedCents)}` : '—',
        formatEuros(t.netCents),
      ]),
      [
        'Total',
        String(s.totals.reduce((n, t) => n + t.count, 0)),
        formatEuros(s.totals.reduce((n, t) => n + t.amountCents, 0)),
        (() => {
          const back = s.totals.reduce((n, t) => n + t.reversedCents, 0);
          return back ? `− ${formatEuros(back)}` : '—';
        })(),
        formatEuros(s.totalNetCents),
      ],
    ],
    continued,
    new Set([Math.max(used.length, 1)]),
  );

  const card = s.totals.find((t) => t.mode === 'card');
  heading('Carte bancaire : rapprochement avec le terminal', 50);
  const cardCount = card?.count ?? 0;
  y += put(
    doc,
    `Paiements par carte enregistrés : ${cardCount} pour ${formatEuros(card?.netCents ?? 0)} (net des annulations).`,
    LEFT,
    y,
    { size: 9 },
  );
  y += put(
    doc,
    s.cardBatchCents === null
      ? 'Total de la télécollecte du terminal : non relevé à la clôture.'
      : `Total de la télécollecte du terminal : ${formatEuros(s.cardBatchCents)} — écart : ${formatEuros(
          s.cardBatchCents - (card?.netCents ?? 0),
        )}.`,
    LEFT,
    y,
    {
      size: 9,
      font: s.cardBatchCents !== null && s.cardBatchCents !== (card?.netCents ?? 0) ? 'B' : 'R',
    },
  );

  const cheques = d.payments.filter((p) => p.mode === 'cheque');
  if (cheques.length) {
    heading('Chèques');
    y = table(
      doc,
      y,
      [
        { title: 'N° du chèque', width: 62 },
        { title: 'Tireur', width: 120 },
        { title: 'Banque', width: 110 },
        { title: 'Montant', width: 60, align: 'right' },
        { title: 'Bordereau de remise', width: WIDTH - 352 },
      ],
      cheques.map((c) => [
        c.cheque?.number ?? '',
        c.cheque?.drawer ?? '',
        c.cheque?.bank ?? '',
        formatEuros(c.amountCents),
        c.reversed ? 'rendu (paiement annulé)' : (c.depositSlip ?? 'en attente de remise'),
      ]),
      continued,
    );
  }

  if (d.payIns.length) {
    heading('Versements au comptable');
    y = table(
      doc,
      y,
      [
        { title: 'Heure', width: 50 },
        { title: 'Référence', width: 170 },
        { title: 'Par', width: 140 },
        { title: 'Montant', width: WIDTH - 360, align: 'right' },
      ],
      d.payIns.map((p) => [
        timeOfDay(p.paidAt, zone),
        p.note ? `${p.reference} — ${p.note}` : p.reference,
        p.agentName,
        formatEuros(p.amountCents),
      ]),
      continued,
    );
  }

  heading('Reçus émis');
  if (d.payments.length === 0) y += put(doc, 'Aucun paiement dans cette caisse.', LEFT, y, { size: 9 });
  else
    y = table(
      doc,
      y,
      [
        { title: 'Reçu', width: 118 },
        { title: 'Heure', width: 36 },
        { title: 'Payeur', width: 128 },
        { title: 'Mode', width: 80 },
        { title: 'Montant', width: 58, align: 'right' },
        { title: 'Remarque', width: WIDTH - 420 },
      ],
      d.payments.map((p) => [
        p.receiptNumber,
        timeOfDay(p.receivedAt, zone),
        p.payerName,
        p.modeLabel,
        formatEuros(p.amountCents),
        p.reversed ? 'annulé' : '',
      ]),
      continued,
    );
  if (d.reversals.length) {
    heading('Paiements annulés depuis cette caisse');
    y = table(
      doc,
      y,
      [
        { title: 'Reçu', width: 118 },
        { title: 'Heure', width: 36 },
        { title: 'Mode', width: 80 },
        { title: 'Montant', width: 58, align: 'right' },
        { title: 'Motif', width: WIDTH - 292 },
      ],
      d.reversals.map((x) => [
        x.receiptNumber,
        timeOfDay(x.reversedAt, zone),
        x.modeLabel,
        formatEuros(x.amountCents),
        `${x.reason} (${x.agentName})`,
      ]),
      continued,
    );
  }

  y = ensure(doc, y + 26, 50, continued);
  put(doc, 'Le régisseur (signature)', LEFT, y, { size: 9 });
  put(doc, 'Visa', LEFT + WIDTH / 2, y, { size: 9 });
  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · Clôture de caisse du ${formatShortDate(s.openDate)}, guichet ${d.counterCode} · édité le ${formatDateTime(printedAt, zone)} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}
