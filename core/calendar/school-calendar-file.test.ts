import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchoolCalendarFile } from './school-calendar-file.ts';
import { schoolDayOn } from './school-calendar.ts';

const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const CSV = read('fr-en-calendrier-scolaire.csv');
const ICS = read('Zone-B.ics');
const HEADER = 'Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire';

/** The message a bad file gets, as the administrator reads it. */
function refusal(text: string, area = 'Orléans-Tours'): string {
  try {
    parseSchoolCalendarFile(text, area);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

/** The sample with one line changed, keeping every line where it was. */
const withLine = (find: RegExp, replace: (line: string) => string) =>
  CSV.split('\n')
    .map((l) => (find.test(l) ? replace(l) : l))
    .join('\n');
const lineOf = (text: string, find: RegExp) => text.split('\n').findIndex((l) => find.test(l)) + 1;

describe('the ministry’s CSV export', () => {
  const orleans = parseSchoolCalendarFile(CSV, 'Orléans-Tours');

  it('keeps the pupils’ periods of one académie: the days between the departure after class and the morning classes resume', () => {
    expect(orleans.format).toBe('csv');
    expect(orleans.years).toEqual(['2025-2026', '2026-2027']);
    expect(orleans.holidays.filter((h) => h.schoolYear === '2025-2026')).toEqual([
      // Classes stop after Saturday 18 October, resume on Monday 3 November.
      {
        schoolYear: '2025-2026',
        name: 'Vacances de la Toussaint',
        firstDay: '2025-10-19',
        lastDay: '2025-11-02',
      },
      { schoolYear: '2025-2026', name: 'Vacances de Noël', firstDay: '2025-12-21', lastDay: '2026-01-04' },
      { schoolYear: '2025-2026', name: "Vacances d'Hiver", firstDay: '2026-02-15', lastDay: '2026-03-01' },
      {
        schoolYear: '2025-2026',
        name: 'Vacances de Printemps',
        firstDay: '2026-04-12',
        lastDay: '2026-04-26',
      },
      // Published as Thursday 14 (Ascension) to Monday 18 May: Friday to Sunday without class.
      { schoolYear: '2025-2026', name: "Pont de l'Ascension", firstDay: '2026-05-15', lastDay: '2026-05-17' },
      // The pupils' summer, not the teachers' (who are back on 31 August).
      { schoolYear: '2025-2026', name: "Vacances d'Été", firstDay: '2026-07-05', lastDay: '2026-08-31' },
    ]);
    expect(orleans.ignored).toEqual({ teachers: 1, otherAreas: 51, otherPopulations: [] });
  });

  it('leaves the summer of the last published year open: « Début des Vacances d’Été » has no end', () => {
    expect(orleans.holidays.at(-1)).toEqual({
      schoolYear: '2026-2027',
      name: "Vacances d'Été",
      firstDay: '2027-07-04',
      lastDay: null,
    });
    const calendar = { years: orleans.years, holidays: orleans.holidays };
    expect(schoolDayOn(calendar, '2027-07-02')).toEqual({ kind: 'school' });
    expect(schoolDayOn(calendar, '2027-08-31').kind).toBe('holiday');
    expect(schoolDayOn(calendar, '2027-09-01')).toEqual({ kind: 'unknown', schoolYear: '2027-2028' });
  });

  it('reads each instant in the académie’s own zone: La Réunion’s midnights are 20:00 UTC the day before', () => {
    const reunion = parseSchoolCalendarFile(CSV, 'La Réunion');
    const summer = reunion.holidays.find(
      (h) => h.name === "Vacances de l'été austral" && h.schoolYear === '2025-2026',
    );
    // 2025-12-18T20:00:00+00:00 is Friday 19 December at midnight in Saint-Denis: classes that day, none from Saturday;
    // read in UTC or in Paris it would be the 18th, and the Friday would lose its canteen.
    expect(summer).toMatchObject({ firstDay: '2025-12-20', lastDay: '2026-01-20' });
    const calendar = { years: reunion.years, holidays: reunion.holidays };
    expect(schoolDayOn(calendar, '2025-12-19')).toEqual({ kind: 'school' });
    // Its austral winter starts the year's last period; the 2026-2027 one is open, its end not published.
    expect(reunion.holidays.map((h) => `${h.schoolYear} ${h.name}`)).toEqual([
      '2025-2026 Vacances après 1ère période',
      "2025-2026 Vacances de l'été austral",
      '2025-2026 Vacances après 3e période',
      '2025-2026 Vacances après 4e période',
      "2025-2026 Vacances de l'hiver austral",
      '2026-2027 Vacances après 1ère période',
      "2026-2027 Vacances de l'été austral",
      '2026-2027 Vacances après 3e période',
      '2026-2027 Vacances après 4e période',
      "2026-2027 Vacances de l'hiver austral",
    ]);
    expect(reunion.holidays.at(-1)?.lastDay).toBeNull();
    expect(reunion.ignored.teachers).toBe(1);
  });

  it('takes a Paris midnight written for an overseas académie as its day, not the evening before', () => {
    const local = parseSchoolCalendarFile(CSV, 'Guadeloupe').holidays;
    expect(local).toEqual([
      { schoolYear: '2026-2027', name: 'Vacances de Noël', firstDay: '2026-12-20', lastDay: '2027-01-03' },
    ]);
    // 2026-12-18T23:00Z is 19:00 on the 18th in Pointe-à-Pitre, but midnight of the 19th in Paris.
    const paris = withLine(/;Guadeloupe;/, (l) =>
      l
        .replace('2026-12-19T04:00:00+00:00', '2026-12-18T23:00:00+00:00')
        .replace('2027-01-04T04:00', '2027-01-03T23:00'),
    );
    expect(parseSchoolCalendarFile(paris, 'Guadeloupe').holidays).toEqual(local);
  });

  it('gives a zone the calendar of its académies, given once per académie', () => {
    const zone = parseSchoolCalendarFile(CSV, 'Zone B');
    expect(zone.area).toMatchObject({ kind: 'zone', name: 'Zone B' });
    expect(zone.holidays).toEqual(orleans.holidays);
    expect(parseSchoolCalendarFile(CSV, 'B').holidays).toEqual(orleans.holidays);
  });

  it('reads the export with the dataset’s field names as header, and with Windows line ends and a byte-order mark', () => {
    const text = `\uFEFF${CSV.replace(HEADER, 'description;population;start_date;end_date;location;zones;annee_scolaire').replace(/\n/g, '\r\n')}`;
    expect(parseSchoolCalendarFile(text, 'Orléans-Tours').holidays).toEqual(orleans.holidays);
  });

  it('reads a quoted field holding the separator', () => {
    const text = withLine(/^Vacances de Noël;-;2025.*Orléans-Tours/, (l) =>
      l.replace('Vacances de Noël', '"Vacances de Noël; fin d\'année"'),
    );
    const names = parseSchoolCalendarFile(text, 'Orléans-Tours').holidays.map((h) => h.name);
    expect(names).toContain("Vacances de Noël; fin d'année");
  });
});

describe('a bad file is refused with a French message naming the line', () => {
  it('names the missing column when the file is not the calendar export', () => {
    expect(
      refusal(
        'date;vacances_zone_a;vacances_zone_b;vacances_zone_c;nom_vacances\n2026-10-19;True;True;True;Toussaint',
      ),
    ).toMatch(
      /^Ligne 1 : colonnes « Description », « Date de début », « Date de fin », « annee_scolaire », « Académies » absentes : le fichier attendu est l’export CSV/,
    );
  });

  it('names the line with a missing column', () => {
    const text = withLine(/^Vacances de Noël;-;2025.*Orléans-Tours/, (l) => l.replace(';Zone B', ''));
    expect(refusal(text)).toBe(
      `Ligne ${lineOf(text, /^Vacances de Noël;-;2025.*Orléans-Tours/)} : 6 colonnes au lieu de 7.`,
    );
  });

  it('names the line whose date is no day, and the one that resumes before it departs', () => {
    const day = withLine(/^Vacances de Noël;-;2025.*Orléans-Tours/, (l) =>
      l.replace('2025-12-19T23:00:00+00:00', '2025-12-19T15:00:00+00:00'),
    );
    expect(refusal(day)).toBe(
      `Ligne ${lineOf(day, /^Vacances de Noël;-;2025.*Orléans-Tours/)} : date de début « 2025-12-19T15:00:00+00:00 » illisible : une date (AAAA-MM-JJ) ou le minuit d’un jour attendu.`,
    );
    // A slip seen in a real feed: Christmas ending on 4 January of the year it starts.
    const backwards = withLine(/;Guadeloupe;/, (l) => l.replace('2027-01-04T04:00', '2026-01-04T04:00'));
    expect(refusal(backwards, 'Guadeloupe')).toBe(
      `Ligne ${lineOf(backwards, /;Guadeloupe;/)} : « Vacances de Noël » 2026-2027 : la reprise (04/01/2026) précède le départ (19/12/2026).`,
    );
  });

  it('names a period a year too long and a school year that does not read', () => {
    const long = withLine(/^Vacances de Noël;-;2025.*Orléans-Tours/, (l) =>
      l.replace('2026-01-04T23:00', '2027-01-04T23:00'),
    );
    expect(refusal(long)).toMatch(
      /^Ligne \d+ : « Vacances de Noël » 2025-2026 : 380 jours sans classe, du 21\/12\/2025 au 04\/01\/2027 : vérifiez les dates\.$/,
    );
    const year = withLine(/^Vacances de Noël;-;2025.*Orléans-Tours/, (l) => l.replace(';2025-2026', ';2025'));
    expect(refusal(year)).toMatch(
      /^Ligne \d+ : année scolaire « 2025 » illisible : attendu par exemple « 2026-2027 »\.$/,
    );
  });

  it('says which académies the file covers when it has none of the town’s, and refuses an unknown name', () => {
    expect(refusal(CSV, 'Bordeaux')).toBe(
      'Le fichier ne contient aucune période de vacances des élèves pour l’académie « Bordeaux » : il couvre Guadeloupe, La Réunion, Lyon, Orléans-Tours, Paris, Rennes. Choisissez une autre académie ou le fichier de votre zone.',
    );
    expect(refusal(CSV, 'Gotham')).toMatch(/^Académie ou zone inconnue : « Gotham »/);
  });

  it('refuses a zone whose académies disagree, asking for the académie', () => {
    const text = withLine(/^Vacances d'Hiver;-;2027.*Rennes/, (l) =>
      l.replace('2027-02-19T23:00', '2027-02-12T23:00'),
    );
    expect(refusal(text, 'Zone B')).toMatch(
      /^Lignes \d+ et \d+ : les académies de la zone n’ont pas les mêmes dates pour « Vacances d'Hiver » 2026-2027 \((Orléans-Tours et Rennes|Rennes et Orléans-Tours)\)\. Choisissez l’académie de la commune plutôt que la zone\.$/,
    );
    // Orléans-Tours alone is not concerned by Rennes's row.
    expect(parseSchoolCalendarFile(text, 'Orléans-Tours').holidays).toHaveLength(12);
  });
});

describe('the zone ICS feed', () => {
  it('gives the same calendar as the CSV export, leaving the teachers’ prérentrée out', () => {
    const ics = parseSchoolCalendarFile(ICS, 'Orléans-Tours');
    expect(ics.format).toBe('ics');
    expect(ics.holidays).toEqual(parseSchoolCalendarFile(CSV, 'Orléans-Tours').holidays);
    expect(ics.ignored.teachers).toBe(1);
    expect(parseSchoolCalendarFile(ICS, 'Zone B').holidays).toEqual(ics.holidays);
  });

  it('refuses the feed of another zone, saying which one it is', () => {
    expect(refusal(ICS, 'Lyon')).toBe(
      'Le fichier ne contient aucune période de vacances des élèves pour l’académie « Lyon » : il couvre Zone B. Choisissez une autre académie ou le fichier de votre zone.',
    );
  });

  it('joins the pieces of the all-zones feed, cut where the zones overlap, and unfolds long lines', () => {
    const event = (start: string, end: string, where: string, n: number) =>
      [
        'BEGIN:VEVENT',
        `DTSTART;VALUE=DATE:${start}`,
        `DTEND;VALUE=DATE:${end}`,
        `SUMMARY:Vacances d'Hiver - ${where}`,
        `UID:20250114T1248${String(n).padStart(2, '0')}Z-Zone-A-B-C-Corse@data.education.gouv.fr`,
        `LOCATION:${where}`,
        'END:VEVENT',
      ].join('\r\n');
    // The 2026 winter as the all-zones feed cuts it: A from 7 February, A and B from the 14th, all three from the
    // 21st, B and C from the 23rd, C alone from 2 March.
    const feed = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      event('20260207', '20260214', 'Zone A', 44),
      event('20260214', '20260221', 'Zones A/B', 43),
      event('20260221', '20260223', 'Zones A/B/C', 42),
      event('20260223', '20260302', 'Zones B/C', 41),
      event('20260302', '20260309', 'Zone C', 40),
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20260514',
      'DTEND;VALUE=DATE:20260518',
      'SUMMARY:Pont de l',
      " 'Ascension - Zones A/B/C - Corse",
      'LOCATION:Zones A/B/C - Corse',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const days = (area: string) =>
      parseSchoolCalendarFile(feed, area).holidays.map((h) => `${h.name} ${h.firstDay}…${h.lastDay}`);
    expect(days('Zone A')).toEqual([
      "Vacances d'Hiver 2026-02-08…2026-02-22",
      "Pont de l'Ascension 2026-05-15…2026-05-17",
    ]);
    expect(days('Orléans-Tours')).toEqual([
      "Vacances d'Hiver 2026-02-15…2026-03-01",
      "Pont de l'Ascension 2026-05-15…2026-05-17",
    ]);
    expect(days('Paris')).toEqual([
      "Vacances d'Hiver 2026-02-22…2026-03-08",
      "Pont de l'Ascension 2026-05-15…2026-05-17",
    ]);
  });

  it('names the line of an event without start date', () => {
    const feed = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:Vacances de Noël',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\n');
    expect(refusal(feed, 'Zone B')).toBe('Ligne 2 : « Vacances de Noël » sans date de début (DTSTART).');
  });
});
