import { formatShortDate, formatWeekdayDate } from '../../shared/dates.ts';
import { formatDateTime } from '../../shared/wall-clock.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { COLOR, footers, LEFT, newDocument, put, toBuffer, WIDTH } from '../pdf/page.ts';
import { ensure, table } from '../pdf/table.ts';
import type { DayMeals } from './meal-counts.ts';

/**
 * The kitchen's sheet: for each day, each site's meals, by activity, with the meatless, adapted and packed meals
 * and the PAI among them. Numbers only.
 */
export async function renderMealCountsPdf(
  days: readonly DayMeals[],
  period: { from: string; to: string; siteName: string | null },
  issuer: Issuer,
  printedAt: Date,
): Promise<Buffer> {
  const span = `du ${formatShortDate(period.from)} au ${formatShortDate(period.to)}`;
  const doc = newDocument({
    title: `Effectifs des repas ${span}`,
    author: issuer.townName,
    subject: `Effectifs des repas ${span}${period.siteName ? `, ${period.siteName}` : ''}`,
    creationDate: printedAt,
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const titleEnd = titleBlock(
    doc,
    'REPAS',
    [
      ['Période', span],
      ['Site', period.siteName ?? 'tous les sites'],
      ['Imprimé le', formatDateTime(printedAt, issuer.timeZone)],
    ],
    top,
  );
  let y = Math.max(issuerEnd, titleEnd) + 20;
  y += put(doc, 'Effectifs des repas', LEFT, y, { font: 'B', size: 16, color: COLOR.accent }) + 2;
  y +=
    put(
      doc,
      'Repas réservés (présences sans réservation comprises, absences notées déduites). Les paniers repas sont apportés par les familles : ils ne sont pas à préparer.',
      LEFT,
      y,
      { size: 8.5, color: COLOR.muted },
    ) + 10;
  const continued = () => {
    put(doc, `${issuer.townName} — effectifs des repas ${span} (suite)`, LEFT, 40, {
      size: 8.5,
      color: COLOR.muted,
    });
    return 58;
  };
  if (days.length === 0) put(doc, 'Aucun repas réservé sur la période.', LEFT, y, { size: 10 });
  for (const day of days) {
    y = ensure(doc, y, 80, continued);
    y +=
      put(doc, `${formatWeekdayDate(day.date)} — ${day.meals} repas`, LEFT, y, { font: 'B', size: 10.5 }) + 4;
    const rows = day.sites.map((s) => [
      s.siteName,
      s.byActivity.map((a) => `${a.activityName} (${a.unitLabel.toLowerCase()}) : ${a.meals}`).join('\n'),
      String(s.meals),
      String(s.withoutMeat),
      String(s.adapted),
      String(s.packed),
      String(s.meals - s.packed),
      String(s.pai),
    ]);
    y =
      table(
        doc,
        y,
        [
          // Each heading on one line: the numbers' columns as wide as their words.
          { title: 'Site', width: 100 },
          { title: 'Dont', width: WIDTH - 100 - 288 },
          { title: 'Repas', width: 40, align: 'right' },
          { title: 'Sans viande', width: 62, align: 'right' },
          { title: 'Adaptés', width: 48, align: 'right' },
          { title: 'Paniers', width: 44, align: 'right' },
          { title: 'À préparer', width: 60, align: 'right' },
          { title: 'PAI', width: 34, align: 'right' },
        ],
        rows,
        continued,
      ) + 12;
  }
  footers(doc, (page, pages) => [`${issuer.townName} — Effectifs des repas ${span} · page ${page}/${pages}`]);
  return toBuffer(doc);
}
