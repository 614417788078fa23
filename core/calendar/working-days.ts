import { isPublicHoliday } from './holidays.ts';
import type { HolidayOptions } from './holidays.ts';
import { addDaysTo, isoWeekday } from './local-date.ts';
import type { LocalDate } from './local-date.ts';

/** A jour ouvré as the seeds use it: Monday to Friday, public holidays (and Alsace-Moselle's, if set) excluded. */
export function isWorkingDay(date: LocalDate, options: HolidayOptions = {}): boolean {
  return isoWeekday(date) <= 5 && !isPublicHoliday(date, options);
}

function stepWorkingDays(date: LocalDate, count: number, step: 1 | -1, options: HolidayOptions): LocalDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Not a count of working days: ${count}`);
  let day = date;
  for (let left = count; left > 0;) {
    day = addDaysTo(day, step);
    if (isWorkingDay(day, options)) left -= 1;
  }
  return day;
}

/** The `count`-th working day after `date` (not counted itself); `date` unchanged for 0, whatever day it is. */
export function addWorkingDays(date: LocalDate, count: number, options: HolidayOptions = {}): LocalDate {
  return stepWorkingDays(date, count, 1, options);
}

/** The `count`-th working day before `date` (not counted itself); `date` unchanged for 0, whatever day it is. */
export function subtractWorkingDays(date: LocalDate, count: number, options: HolidayOptions = {}): LocalDate {
  return stepWorkingDays(date, count, -1, options);
}
