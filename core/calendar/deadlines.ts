import { z } from 'zod';
import type { HolidayOptions } from './holidays.ts';
import {
  addDaysTo,
  assertLocalDate,
  isoWeekday,
  toInstant,
  wallClockInstant,
  weekStartOf,
  weekdaySchema,
} from './local-date.ts';
import type { Instant, LocalDate } from './local-date.ts';
import type { TownTimeZone } from './time-zones.ts';
import { subtractWorkingDays } from './working-days.ts';

export { closedMessage, describeDeadline, formatDeadline } from './deadline-wording.ts';

/** 'HH:MM', 24-hour clock. A deadline at 'HH:MM' lasts to the end of that minute, so '23:59' is the end of the day. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'heure invalide (hh:mm)');

const weekdayKeySchema = z.enum(['1', '2', '3', '4', '5', '6', '7']);
type WeekdayKey = z.infer<typeof weekdayKeySchema>;

const weekdayOfPreviousWeekSchema = z
  .object({
    kind: z.literal('weekdayOfPreviousWeek'),
    /**
     * Service weekday (1 = Monday … 7 = Sunday) → the weekday the deadline falls on, `weeksBefore` weeks before
     * the service's week (0 = the same week). A weekday the activity never opens on has no entry.
     */
    byWeekday: z.partialRecord(
      weekdayKeySchema,
      z.object({ weekday: weekdaySchema, weeksBefore: z.int().min(0).max(8) }),
    ),
    time: timeOfDaySchema.optional(),
  })
  .superRefine((rule, ctx) => {
    const entries = Object.entries(rule.byWeekday);
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: 'un jour limite au moins, pour un jour d’accueil' });
    for (const [service, target] of entries) {
      // A deadline on or after the service day would let families book a meal already served.
      if (target && target.weeksBefore * 7 + Number(service) - target.weekday <= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['byWeekday', service],
          message: 'la date limite doit tomber avant le jour d’accueil',
        });
      }
    }
  });

const hoursBeforeSchema = z.object({
  kind: z.literal('hoursBefore'),
  /** Counted back from 00:00 of the service day, in wall-clock hours, so 48 h before a Tuesday is Sunday 00:00. */
  hours: z
    .int()
    .min(1)
    .max(24 * 62),
  /** Only the hours of working days count: "48 h jours ouvrés" (001) is two whole working days back. */
  workingHoursOnly: z.boolean().optional(),
});

const workingDaysBeforeSchema = z.object({
  kind: z.literal('workingDaysBefore'),
  days: z.int().min(1).max(60),
  time: timeOfDaySchema.optional(),
});

const beforePeriodStartSchema = z.object({
  kind: z.literal('beforePeriodStart'),
  /** A month (study, booked by the month) or an ISO week (a holiday-centre week), or the start a caller passes. */
  period: z.enum(['month', 'week']),
  /** 0 or absent: the day before the period starts; n: the n-th working day before it. */
  workingDays: z.int().min(0).max(60).optional(),
  time: timeOfDaySchema.optional(),
});

const noDeadlineSchema = z.object({ kind: z.literal('none') });

export const deadlineRuleSchema = z.discriminatedUnion('kind', [
  weekdayOfPreviousWeekSchema,
  hoursBeforeSchema,
  workingDaysBeforeSchema,
  beforePeriodStartSchema,
  noDeadlineSchema,
]);
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;
export type TimedDeadlineRule = Exclude<DeadlineRule, { kind: 'none' }>;

export interface DeadlineOptions extends HolidayOptions {
  /** The town's zone: « jeudi à 23 h 59 » is on the town hall's clock, not on the PC's. */
  timeZone: TownTimeZone;
  /**
   * First day of the booked period for `beforePeriodStart`, when it is not the calendar month or ISO week of the
   * service day (a holiday session starting on a Wednesday, say).
   */
  periodStart?: LocalDate;
}

const END_OF_DAY = '23:59';

/** The last millisecond of minute `time` on `date`, on the town's wall clock. */
function endOfMinute(date: LocalDate, zone: TownTimeZone, time: string = END_OF_DAY): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return wallClockInstant(date, zone, hours, minutes, 59, 999);
}

function periodStartOf(rule: z.infer<typeof beforePeriodStartSchema>, serviceDate: LocalDate): LocalDate {
  return rule.period === 'month' ? `${serviceDate.slice(0, 8)}01` : weekStartOf(serviceDate);
}

function hoursBefore(
  rule: z.infer<typeof hoursBeforeSchema>,
  serviceDate: LocalDate,
  options: DeadlineOptions,
): Date {
  const at = (date: LocalDate, hours: number) => wallClockInstant(date, options.timeZone, hours);
  const wholeDays = Math.floor(rule.hours / 24);
  const rest = rule.hours % 24;
  if (rule.workingHoursOnly) {
    const anchor = subtractWorkingDays(serviceDate, wholeDays, options);
    // The remaining hours are the last ones of the working day before the whole days.
    return rest === 0 ? at(anchor, 0) : at(subtractWorkingDays(anchor, 1, options), 24 - rest);
  }
  const anchor = addDaysTo(serviceDate, -wholeDays);
  return rest === 0 ? at(anchor, 0) : at(addDaysTo(anchor, -1), 24 - rest);
}

/**
 * The last instant at which a family may still book or cancel `serviceDate` online: a request is allowed while
 * `now <= deadline`. "The end of a day" is its 23:59:59.999 in the town's zone, whatever the offset that day. Null
 * when the activity has no deadline. A deadline falling on a public holiday stays there: the portal is open every
 * day.
 */
export function deadlineFor(rule: TimedDeadlineRule, serviceDate: LocalDate, options: DeadlineOptions): Date;
export function deadlineFor(
  rule: DeadlineRule,
  serviceDate: LocalDate,
  options: DeadlineOptions,
): Date | null;
export function deadlineFor(
  rule: DeadlineRule,
  serviceDate: LocalDate,
  options: DeadlineOptions,
): Date | null {
  assertLocalDate(serviceDate);
  switch (rule.kind) {
    case 'weekdayOfPreviousWeek': {
      const weekday = isoWeekday(serviceDate);
      const target = rule.byWeekday[String(weekday) as WeekdayKey];
      if (!target) throw new RangeError(`The rule sets no deadline for weekday ${weekday} (${serviceDate})`);
      const day = addDaysTo(weekStartOf(serviceDate), target.weekday - 1 - 7 * target.weeksBefore);
      return endOfMinute(day, options.timeZone, rule.time);
    }
    case 'hoursBefore':
      return hoursBefore(rule, serviceDate, options);
    case 'workingDaysBefore':
      return endOfMinute(subtractWorkingDays(serviceDate, rule.days, options), options.timeZone, rule.time);
    case 'beforePeriodStart': {
      const start = options.periodStart ?? periodStartOf(rule, serviceDate);
      if (start > serviceDate) throw new RangeError(`Period start ${start} is after the day ${serviceDate}`);
      const workingDays = rule.workingDays ?? 0;
      const day = workingDays > 0 ? subtractWorkingDays(start, workingDays, options) : addDaysTo(start, -1);
      return endOfMinute(day, options.timeZone, rule.time);
    }
    case 'none':
      return null;
  }
}

/** True once a family can no longer book or cancel `serviceDate`; only staff can, at the late rate. */
export function isPastDeadline(
  rule: DeadlineRule,
  serviceDate: LocalDate,
  now: Instant,
  options: DeadlineOptions,
): boolean {
  return isPast(deadlineFor(rule, serviceDate, options), now);
}

/**
 * The comparison itself, for a caller that already holds the deadline (to print it): `now` strictly after it, so
 * 23:59:59.999 is still in time; no deadline is never past.
 */
export function isPast(deadline: Date | null, now: Instant): deadline is Date {
  return deadline !== null && toInstant(now).getTime() > deadline.getTime();
}

/**
 * Splits the days of a period booking: families get the bookable ones; the late ones are refused to them and
 * flagged as late when staff book them.
 */
export function splitByDeadline(
  dates: readonly LocalDate[],
  rule: DeadlineRule,
  now: Instant,
  options: DeadlineOptions,
): { bookable: LocalDate[]; late: LocalDate[] } {
  const bookable: LocalDate[] = [];
  const late: LocalDate[] = [];
  for (const date of dates) (isPastDeadline(rule, date, now, options) ? late : bookable).push(date);
  return { bookable, late };
}
