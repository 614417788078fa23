/*
 * Calendar days as the contract speaks them ('YYYY-MM-DD'). A service day is a day on the town hall's wall, not an
 * instant: adding days or finding a weekday needs no time zone, and counting on plain day numbers keeps booking a
 * whole school year cheap and the same on a PC set to any zone.
 */

/** A day in the town, 'YYYY-MM-DD'. Kept as a string so that it never drifts with the machine's zone. */
export type LocalDate = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DAY_MS = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/*
 * Both ways remembered: the rules of a push turn the same few hundred days over thousands of times, and a Date
 * round trip costs a microsecond where a lookup costs a few dozen nanoseconds. Only real days are kept (a wrong
 * one throws each time).
 */
const days = new Map<number, LocalDate>();
const numbers = new Map<LocalDate, number>();
const REMEMBERED = 20_000;

function fromDayNumber(n: number): LocalDate {
  let date = days.get(n);
  if (date === undefined) {
    date = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (days.size >= REMEMBERED) days.clear();
    days.set(n, date);
  }
  return date;
}

/** Days since 1970-01-01; throws on anything that is not a real calendar day. */
function dayNumber(date: LocalDate): number {
  let n = numbers.get(date);
  if (n !== undefined) return n;
  const m = SHAPE.exec(date);
  n = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
  // Date.UTC rolls '2026-02-30' over to March; the round trip catches it.
  if (!m || !Number.isInteger(n) || fromDayNumber(n) !== date)
    throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${date}`);
  if (numbers.size >= REMEMBERED) numbers.clear();
  numbers.set(date, n);
  return n;
}

/** Whether `date` is a real calendar day written 'YYYY-MM-DD'. */
export function isCalendarDay(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

/** Throws on anything that is not a real calendar day. */
export function assertLocalDate(date: LocalDate): void {
  dayNumber(date);
}

export function addDaysTo(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function isoWeekday(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  return (((((dayNumber(date) + 3) % 7) + 7) % 7) + 1) as Weekday;
}

/** The Monday of the ISO week of `date`. */
export function weekStartOf(date: LocalDate): LocalDate {
  return addDaysTo(date, 1 - isoWeekday(date));
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function eachLocalDate(from: LocalDate, to: LocalDate): LocalDate[] {
  const last = dayNumber(to);
  const days: LocalDate[] = [];
  for (let n = dayNumber(from); n <= last; n++) days.push(fromDayNumber(n));
  return days;
}

/** The last calendar day of a month 'YYYY-MM'. */
export function lastDayOf(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The school year a day is filed under, « 2026-2027 »: September to August, so the summer belongs to the year it ends. */
export function schoolYearOf(date: LocalDate): string {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}
