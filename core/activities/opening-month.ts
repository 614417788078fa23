import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import { eachLocalDate, isoWeekday } from '../calendar/local-date.ts';
import { lastDayOf } from '../../shared/calendar.ts';
import { holidayDays, openDays, type SkipCause } from '../calendar/openings.ts';
import type { Database } from '../db/schema.ts';
import { loadActivity, loadOpeningCalendar } from './config.ts';

/**
 * One month of a unit at a site as the administrator checks it: each day open, closed with its reason (public
 * holiday, closure, school holidays, no school calendar imported), or not a day of the unit. What bookings offer,
 * computed by the same rules (core/calendar/openings.ts), so the screen cannot say otherwise than the counter does.
 */

export interface OpeningDay {
  date: string;
  state: 'open' | 'closed' | 'notADay';
  cause: SkipCause | null;
  reason: string;
}

export interface OpeningMonth {
  month: string;
  /** Term-time days, holiday weeks, or no calendar of its own (dates set per booking). */
  calendar: 'school' | 'holidays' | 'none';
  days: OpeningDay[];
  openCount: number;
}

export async function openingMonth(
  db: Kysely<Database>,
  input: { activityId: string; siteId: string; unitCode: string; month: string },
): Promise<OpeningMonth> {
  const activity = await loadActivity(db, input.activityId);
  const unit = activity.units.find((u) => u.code === input.unitCode);
  if (!unit) throw new DomainError('NOT_FOUND', 'Cette activité n’a pas cette unité.', 'unitCode');
  if (!activity.sites.some((s) => s.id === input.siteId))
    throw new DomainError('NOT_FOUND', 'Cette activité n’a pas lieu sur ce site.', 'siteId');
  const range = { from: `${input.month}-01`, to: lastDayOf(input.month) };
  const kind = activity.settings.calendar;
  const days = eachLocalDate(range.from, range.to);
  if (kind === 'none')
    return {
      month: input.month,
      calendar: kind,
      days: days.map((date) => ({
        date,
        state: 'notADay',
        cause: null,
        reason: 'dates fixées à l’inscription',
      })),
      openCount: 0,
    };
  const calendar = await loadOpeningCalendar(db, input.siteId);
  const sorted =
    kind === 'school'
      ? openDays(range, unit.weekdays, calendar)
      : holidayDays(range, calendar, unit.weekdays);
  const open = new Set(sorted.open);
  const skipped = new Map(sorted.skipped.map((s) => [s.date, s]));
  return {
    month: input.month,
    calendar: kind,
    days: days.map((date): OpeningDay => {
      if (open.has(date)) return { date, state: 'open', cause: null, reason: 'ouvert' };
      const s = skipped.get(date);
      if (s) return { date, state: 'closed', cause: s.cause, reason: s.reason };
      return {
        date,
        state: 'notADay',
        cause: null,
        reason: unit.weekdays.includes(isoWeekday(date)) ? '' : 'pas un jour de l’unité',
      };
    }),
    openCount: open.size,
  };
}

/** The town's sites with their closures, and the town-wide closures. */
export async function sitesAndClosures(db: Kysely<Database>) {
  const [sites, closures] = await Promise.all([
    db.selectFrom('sites').select(['id', 'name', 'address']).orderBy('name').execute(),
    db
      .selectFrom('closures')
      .select(['id', 'site_id', 'first_day', 'last_day', 'label'])
      .orderBy('first_day', 'desc')
      .execute(),
  ]);
  const names = new Map(sites.map((s) => [s.id, s.name]));
  return {
    sites: sites.map((s) => ({ id: s.id, name: s.name, address: s.address ?? '' })),
    closures: closures.map((c) => ({
      id: c.id,
      siteId: c.site_id,
      siteName: c.site_id === null ? 'tous les sites' : (names.get(c.site_id) ?? ''),
      firstDay: c.first_day,
      lastDay: c.last_day,
      label: c.label,
    })),
  };
}
