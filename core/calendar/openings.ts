import { publicHolidayOn } from './holidays.ts';
import { assertLocalDate, eachLocalDate, isoWeekday } from './local-date.ts';
import type { LocalDate, Weekday } from './local-date.ts';
import { holidayLabel, missingCalendarReason, schoolDayOn } from './school-calendar.ts';
import type { SchoolCalendar } from './school-calendar.ts';

export interface DateRange {
  from: LocalDate;
  to: LocalDate;
}

/** A day or run of days the town closes a site or service: « fermeture : pont du 14 juillet ». */
export interface Closure {
  firstDay: LocalDate;
  lastDay: LocalDate;
  label: string;
}

export interface OpeningCalendar {
  alsaceMoselle?: boolean;
  closures?: readonly Closure[];
  /** The town's school calendar, as imported: a day of a school year not imported opens nothing. */
  school: SchoolCalendar;
}

/** 'noCalendar': the day's school year was never imported, so whether it has class is unknown. */
export type SkipCause = 'publicHoliday' | 'closure' | 'schoolHoliday' | 'schoolDay' | 'noCalendar';

export interface SkippedDay {
  date: LocalDate;
  cause: SkipCause;
  /** What the agent reads out: « jour férié : Armistice », « vacances scolaires : Noël », « fermeture : … ». */
  reason: string;
}

export interface Openings {
  open: LocalDate[];
  /** The days of the range on the asked weekdays that were left out, each with why. */
  skipped: SkippedDay[];
}

const ALL_WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const MONDAY_TO_FRIDAY: readonly Weekday[] = [1, 2, 3, 4, 5];

type Need = 'schoolDay' | 'schoolHoliday';

function sortDays(
  range: DateRange,
  weekdays: readonly Weekday[],
  calendar: OpeningCalendar,
  need: Need,
): Openings {
  assertLocalDate(range.from);
  assertLocalDate(range.to);
  if (range.from > range.to) throw new RangeError(`Empty range: ${range.from} is after ${range.to}`);
  const wanted = new Set(weekdays.filter((d) => ALL_WEEKDAYS.includes(d)));
  const open: LocalDate[] = [];
  const skipped: SkippedDay[] = [];
  for (const date of eachLocalDate(range.from, range.to)) {
    if (!wanted.has(isoWeekday(date))) continue;
    // One reason per day, the most specific first: a public holiday holds whatever the school calendar says.
    const holiday = publicHolidayOn(date, { alsaceMoselle: calendar.alsaceMoselle ?? false });
    if (holiday) {
      skipped.push({ date, cause: 'publicHoliday', reason: `jour férié : ${holiday.name}` });
      continue;
    }
    const closure = calendar.closures?.find((c) => c.firstDay <= date && date <= c.lastDay);
    if (closure) {
      skipped.push({ date, cause: 'closure', reason: `fermeture : ${closure.label}` });
      continue;
    }
    const day = schoolDayOn(calendar.school, date);
    if (day.kind === 'unknown') {
      // Guessing either way would open bookings on days with (or without) school: the day is refused, saying why.
      skipped.push({ date, cause: 'noCalendar', reason: missingCalendarReason(day.schoolYear) });
    } else if (need === 'schoolDay' && day.kind === 'holiday') {
      skipped.push({
        date,
        cause: 'schoolHoliday',
        reason: `vacances scolaires : ${holidayLabel(day.holiday.name)}`,
      });
    } else if (need === 'schoolHoliday' && day.kind === 'school') {
      skipped.push({ date, cause: 'schoolDay', reason: 'période scolaire' });
    } else {
      open.push(date);
    }
  }
  return { open, skipped };
}

/**
 * The days of [from, to] on `weekdays` when a term-time service runs (canteen, before- and after-school care,
 * Wednesdays, study): outside the zone's school holidays, public holidays and the town's closures.
 */
export function openDays(
  range: DateRange,
  weekdays: readonly Weekday[],
  calendar: OpeningCalendar,
): Openings {
  return sortDays(range, weekdays, calendar, 'schoolDay');
}

/**
 * The days of [from, to] when a holiday centre runs: inside the zone's school holidays, Monday to Friday unless
 * told otherwise, less public holidays and the town's closures (e.g. the first two weeks of August).
 */
export function holidayDays(
  range: DateRange,
  calendar: OpeningCalendar,
  weekdays: readonly Weekday[] = MONDAY_TO_FRIDAY,
): Openings {
  return sortDays(range, weekdays, calendar, 'schoolHoliday');
}
