import { TZDate, tz } from '@date-fns/tz';
import { format, parseISO, set } from 'date-fns';
import { z } from 'zod';
import { isCalendarDay } from '../api/fields.ts';
import type { TownTimeZone } from './time-zones.ts';

/** A day in the town, 'YYYY-MM-DD'. Kept as a string so that it never drifts with the machine's zone. */
export type LocalDate = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** An instant as the rest of the app passes it: a Date, or an ISO string that carries its offset. */
export type Instant = Date | string;

export const localDateSchema = z.iso.date();
export const weekdaySchema = z.literal([1, 2, 3, 4, 5, 6, 7]);

const DAY_MS = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01. A local date is a day on a calendar, not an instant: adding days or finding the weekday
 * needs no time zone, and doing it on plain day numbers keeps booking a whole school year cheap.
 */
function dayNumber(date: LocalDate): number {
  const m = SHAPE.exec(date);
  const n = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
  // Date.UTC rolls '2026-02-30' over to March; the round trip catches it.
  if (!m || !Number.isInteger(n) || fromDayNumber(n) !== date)
    throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${date}`);
  return n;
}

function fromDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `date` is a real calendar day written 'YYYY-MM-DD', whatever the machine's zone (the kernel's check). */
export { isCalendarDay };

/** Throws on anything that is not a real calendar day. */
export function assertLocalDate(date: LocalDate): void {
  dayNumber(date);
}

/** Midnight of `date` in `zone`, as a zoned date for date-fns. Throws on anything that is not a real calendar day. */
function startOfDayIn(date: LocalDate, zone: TownTimeZone): TZDate {
  assertLocalDate(date);
  return parseISO(date, { in: tz(zone) });
}

/** The day `instant` falls on, on the town's wall clock: the same on a PC set to any zone. */
export function localDateOf(instant: Date, zone: TownTimeZone): LocalDate {
  return format(new TZDate(instant, zone), 'yyyy-MM-dd');
}

export function addDaysTo(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function isoWeekday(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  return (((dayNumber(date) + 3) % 7) + 1) as Weekday;
}

/** The Monday of the ISO week of `date`. */
export function weekStartOf(date: LocalDate): LocalDate {
  return addDaysTo(date, 1 - isoWeekday(date));
}

const instants = new Map<string, number>();

/** The instant the town's wall clock reads `hours:minutes:seconds.ms` on `date`, as a plain Date. */
export function wallClockInstant(
  date: LocalDate,
  zone: TownTimeZone,
  hours: number,
  minutes = 0,
  seconds = 0,
  milliseconds = 0,
): Date {
  const key = `${zone} ${date} ${hours}:${minutes}:${seconds}.${milliseconds}`;
  let time = instants.get(key);
  if (time === undefined) {
    // Resolving a zone offset is the costly part; deadlines ask for the same few instants over and over.
    time = set(startOfDayIn(date, zone), { hours, minutes, seconds, milliseconds }).getTime();
    if (instants.size > 50_000) instants.clear();
    instants.set(key, time);
  }
  return new Date(time);
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function eachLocalDate(from: LocalDate, to: LocalDate): LocalDate[] {
  const last = dayNumber(to);
  const days: LocalDate[] = [];
  for (let n = dayNumber(from); n <= last; n++) days.push(fromDayNumber(n));
  return days;
}

export function toInstant(instant: Instant): Date {
  if (instant instanceof Date) return instant;
  // Without an offset the string would be read in the machine's zone, which is not the town's.
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(instant)) {
    throw new RangeError(`An instant needs an ISO date-time with its offset: ${instant}`);
  }
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`Not an instant: ${instant}`);
  return parsed;
}
