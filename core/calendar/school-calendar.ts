import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { setupCached } from '../db/setup-cache.ts';
import { schoolYearOf } from '../../shared/calendar.ts';
import type { LocalDate } from './local-date.ts';

// Which school year a day belongs to is shared with the screens.
export { schoolYearOf };

/** The metropolitan holiday zone a town declares in its settings. */
export const zoneSchema = z.enum(['A', 'B', 'C']);
export type Zone = z.infer<typeof zoneSchema>;

/**
 * One period without school of the town's calendar, as imported from the ministry's open data: the days without
 * class, both ends included. The ministry publishes the day classes stop after (still a school day) and the day
 * they resume; the import turns those into these two days.
 */
export interface SchoolHoliday {
  /** '2026-2027', as the file files it. */
  schoolYear: string;
  /** The ministry's description: « Vacances de Noël », « Pont de l'Ascension ». */
  name: string;
  firstDay: LocalDate;
  /**
   * Null for the summer of the last published year: its end is the next rentrée, not known yet, so it runs to the
   * end of August and the next school year is unknown.
   */
  lastDay: LocalDate | null;
}

/** The town's school calendar: what was imported, and nothing more. */
export interface SchoolCalendar {
  /** The school years imported; a day of any other school year has no known calendar. */
  years: readonly string[];
  holidays: readonly SchoolHoliday[];
}

export const EMPTY_SCHOOL_CALENDAR: SchoolCalendar = { years: [], holidays: [] };

/** The school year after `schoolYear`: '2026-2027' → '2027-2028'. */
export function nextSchoolYear(schoolYear: string): string {
  const start = Number(schoolYear.slice(0, 4)) + 1;
  return `${start}-${start + 1}`;
}

/** The last day without school of a period; an open summer runs to the end of August of its school year. */
export function lastDayOf(holiday: SchoolHoliday): LocalDate {
  return holiday.lastDay ?? `${holiday.schoolYear.slice(5, 9)}-08-31`;
}

/** What the agent reads: « Noël » for « Vacances de Noël », « Pont de l'Ascension » as it is. */
export function holidayLabel(name: string): string {
  const short = name.replace(/^vacances\s+(de\s+la\s+|de\s+l['’]|d['’]|des\s+|du\s+|de\s+)/i, '');
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/** Why a day cannot be booked when its school year was never imported. */
export function missingCalendarReason(schoolYear: string): string {
  return `calendrier scolaire ${schoolYear} non importé : l’administrateur l’importe dans Paramètres › Calendrier scolaire`;
}

export type SchoolDay =
  { kind: 'holiday'; holiday: SchoolHoliday } | { kind: 'school' } | { kind: 'unknown'; schoolYear: string };

/**
 * Whether `date` has class, is in a period without school, or falls in a school year nobody imported. A period
 * is looked up first: a summer reaches into the September of the next school year, known or not.
 */
export function schoolDayOn(calendar: SchoolCalendar, date: LocalDate): SchoolDay {
  const holiday = calendar.holidays.find((h) => h.firstDay <= date && date <= lastDayOf(h));
  if (holiday) return { kind: 'holiday', holiday };
  const schoolYear = schoolYearOf(date);
  return calendar.years.includes(schoolYear) ? { kind: 'school' } : { kind: 'unknown', schoolYear };
}

/** The stored calendar: the one the import wrote here, or the one the last pull brought from the server. */
export function loadSchoolCalendar(db: Kysely<Database>): Promise<SchoolCalendar> {
  return setupCached(db, 'school-calendar', () => readSchoolCalendar(db));
}

async function readSchoolCalendar(db: Kysely<Database>): Promise<SchoolCalendar> {
  const rows = await db
    .selectFrom('school_holidays')
    .select(['school_year', 'name', 'first_day', 'last_day'])
    .orderBy('first_day')
    .orderBy('name')
    .execute();
  return {
    years: [...new Set(rows.map((r) => r.school_year))].sort(),
    holidays: rows.map((r) => ({
      schoolYear: r.school_year,
      name: r.name,
      firstDay: r.first_day,
      lastDay: r.last_day,
    })),
  };
}
