import type { DeadlineRule } from './deadlines.ts';

/**
 * The deadlines of the demo town (RULES.md, "Activities"). A town changes them in its settings; these are the
 * seeds' wording turned into rules.
 */
export const DEMO_DEADLINES = {
  /** 000: "le jeudi maximum pour le lundi et le mardi, le lundi maximum pour le jeudi et le vendredi". */
  canteen: {
    kind: 'weekdayOfPreviousWeek',
    byWeekday: {
      '1': { weekday: 4, weeksBefore: 1 },
      '2': { weekday: 4, weeksBefore: 1 },
      '4': { weekday: 1, weeksBefore: 0 },
      '5': { weekday: 1, weeksBefore: 0 },
    },
  },
  /** 000: "au moins 48h avant le jour de venue"; a town following 001 sets `workingHoursOnly`. */
  beforeAfterSchoolCare: { kind: 'hoursBefore', hours: 48 },
  /** 001: "5 jours ouvrés pour les mercredis". */
  wednesdays: { kind: 'workingDaysBefore', days: 5 },
  /** 001: "5 jours ouvrés pour les vacances", counted from the week, which is booked whole (000). */
  holidayCentre: { kind: 'beforePeriodStart', period: 'week', workingDays: 5 },
  /** 000: booked by the month, before it starts. */
  study: { kind: 'beforePeriodStart', period: 'month' },
  classTrip: { kind: 'none' },
  sportsSchool: { kind: 'none' },
} as const satisfies Record<string, DeadlineRule>;
