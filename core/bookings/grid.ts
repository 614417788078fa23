import type { Kysely } from 'kysely';
import { deadlineFor, formatDeadline, isPast } from '../calendar/deadlines.ts';
import { isoWeekday, type LocalDate } from '../calendar/local-date.ts';
import { holidayDays, openDays } from '../calendar/openings.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import type { Database } from '../db/schema.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import type { PricedService } from '../pricing/surcharge.ts';
import { loadBookingContext } from './context.ts';
import { priceOf } from './plan.ts';

/**
 * The states a cell shows, as on the families' portal (001): present, absent, booked, bookable, past the
 * deadline (staff only, at the late rate), full, and not bookable. Requests from the portal come with sync.
 */
export type CellState = 'present' | 'absent' | 'booked' | 'bookable' | 'late' | 'full' | 'closed';

export interface GridCell {
  date: LocalDate;
  unitCode: string;
  unitLabel: string;
  state: CellState;
  /** Why, in words: « vacances scolaires : Noël », « réservation close depuis … », « réservé hors délai : … ». */
  detail: string;
  /** Whether a family could still change it online. */
  modifiable: boolean;
  price: PricedService | null;
  placesLeft: number | null;
}

interface GridRequest {
  childId: string;
  activityId: string;
  siteId: string;
  from: LocalDate;
  to: LocalDate;
}

export async function bookingGrid(db: Kysely<Database>, req: GridRequest, now: Date, zone: TownTimeZone) {
  const ctx = await loadBookingContext(db, req.childId, req.activityId, req.siteId);
  const settings = ctx.activity.settings;
  const unitIds = ctx.activity.units.map((u) => u.id);
  const [bookings, capacities, taken] = await Promise.all([
    db
      .selectFrom('bookings')
      .select([
        'unit_id',
        'date',
        'state',
        'attendance',
        'late',
        'late_reason',
        'unbooked',
        'cancel_late',
        'site_id',
      ])
      .where('child_id', '=', req.childId)
      .where('activity_id', '=', req.activityId)
      .where('date', '>=', req.from)
      .where('date', '<=', req.to)
      .execute(),
    db
      .selectFrom('capacities')
      .select(['unit_id', 'date', 'places'])
      .where('site_id', '=', req.siteId)
      .execute(),
    db
      .selectFrom('bookings')
      .select(['unit_id', 'date', (eb) => eb.fn.countAll<number>().as('n')])
      .where('site_id', '=', req.siteId)
      .where('state', '=', 'booked')
      .where('activity_id', '=', req.activityId)
      .where('date', '>=', req.from)
      .where('date', '<=', req.to)
      .groupBy(['unit_id', 'date'])
      .execute(),
  ]);
  const placesFor = (unitId: string, date: string) =>
    capacities.find((c) => c.unit_id === unitId && c.date === date)?.places ??
    capacities.find((c) => c.unit_id === unitId && c.date === null)?.places ??
    null;
  const takenBy = new Map(taken.map((t) => [`${t.unit_id}|${t.date}`, Number(t.n)]));
  const live = new Map(
    bookings.filter((b) => b.state === 'booked').map((b) => [`${b.unit_id}|${b.date}`, b]),
  );
  const holiday = { alsaceMoselle: ctx.calendar.alsaceMoselle ?? false, timeZone: zone };
  const today = townDate(now, zone);
  const cells: GridCell[] = [];

  for (const unit of ctx.activity.units) {
    if (!unitIds.includes(unit.id)) continue;
    const range = { from: req.from, to: req.to };
    const days =
      settings.calendar === 'holidays'
        ? holidayDays(range, ctx.calendar, unit.weekdays)
        : openDays(range, unit.weekdays, ctx.calendar);
    const open = new Set(days.open);
    const skipped = new Map(days.skipped.map((s) => [s.date, s.reason]));
    const dates = [...days.open, ...days.skipped.map((s) => s.date)].filter((d) => isoWeekday(d) <= 5).sort();
    for (const date of dates) {
      const base = { date, unitCode: unit.code, unitLabel: unit.label };
      const key = `${unit.id}|${date}`;
      const booking = live.get(key);
      const places = placesFor(unit.id, date);
      const placesLeft = places === null ? null : places - (takenBy.get(key) ?? 0);
      if (booking) {
        const cancelDeadline = deadlineFor(settings.cancelDeadline, date, holiday);
        const modifiable = booking.attendance === null && !isPast(cancelDeadline, now);
        const state: CellState =
          booking.attendance === 'present' ? 'present' : booking.attendance ? 'absent' : 'booked';
        const detail =
          booking.unbooked === 1
            ? 'présent sans réservation'
            : booking.attendance === 'absent_justified'
              ? 'absence justifiée'
              : booking.attendance === 'absent_unjustified'
                ? 'absence non justifiée'
                : booking.late
                  ? `réservé hors délai : ${booking.late_reason ?? ''}`
                  : modifiable && cancelDeadline
                    ? `annulable jusqu’au ${formatDeadline(cancelDeadline, zone)}`
                    : 'non modifiable en ligne';
        cells.push({
          ...base,
          state,
          detail,
          modifiable,
          price: priceOf(ctx, unit, date, booking.late === 1),
          placesLeft,
        });
        continue;
      }
      if (date < today) {
        cells.push({
          ...base,
          state: 'closed',
          detail: 'jour passé',
          modifiable: false,
          price: null,
          placesLeft: null,
        });
        continue;
      }
      if (!open.has(date)) {
        cells.push({
          ...base,
          state: 'closed',
          detail: skipped.get(date) ?? 'fermé',
          modifiable: false,
          price: null,
          placesLeft: null,
        });
        continue;
      }
      const year = schoolYearOf(date);
      const enrolment = ctx.enrolments.find((e) => e.schoolYear === year);
      if (
        !enrolment ||
        enrolment.status !== 'validated' ||
        (enrolment.siteId !== null && enrolment.siteId !== req.siteId)
      ) {
        const detail = !enrolment
          ? `non inscrit(e) pour ${year}`
          : enrolment.status !== 'validated'
            ? 'inscription en attente'
            : 'inscrit(e) sur un autre site';
        cells.push({ ...base, state: 'closed', detail, modifiable: false, price: null, placesLeft });
        continue;
      }
      if (placesLeft !== null && placesLeft <= 0) {
        cells.push({
          ...base,
          state: 'full',
          detail: `complet (${places} places)`,
          modifiable: false,
          price: null,
          placesLeft,
        });
        continue;
      }
      const deadline = deadlineFor(settings.bookingDeadline, date, holiday);
      const late = isPast(deadline, now);
      cells.push({
        ...base,
        state: late ? 'late' : 'bookable',
        detail: late
          ? `réservation close depuis le ${formatDeadline(deadline, zone)} : hors délai, avec motif`
          : deadline
            ? `réservable jusqu’au ${formatDeadline(deadline, zone)}`
            : 'réservable',
        modifiable: !late,
        price: priceOf(ctx, unit, date, late),
        placesLeft,
      });
    }
  }
  cells.sort((a, b) => a.date.localeCompare(b.date) || a.unitCode.localeCompare(b.unitCode));
  return {
    activity: { id: ctx.activity.id, name: ctx.activity.name, granularity: settings.granularity },
    units: ctx.activity.units.map((u) => ({ code: u.code, label: u.label })),
    cells,
  };
}
