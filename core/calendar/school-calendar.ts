import { z } from 'zod';
import { localDateSchema } from './local-date.ts';
import type { LocalDate } from './local-date.ts';

export const zoneSchema = z.enum(['A', 'B', 'C']);
/**
 * A: Besançon, Bordeaux, Clermont-Ferrand, Dijon, Grenoble, Limoges, Lyon, Poitiers.
 * B: Aix-Marseille, Amiens, Lille, Nancy-Metz, Nantes, Nice, Normandie, Orléans-Tours, Reims, Rennes, Strasbourg.
 * C: Créteil, Montpellier, Paris, Toulouse, Versailles. Corse and overseas set their own and are not covered.
 */
export type Zone = z.infer<typeof zoneSchema>;

/**
 * Days without school, both ends included. The official texts say "du samedi X au lundi Y": classes stop after
 * Saturday X (primary schools have none that day) and resume on the morning of Y, so `firstDay` is X and
 * `lastDay` is the day before Y.
 */
export const holidayPeriodSchema = z
  .object({ name: z.string().min(1), firstDay: localDateSchema, lastDay: localDateSchema })
  .refine((p) => p.firstDay <= p.lastDay, { message: 'firstDay must not be after lastDay' });
export type HolidayPeriod = z.infer<typeof holidayPeriodSchema>;

export const schoolYearSchema = z.object({
  /** '2026-2027' */
  id: z.string().regex(/^\d{4}-\d{4}$/),
  /** First morning of class. */
  rentree: localDateSchema,
  /** Last day of class before the summer. */
  lastSchoolDay: localDateSchema,
  /** True while the ministry has not published the year: the dates are estimates an administrator must confirm. */
  provisional: z.boolean(),
  /** Every period without school of the year, summer included, per zone. */
  holidays: z.object({
    A: z.array(holidayPeriodSchema),
    B: z.array(holidayPeriodSchema),
    C: z.array(holidayPeriodSchema),
  }),
});
export type SchoolYear = z.infer<typeof schoolYearSchema>;

const period = (name: string, firstDay: LocalDate, lastDay: LocalDate): HolidayPeriod => ({
  name,
  firstDay,
  lastDay,
});

function year(
  id: string,
  rentree: LocalDate,
  lastSchoolDay: LocalDate,
  provisional: boolean,
  common: HolidayPeriod[],
  byZone: Record<Zone, HolidayPeriod[]>,
): SchoolYear {
  const sorted = (zone: Zone): HolidayPeriod[] =>
    [...common, ...byZone[zone]].sort((a, b) => a.firstDay.localeCompare(b.firstDay));
  return {
    id,
    rentree,
    lastSchoolDay,
    provisional,
    holidays: { A: sorted('A'), B: sorted('B'), C: sorted('C') },
  };
}

const ASCENSION = "Pont de l'Ascension";

/**
 * Metropolitan calendars of the Éducation nationale. A town replaces or extends them through its settings
 * (every function here takes the years as a parameter); these are the defaults the demo town ships with.
 */
export const SCHOOL_YEARS: readonly SchoolYear[] = [
  // Arrêté of the ministry, published; the Ascension bridge: no class on Friday 15 and Saturday 16 May 2026.
  year(
    '2025-2026',
    '2025-09-01',
    '2026-07-03',
    false,
    [
      period('Toussaint', '2025-10-18', '2025-11-02'),
      period('Noël', '2025-12-20', '2026-01-04'),
      period(ASCENSION, '2026-05-14', '2026-05-17'),
      period('Été', '2026-07-04', '2026-08-31'),
    ],
    {
      A: [period('Hiver', '2026-02-07', '2026-02-22'), period('Printemps', '2026-04-04', '2026-04-19')],
      B: [period('Hiver', '2026-02-14', '2026-03-01'), period('Printemps', '2026-04-11', '2026-04-26')],
      C: [period('Hiver', '2026-02-21', '2026-03-08'), period('Printemps', '2026-04-18', '2026-05-03')],
    },
  ),
  // Published (zone C goes first for winter and spring this year). The winter and spring dates per zone and the
  // Ascension bridge (Friday 7 May 2027) are restated from memory and still to be checked against the arrêté.
  year(
    '2026-2027',
    '2026-09-01',
    '2027-07-02',
    false,
    [
      period('Toussaint', '2026-10-17', '2026-11-01'),
      period('Noël', '2026-12-19', '2027-01-03'),
      period(ASCENSION, '2027-05-06', '2027-05-09'),
      // Runs to the eve of the 2027-2028 rentrée, itself an estimate.
      period('Été', '2027-07-03', '2027-09-01'),
    ],
    {
      A: [period('Hiver', '2027-02-13', '2027-02-28'), period('Printemps', '2027-04-10', '2027-04-25')],
      B: [period('Hiver', '2027-02-20', '2027-03-07'), period('Printemps', '2027-04-17', '2027-05-02')],
      C: [period('Hiver', '2027-02-06', '2027-02-21'), period('Printemps', '2027-04-03', '2027-04-18')],
    },
  ),
  // Not published when this was written: an estimate modelled on 2021-2022, whose September to February fall on
  // the same weekdays (rentrée Thursday 2 September, Toussaint 23 October, Noël 18 December), with zones rotating.
  // Spring for C and A ends on a Monday that is a public holiday (1 and 8 May 2028), so class resumes on Tuesday.
  year(
    '2027-2028',
    '2027-09-02',
    '2028-07-07',
    true,
    [
      period('Toussaint', '2027-10-23', '2027-11-07'),
      period('Noël', '2027-12-18', '2028-01-02'),
      period(ASCENSION, '2028-05-25', '2028-05-28'),
      period('Été', '2028-07-08', '2028-08-31'),
    ],
    {
      A: [period('Hiver', '2028-02-19', '2028-03-05'), period('Printemps', '2028-04-22', '2028-05-08')],
      B: [period('Hiver', '2028-02-05', '2028-02-20'), period('Printemps', '2028-04-08', '2028-04-23')],
      C: [period('Hiver', '2028-02-12', '2028-02-27'), period('Printemps', '2028-04-15', '2028-05-01')],
    },
  ),
];

/** The school year a day is filed under: September to August, so the summer belongs to the year it ends. */
export function schoolYearOf(date: LocalDate): string {
  const calendarYear = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 9 ? calendarYear : calendarYear - 1;
  return `${start}-${start + 1}`;
}

function findYear(id: string, years: readonly SchoolYear[]): SchoolYear {
  const found = years.find((y) => y.id === id);
  // A silent "not a holiday" for an unknown year would open bookings on days without school.
  if (!found) throw new RangeError(`No school calendar for ${id}`);
  return found;
}

export function schoolYearBounds(
  id: string,
  years: readonly SchoolYear[] = SCHOOL_YEARS,
): { id: string; rentree: LocalDate; lastSchoolDay: LocalDate; provisional: boolean } {
  const { rentree, lastSchoolDay, provisional } = findYear(id, years);
  return { id, rentree, lastSchoolDay, provisional };
}

export function schoolHolidayPeriods(
  id: string,
  zone: Zone,
  years: readonly SchoolYear[] = SCHOOL_YEARS,
): HolidayPeriod[] {
  return [...findYear(id, years).holidays[zone]];
}

/** The period without school that contains `date` in `zone`; throws when the date's school year is unknown. */
export function schoolHolidayOn(
  date: LocalDate,
  zone: Zone,
  years: readonly SchoolYear[] = SCHOOL_YEARS,
): HolidayPeriod | undefined {
  findYear(schoolYearOf(date), years);
  // The summer of one year may reach into the September of the next, so every year is looked at.
  for (const y of years) {
    const hit = y.holidays[zone].find((p) => p.firstDay <= date && date <= p.lastDay);
    if (hit) return hit;
  }
  return undefined;
}

export function isSchoolHoliday(
  date: LocalDate,
  zone: Zone,
  years: readonly SchoolYear[] = SCHOOL_YEARS,
): boolean {
  return schoolHolidayOn(date, zone, years) !== undefined;
}
