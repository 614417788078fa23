import { z } from 'zod';
import { isoDate, isoMonth } from '../api/fields.ts';
import {
  addDaysTo,
  eachLocalDate,
  isoWeekday,
  type LocalDate,
  type Weekday,
} from '../calendar/local-date.ts';
import { holidayDays, openDays, type OpeningCalendar, type SkippedDay } from '../calendar/openings.ts';
import type { ActivitySettings } from '../activities/settings.ts';

/** What the agent (or a family) asks for: some days, a period on weekdays, a holiday week, or a month. */
export const selectionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('days'),
    dates: z.array(isoDate()).min(1, { message: 'aucun jour choisi' }).max(400),
  }),
  z
    .object({
      kind: z.literal('period'),
      from: isoDate(),
      to: isoDate(),
      weekdays: z.array(z.int().min(1).max(7)).min(1, { message: 'aucun jour de la semaine coché' }),
    })
    .refine((p) => p.from <= p.to, { message: 'la fin de période précède le début', path: ['to'] })
    .refine((p) => p.from >= addDaysTo(p.to, -400), { message: 'période de plus d’un an', path: ['to'] }),
  z.object({
    kind: z.literal('week'),
    weekStart: isoDate().refine((d) => isoWeekday(d) === 1, { message: 'une semaine commence un lundi' }),
  }),
  z.object({ kind: z.literal('month'), month: isoMonth() }),
]);
export type Selection = z.infer<typeof selectionSchema>;

export interface CandidateDays {
  /** Days the activity runs among those asked. */
  open: LocalDate[];
  /** Days asked for that it does not run on, each with why: none is dropped silently. */
  skipped: SkippedDay[];
  /** For a month: the day that stands for it (first of the month). */
  monthOf?: string;
}

/** Expands a selection into the service days of an activity's calendar. */
export function candidateDays(
  selection: Selection,
  settings: ActivitySettings,
  weekdays: readonly Weekday[],
  calendar: OpeningCalendar,
): CandidateDays {
  const within = (from: LocalDate, to: LocalDate, days: readonly Weekday[]) =>
    settings.calendar === 'holidays'
      ? holidayDays({ from, to }, calendar, days)
      : openDays({ from, to }, days, calendar);
  switch (selection.kind) {
    case 'days': {
      const result: CandidateDays = { open: [], skipped: [] };
      for (const date of [...new Set(selection.dates)].sort()) {
        if (!weekdays.includes(isoWeekday(date))) {
          result.skipped.push({ date, cause: 'closure', reason: 'pas d’accueil ce jour de la semaine' });
          continue;
        }
        const day = within(date, date, weekdays);
        result.open.push(...day.open);
        result.skipped.push(...day.skipped);
      }
      return result;
    }
    case 'period': {
      const asked = weekdays.filter((d) => selection.weekdays.includes(d));
      const notRun = selection.weekdays.filter((d) => !weekdays.includes(d as Weekday));
      const result = within(selection.from, selection.to, asked);
      // A weekday ticked that the activity never runs on is said once per day, not silently ignored.
      for (const date of eachLocalDate(selection.from, selection.to)) {
        if (notRun.includes(isoWeekday(date)))
          result.skipped.push({ date, cause: 'closure', reason: 'pas d’accueil ce jour de la semaine' });
      }
      result.skipped.sort((a, b) => a.date.localeCompare(b.date));
      return result;
    }
    case 'week':
      return within(selection.weekStart, addDaysTo(selection.weekStart, 6), weekdays);
    case 'month': {
      const first = `${selection.month}-01`;
      const last = addDaysTo(addDaysTo(first, 31).slice(0, 8) + '01', -1);
      const days = within(first, last, weekdays);
      // A month is one booking, standing on its first day; it exists if the activity runs at least once in it.
      if (days.open.length) return { open: [first], skipped: [], monthOf: selection.month };
      const unknown = days.skipped.find((s) => s.cause === 'noCalendar');
      return {
        open: [],
        skipped: [
          unknown
            ? { ...unknown, date: first }
            : { date: first, cause: 'closure', reason: 'aucun jour d’ouverture ce mois-ci' },
        ],
      };
    }
  }
}
