import { tz, type TZDate } from '@date-fns/tz';
import type * as DateFnsParseISO from 'date-fns/parseISO';
import type * as DateFnsSet from 'date-fns/set';
import { z } from 'zod';
import { assertLocalDate, type LocalDate } from '../../shared/calendar.ts';
import { wallClock } from '../../shared/wall-clock.ts';
import type { TownTimeZone } from './time-zones.ts';
import { commonjs } from '../commonjs.ts';

const { parseISO } = commonjs.require('date-fns/parseISO') as typeof DateFnsParseISO;
const { set } = commonjs.require('date-fns/set') as typeof DateFnsSet;

// Day arithmetic is shared with the screens; the core's calendar code keeps importing it from here.
export {
  addDaysTo,
  assertLocalDate,
  eachLocalDate,
  isCalendarDay,
  isoWeekday,
  weekStartOf,
  type LocalDate,
  type Weekday,
} from '../../shared/calendar.ts';

/** An instant as the rest of the app passes it: a Date, or an ISO string that carries its offset. */
export type Instant = Date | string;

export const localDateSchema = z.iso.date();
export const weekdaySchema = z.literal([1, 2, 3, 4, 5, 6, 7]);

/** Midnight of `date` in `zone`, as a zoned date for date-fns. Throws on anything that is not a real calendar day. */
function startOfDayIn(date: LocalDate, zone: TownTimeZone): TZDate {
  assertLocalDate(date);
  return parseISO(date, { in: tz(zone) });
}

/** The day `instant` falls on, on the town's wall clock: the same on a PC set to any zone. */
export function localDateOf(instant: Date, zone: TownTimeZone): LocalDate {
  return wallClock(instant, zone).date;
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
