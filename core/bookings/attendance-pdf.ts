import { formatLongDate, formatWeekdayDate } from '../../shared/dates.ts';
import { healthMarkWords } from '../../shared/health.ts';
import { formatDateTime } from '../../shared/wall-clock.ts';
import type { SheetHealth } from '../health/records.ts';
import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { COLOR, footers, LEFT, newDocument, put, RIGHT, toBuffer, WIDTH } from '../pdf/page.ts';
import { ensure, table } from '../pdf/table.ts';
import type { Sheet, SheetChild } from './attendance-sheet.ts';

/** One activity and unit of the day at the site: a page (or more) of the printed sheet. */
export interface SheetSection {
  activityName: string;
  sheet: Sheet;
}

export interface SheetPrint {
  siteName: string;
  date: string;
  sections: SheetSection[];
  /** Each child's fiche, for a role that may read it; null prints the marks alone. */
  details: Map<string, SheetHealth> | null;
  printedAt: Date;
  printedBy: string;
}

const MARKED: Record<NonNullable<SheetChild['attendance']>, [string, string]> = {
  present: ['✓', ''],
  absent_justified: ['', 'justifié'],
  absent_unjustified: ['', 'non justifié'],
};

/** What the « Santé, repas » cell says: the marks, and for a role that may read them the allergies and protocol. */
function healthCell(child: SheetChild, details: SheetPrint['details']): string {
  if (!child.health) return '';
  const marks = healthMarkWords(child.health).join(' · ');
  const fiche = details?.get(child.childId);
  if (!fiche) return marks;
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  return [
    marks,
    fiche.allergies ? `Allergies : ${cut(fiche.allergies, 90)}` : '',
    fiche.treatment ? `Conduite : ${cut(fiche.treatment, 140)}` : '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/**
 * The printed attendance sheet of a site and day: one page per activity and unit, the children in calling order
 * (group, class, name) with their boxes to tick, the PAI and allergy marks staff must see, and the day's counts.
 */
export async function renderAttendanceSheetPdf(p: SheetPrint, issuer: Issuer): Promise<Buffer> {
  const doc = newDocument({
    title: `Feuille de présence — ${p.siteName}, ${formatLongDate(p.date)}`,
    author: issuer.townName,
    subject: `Feuille de présence du ${formatLongDate(p.date)}, ${p.siteName}`,
    creationDate: p.printedAt,
  });
  const continued = (section: SheetSection) => () => {
    put(
      doc,
      `${p.siteName} — ${section.activityName}, ${section.sheet.unitLabel}, ${formatWeekdayDate(p.date)} (suite)`,
      LEFT,
      40,
      { size: 8.5, color: COLOR.muted },
    );
    return 58;
  };
  const sections = p.sections.length > 0 ? p.sections : [null];
  for (const section of sections) {
    doc.addPage();
    const top = 42;
    const issuerEnd = issuerBlock(doc, issuer, top);
    const titleEnd = titleBlock(
      doc,
      'PRÉSENCES',
      [
        ['Site', p.siteName],
        ['Jour', formatWeekdayDate(p.date)],
        ...(section
          ? ([['Activité', `${section.activityName} — ${section.sheet.unitLabel}`]] as [string, string][])
          : []),
      ],
      top,
    );
    let y = Math.max(issuerEnd, titleEnd) + 20;
    if (!section) {
      put(doc, 'Aucun enfant réservé ce jour-là sur ce site.', LEFT, y, { size: 10 });
      continue;
    }
    const { sheet } = section;
    const counts = [
      `${sheet.counts.booked} enfant${sheet.counts.booked > 1 ? 's' : ''}`,
      sheet.places === null ? 'places sans limite' : `${sheet.places} places`,
      `${sheet.children.filter((c) => c.health?.pai).length} PAI`,
      `${sheet.children.filter((c) => c.health?.allergy).length} allergie(s)`,
    ].join(' · ');
    y += put(doc, `${section.activityName} — ${sheet.unitLabel}`, LEFT, y, {
      font: 'B',
      size: 11,
      color: COLOR.accent,
    });
    y += put(doc, counts, LEFT, y, { size: 8.5, color: COLOR.muted }) + 6;
    const rows = sheet.children.map((c, i) => {
      const [present, absent] = c.attendance ? MARKED[c.attendance] : ['☐', '☐'];
      return [
        String(i + 1),
        `${c.lastName.toUpperCase()} ${c.firstName}${c.unbooked ? '\nsans réservation' : ''}`,
        c.classLevel || '—',
        c.groupName ?? '—',
        healthCell(c, p.details),
        present,
        absent,
      ];
    });
    y = table(
      doc,
      y,
      [
        { title: 'N°', width: 22, align: 'right' },
        { title: 'Enfant', width: 128 },
        { title: 'Classe', width: 38 },
        { title: 'Groupe', width: 72 },
        {
          title: p.details ? 'Santé, repas (confidentiel)' : 'Santé, repas',
          width: WIDTH - 22 - 128 - 38 - 72 - 105,
        },
        { title: 'Présent', width: 50 },
        { title: 'Absent', width: 55 },
      ],
      rows,
      continued(section),
    );
    y = ensure(doc, y + 14, 70, continued(section));
    const legend = p.details
      ? 'PAI : le protocole et la trousse d’urgence suivent l’enfant, sorties comprises. Ce document contient des données de santé : ne pas l’afficher, le détruire après usage.'
      : 'PAI : le protocole et la trousse d’urgence suivent l’enfant, sorties comprises. Le détail de chaque fiche sanitaire est lu dans le dossier de l’enfant par les personnes habilitées.';
    y += put(doc, legend, LEFT, y, { size: 7.5, color: COLOR.warn }) + 10;
    put(doc, 'Pointage fait par :', LEFT, y, { size: 8.5, color: COLOR.muted });
    put(doc, 'Signature :', LEFT + WIDTH / 2, y, {
      size: 8.5,
      color: COLOR.muted,
      width: RIGHT - LEFT - WIDTH / 2,
    });
  }
  footers(doc, (page, pages) => [
    `${issuer.townName} — Feuille de présence, ${p.siteName}, ${formatLongDate(p.date)} · imprimée le ${formatDateTime(p.printedAt, issuer.timeZone)} par ${p.printedBy} · page ${page}/${pages}`,
  ]);
  return toBuffer(doc);
}
