import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineFor, deadlineRuleSchema, isPastDeadline } from './deadlines.ts';
import type { TimedDeadlineRule } from './deadlines.ts';
import { wallClockInstant } from './local-date.ts';
import type { Weekday } from './local-date.ts';
import { TOWN_TIME_ZONES, type TownTimeZone } from './time-zones.ts';

/*
 * A second, deliberately naive implementation: plain UTC day arithmetic, holidays typed in by hand, every count
 * done by stepping back one day at a time. It answers with the wall-clock time of the deadline; the module's instant
 * is turned into the same wall-clock text in the town's zone, so the two meet without any time-zone arithmetic here.
 * Every zone of the table is drawn: the rules read the same on any town hall's wall.
 */

const HOLIDAYS = new Set([
  ...['2024-01-01', '2024-04-01', '2024-05-01', '2024-05-08', '2024-05-09', '2024-05-20', '2024-07-14'],
  ...['2024-08-15', '2024-11-01', '2024-11-11', '2024-12-25'],
  ...['2025-01-01', '2025-04-21', '2025-05-01', '2025-05-08', '2025-05-29', '2025-06-09', '2025-07-14'],
  ...['2025-08-15', '2025-11-01', '2025-11-11', '2025-12-25'],
  ...['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14'],
  ...['2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25'],
  ...['2027-01-01', '2027-03-29', '2027-05-01', '2027-05-08', '2027-05-06', '2027-05-17', '2027-07-14'],
  ...['2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25'],
  ...['2028-01-01', '2028-04-17', '2028-05-01', '2028-05-08', '2028-05-25', '2028-06-05', '2028-07-14'],
  ...['2028-08-15', '2028-11-01', '2028-11-11', '2028-12-25'],
]);
const ALSACE_MOSELLE = new Set([
  ...['2024-03-29', '2024-12-26', '2025-04-18', '2025-12-26', '2026-04-03', '2026-12-26'],
  ...['2027-03-26', '2027-12-26', '2028-04-14', '2028-12-26'],
]);

const DAY_MS = 86_400_000;
const utc = (date: string) => new Date(`${date}T00:00:00Z`);
const shift = (date: string, days: number) =>
  new Date(utc(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
const weekday = (date: string) => ((utc(date).getUTCDay() + 6) % 7) + 1;
const working = (date: string, alsace: boolean) =>
  weekday(date) <= 5 && !HOLIDAYS.has(date) && !(alsace && ALSACE_MOSELLE.has(date));
const pad = (n: number) => String(n).padStart(2, '0');
const wall = (date: string, hours: number, minutes: number, end: boolean) =>
  `${date} ${pad(hours)}:${pad(minutes)}:${end ? '59.999' : '00.000'}`;
const endOf = (date: string, time = '23:59') =>
  wall(date, Number(time.slice(0, 2)), Number(time.slice(3)), true);

function workingDaysBack(from: string, count: number, alsace: boolean): string {
  let day = from;
  for (let seen = 0; seen < count;) {
    day = shift(day, -1);
    if (working(day, alsace)) seen += 1;
  }
  return day;
}

function reference(rule: TimedDeadlineRule, service: string, alsace: boolean): string {
  switch (rule.kind) {
    case 'weekdayOfPreviousWeek': {
      const target = rule.byWeekday[String(weekday(service)) as '1'];
      if (!target) throw new Error('no entry');
      // Walk back, counting each Monday→Sunday crossing, until the right weekday in the right week.
      let weeks = 0;
      for (let day = shift(service, -1); ; day = shift(day, -1)) {
        if (weekday(day) === 7) weeks += 1;
        if (weekday(day) === target.weekday && weeks === target.weeksBefore) return endOf(day, rule.time);
      }
    }
    case 'hoursBefore': {
      let left = rule.hours;
      for (let day = shift(service, -1); ; day = shift(day, -1)) {
        if (rule.workingHoursOnly && !working(day, alsace)) continue;
        if (left <= 24) return wall(day, 24 - left, 0, false);
        left -= 24;
      }
    }
    case 'workingDaysBefore':
      return endOf(workingDaysBack(service, rule.days, alsace), rule.time);
    case 'beforePeriodStart': {
      let start = rule.period === 'month' ? `${service.slice(0, 8)}01` : service;
      while (rule.period === 'week' && weekday(start) !== 1) start = shift(start, -1);
      const n = rule.workingDays ?? 0;
      return endOf(n > 0 ? workingDaysBack(start, n, alsace) : shift(start, -1), rule.time);
    }
  }
}

// 02:00–02:59 does not exist on these Sundays in Paris (overseas zones keep one offset all year); such a deadline
// is checked on its own in deadlines.test.ts.
const SPRING_FORWARD = ['2025-03-30', '2026-03-29', '2027-03-28', '2028-03-26'];
const inClockGap = (zone: TownTimeZone, wallTime: string) =>
  zone === 'Europe/Paris' && SPRING_FORWARD.some((day) => wallTime.startsWith(`${day} 02:`));

const wallIn = (zone: TownTimeZone, instant: Date) =>
  format(new TZDate(instant, zone), 'yyyy-MM-dd HH:mm:ss.SSS');
const townZone = fc.constantFrom(...TOWN_TIME_ZONES.map((z) => z.id));

// 2025-01-01 … 2028-12-31
const serviceDate = fc.integer({ min: 0, max: 1460 }).map((n) => shift('2025-01-01', n));
const time = fc.option(
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${pad(h)}:${pad(m)}`),
  { nil: undefined },
);
const weekdayTarget = (service: number) =>
  fc
    .record({
      weekday: fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7),
      weeksBefore: fc.integer({ min: 0, max: 3 }),
    })
    .filter((t) => t.weeksBefore * 7 + service - t.weekday > 0);

const rule: fc.Arbitrary<TimedDeadlineRule> = fc.oneof(
  fc
    .record({
      byWeekday: fc.record({
        '1': weekdayTarget(1),
        '2': weekdayTarget(2),
        '3': weekdayTarget(3),
        '4': weekdayTarget(4),
        '5': weekdayTarget(5),
        '6': weekdayTarget(6),
        '7': weekdayTarget(7),
      }),
      time,
    })
    .map(({ byWeekday, time }) => ({ kind: 'weekdayOfPreviousWeek' as const, byWeekday, time })),
  fc
    .record({ hours: fc.integer({ min: 1, max: 24 * 10 }), workingHoursOnly: fc.boolean() })
    .map((r) => ({ kind: 'hoursBefore' as const, ...r })),
  fc
    .record({ days: fc.integer({ min: 1, max: 20 }), time })
    .map((r) => ({ kind: 'workingDaysBefore' as const, ...r })),
  fc
    .record({
      period: fc.constantFrom('month' as const, 'week' as const),
      workingDays: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      time,
    })
    .map((r) => ({ kind: 'beforePeriodStart' as const, ...r })),
);

describe('deadlineFor against a day-by-day reference', () => {
  it('agrees for random days of 2025–2028, random rules and town zones, Alsace-Moselle or not', () => {
    fc.assert(
      fc.property(rule, serviceDate, fc.boolean(), townZone, (r, date, alsaceMoselle, timeZone) => {
        expect(deadlineRuleSchema.safeParse(r).success).toBe(true);
        const expected = reference(r, date, alsaceMoselle);
        fc.pre(!inClockGap(timeZone, expected));
        expect(wallIn(timeZone, deadlineFor(r, date, { alsaceMoselle, timeZone }))).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('always closes before the day itself starts', () => {
    fc.assert(
      fc.property(rule, serviceDate, townZone, (r, date, timeZone) => {
        expect(deadlineFor(r, date, { timeZone }).getTime()).toBeLessThan(
          wallClockInstant(date, timeZone, 0).getTime(),
        );
      }),
    );
  });
});

describe('isPastDeadline', () => {
  const now = fc.date({
    min: new Date('2024-12-01T00:00:00Z'),
    max: new Date('2029-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('never reopens: once past at some instant, past at every later one', () => {
    fc.assert(
      fc.property(rule, serviceDate, now, now, townZone, (r, date, a, b, timeZone) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        if (isPastDeadline(r, date, early, { timeZone }))
          expect(isPastDeadline(r, date, late, { timeZone })).toBe(true);
      }),
    );
  });

  it('allows the deadline instant itself and refuses the next millisecond', () => {
    fc.assert(
      fc.property(rule, serviceDate, townZone, (r, date, timeZone) => {
        const deadline = deadlineFor(r, date, { timeZone });
        expect(isPastDeadline(r, date, deadline, { timeZone })).toBe(false);
        expect(isPastDeadline(r, date, new Date(deadline.getTime() + 1), { timeZone })).toBe(true);
      }),
    );
  });
});
