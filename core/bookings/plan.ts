import type { Insertable, Kysely, Selectable } from 'kysely';
import { insertRows, rows } from '../db/fast-sql.ts';
import { capacityGuard, onPostgres } from '../db/on-postgres.ts';
import { keepingAcross, keptForPush } from '../db/setup-cache.ts';
import type { Unit } from '../activities/config.ts';
import type { UnitCode } from '../activities/settings.ts';
import { DomainError } from '../api/envelope.ts';
import { closedMessage, deadlineFor, isPast } from '../calendar/deadlines.ts';
import { addDaysTo, eachLocalDate, type LocalDate } from '../calendar/local-date.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import type { BookingsTable, Database } from '../db/schema.ts';
import { applySurcharge, type PricedService } from '../pricing/surcharge.ts';
import { unitPrice } from '../pricing/tariff.ts';
import { formatLongDate } from '../billing/format.ts';
import type { BookingContext } from './context.ts';
import { siteOn } from './enrolment-span.ts';
import { candidateDays, type Selection } from './selection.ts';

export type Origin = 'counter' | 'portal';

export type RefusalCode =
  | 'CLOSED'
  | 'NOT_ENROLLED'
  | 'ENROLMENT_PENDING'
  | 'ENROLMENT_ENDED'
  | 'OTHER_SITE'
  | 'ALREADY_BOOKED'
  | 'NOT_BOOKED'
  | 'ATTENDANCE_TAKEN'
  | 'FULL'
  | 'DEADLINE_PASSED'
  | 'REASON_REQUIRED'
  | 'WEEK_INCOMPLETE'
  | 'PAST_DAY'
  | 'OVERRIDE_FORBIDDEN';

export interface PlannedDay {
  date: LocalDate;
  unitId: string;
  unitCode: UnitCode;
  unitLabel: string;
  /** Past the families' deadline: done by staff with a reason, at the activity's surcharge. */
  late: boolean;
  /** When the family could still have done it online until; null without a deadline. */
  deadline: string | null;
  price: PricedService | null;
  /** Places left after this booking, when the slot has a capacity. */
  placesLeft: number | null;
}

export interface RefusedDay {
  date: LocalDate;
  unitCode: UnitCode;
  unitLabel: string;
  code: RefusalCode;
  reason: string;
}

export interface Plan {
  accepted: PlannedDay[];
  refused: RefusedDay[];
}

export interface PlanRequest {
  unitCodes: readonly UnitCode[];
  selection: Selection;
  origin: Origin;
  overrideReason: string | null;
  /** Whether whoever asks may go past the families' deadline (permission `booking.override`). */
  mayOverride: boolean;
  now: Date;
  /** The town's zone, read once by the operation: « today » and every deadline are on its clock. */
  timeZone: TownTimeZone;
}

const LATE_ADD = 'ajout hors délai';
/** Said for a day past the deadline to an agent whose role may not go past it. */
export const OVERRIDE_FORBIDDEN =
  'votre rôle ne permet pas de déroger aux délais : faites-le faire par un agent habilité';

export function unitsOf(ctx: BookingContext, codes: readonly UnitCode[]): Unit[] {
  return codes.map((code) => {
    const unit = ctx.activity.units.find((u) => u.code === code);
    if (!unit)
      throw new DomainError(
        'VALIDATION',
        `« ${ctx.activity.name} » n’a pas d’unité « ${code} ».`,
        'unitCodes',
      );
    return unit;
  });
}

function checkGranularity(ctx: BookingContext, selection: Selection): void {
  const { granularity } = ctx.activity.settings;
  const name = ctx.activity.name;
  if (granularity === 'enrolment')
    throw new DomainError('VALIDATION', `« ${name} » ne se réserve pas : l’inscription suffit.`, 'selection');
  if (granularity === 'week' && selection.kind !== 'week') {
    throw new DomainError('VALIDATION', `« ${name} » se réserve à la semaine entière.`, 'selection');
  }
  if (granularity === 'month' && selection.kind !== 'month')
    throw new DomainError('VALIDATION', `« ${name} » se réserve au mois.`, 'selection');
  if (granularity === 'day' && (selection.kind === 'week' || selection.kind === 'month')) {
    throw new DomainError('VALIDATION', `« ${name} » se réserve à la journée ou par période.`, 'selection');
  }
}

export interface Slots {
  placesFor(unitId: string, date: LocalDate): number | null;
  taken: Map<string, number>;
}

// The texts differ only by their number of units: one prepared statement per count, a handful in all.
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

type CapacityRow = { unit_id: string; date: string | null; places: number };

/**
 * What a push on SQLite knows of the slots it has counted: one writer at a time there, this push, so a count stays
 * true but for the bookings the push itself writes, which `insertBookings` adds. Any other write to bookings or
 * capacities through the push's handle drops it, and a refused command's rollback too (core/db/setup-cache.ts).
 * PostgreSQL counts afresh each time, under the capacity rows' locks, what concurrent writers committed.
 */
interface KeptSlots {
  capacities: Map<string, CapacityRow[]>;
  /** Booked per `site|unit|date`, for each day of every span counted, 0 included. */
  taken: Map<string, number>;
}
const KEPT_SLOTS = 'slots';
const SLOT_TABLES = ['bookings', 'capacities'];

/**
 * Places and bookings per unit and day over the span, in two queries whatever its length. Fixed texts
 * (core/db/fast-sql.ts): every booking request runs them, unless the push already counted the span.
 */
export async function loadSlots(
  db: Kysely<Database>,
  siteId: string,
  unitIds: string[],
  from: LocalDate,
  to: LocalDate,
): Promise<Slots> {
  if (unitIds.length === 0) return { placesFor: () => null, taken: new Map() };
  const units = marks(unitIds.length);
  // On the central server's PostgreSQL, writers run side by side: the slots' capacity rows are locked (always in
  // the same order, so two bookings never wait on each other) before the bookings are counted, so the count that
  // decides the last place is the one committed by whoever booked before. SQLite has one writer at a time. Under
  // SERIALIZABLE transactions (core/db/on-postgres.ts) PostgreSQL itself refuses the second of two such counts.
  const sideBySide = onPostgres(db);
  const locking = sideBySide && capacityGuard(db) === 'row-locks';
  const kept = sideBySide
    ? null
    : keptForPush<KeptSlots>(db, KEPT_SLOTS, SLOT_TABLES, () => ({
        capacities: new Map(),
        taken: new Map(),
      }));
  const span = `${siteId}|${unitIds.join(',')}|${from}|${to}`;
  let capacities = kept?.capacities.get(span);
  if (!capacities) {
    capacities = await rows<CapacityRow>(
      db,
      `SELECT unit_id, "date", places FROM capacities
       WHERE site_id = ? AND unit_id IN (${units}) AND ("date" IS NULL OR "date" BETWEEN ? AND ?)${
         locking ? ' ORDER BY id FOR UPDATE' : ''
       }`,
      [siteId, ...unitIds, from, to],
    );
    kept?.capacities.set(span, capacities);
  }
  const days = kept ? eachLocalDate(from, to) : [];
  const slot = (unitId: string, date: string) => `${siteId}|${unitId}|${date}`;
  const taken = new Map<string, number>();
  if (kept && unitIds.every((u) => days.every((d) => kept.taken.has(slot(u, d))))) {
    for (const u of unitIds)
      for (const d of days) {
        const n = kept.taken.get(slot(u, d)) ?? 0;
        if (n > 0) taken.set(`${u}|${d}`, n);
      }
  } else {
    const counted = await rows<{ unit_id: string; date: string; n: number | string }>(
      db,
      `SELECT unit_id, "date", count(*) AS n FROM bookings
       WHERE site_id = ? AND unit_id IN (${units}) AND state = 'booked' AND "date" >= ? AND "date" <= ?
       GROUP BY unit_id, "date"`,
      [siteId, ...unitIds, from, to],
    );
    for (const t of counted) taken.set(`${t.unit_id}|${t.date}`, Number(t.n));
    if (kept)
      for (const u of unitIds) for (const d of days) kept.taken.set(slot(u, d), taken.get(`${u}|${d}`) ?? 0);
  }
  const byDate = new Map(
    capacities.filter((c) => c.date !== null).map((c) => [`${c.unit_id}|${c.date}`, c.places]),
  );
  const byDefault = new Map(capacities.filter((c) => c.date === null).map((c) => [c.unit_id, c.places]));
  return {
    placesFor: (unitId, date) => byDate.get(`${unitId}|${date}`) ?? byDefault.get(unitId) ?? null,
    taken,
  };
}

/** Writes booked days, one fixed text per number of days; the push's counts of their slots follow them. */
export async function insertBookings(
  db: Kysely<Database>,
  booked: readonly (Insertable<BookingsTable> & { state: 'booked' })[],
): Promise<void> {
  await keepingAcross<KeptSlots>(
    db,
    KEPT_SLOTS,
    () => insertRows(db, 'bookings', booked),
    (kept) => {
      for (const b of booked) {
        const key = `${b.site_id}|${b.unit_id}|${b.date}`;
        const n = kept.taken.get(key);
        if (n !== undefined) kept.taken.set(key, n + 1);
      }
    },
  );
}

function liveBookingsOf(
  db: Kysely<Database>,
  childId: string,
  activityId: string,
  from: LocalDate,
  to: LocalDate,
) {
  return rows<
    Pick<
      Selectable<BookingsTable>,
      'id' | 'unit_id' | 'date' | 'site_id' | 'attendance' | 'late' | 'unbooked'
    >
  >(
    db,
    `SELECT id, unit_id, "date", site_id, attendance, late, unbooked FROM bookings
     WHERE child_id = ? AND activity_id = ? AND state = 'booked' AND "date" >= ? AND "date" <= ?`,
    [childId, activityId, from, to],
  );
}

export function priceOf(
  ctx: BookingContext,
  unit: Unit,
  date: LocalDate,
  late: boolean,
): PricedService | null {
  const tariff = ctx.tariffFor(unit.code, date);
  if (!tariff) return null;
  const base = unitPrice(tariff, ctx.qfFor(date.slice(0, 7)));
  return applySurcharge(base, late ? ctx.activity.settings.lateAdd : null, unit.code, LATE_ADD);
}

/** Why the child's enrolment does not let them use the activity on `date` at this site, or null if it does. */
export function enrolmentRefusal(
  ctx: Pick<BookingContext, 'activity' | 'child' | 'site' | 'enrolments'>,
  date: LocalDate,
): { code: RefusalCode; reason: string } | null {
  const year = schoolYearOf(date);
  const enrolment = ctx.enrolments.find((e) => e.schoolYear === year);
  if (!enrolment)
    return {
      code: 'NOT_ENROLLED',
      reason: `${ctx.child.firstName} n’est pas inscrit(e) à « ${ctx.activity.name} » pour ${year}`,
    };
  if (enrolment.status !== 'validated') {
    return { code: 'ENROLMENT_PENDING', reason: `inscription ${year} en attente : dossier incomplet` };
  }
  if (enrolment.endsOn !== null && date > enrolment.endsOn)
    return { code: 'ENROLMENT_ENDED', reason: `inscription terminée le ${formatLongDate(enrolment.endsOn)}` };
  const site = siteOn(enrolment, date);
  if (site !== null && site !== ctx.site.id)
    return { code: 'OTHER_SITE', reason: 'inscrit(e) sur un autre site' };
  return null;
}

function periodStartFor(selection: Selection): LocalDate | undefined {
  return selection.kind === 'week' ? selection.weekStart : undefined;
}

/**
 * Decides, day by day, what a booking request may create: every day asked for is either accepted (maybe late,
 * with its surcharge) or refused with its reason. Reads only; `book` writes what this accepts.
 */
export async function planBooking(
  db: Kysely<Database>,
  ctx: BookingContext,
  req: PlanRequest,
): Promise<Plan> {
  checkGranularity(ctx, req.selection);
  const units = unitsOf(ctx, req.unitCodes);
  const settings = ctx.activity.settings;
  const accepted: PlannedDay[] = [];
  const refused: RefusedDay[] = [];
  const perUnit = units.map((unit) => ({
    unit,
    days: candidateDays(req.selection, settings, unit.weekdays, ctx.calendar),
  }));
  const all = perUnit.flatMap((p) => [...p.days.open, ...p.days.skipped.map((s) => s.date)]).sort();
  if (all.length === 0) return { accepted, refused };
  const from = all[0] as LocalDate;
  const to = all.at(-1) as LocalDate;

  const [slots, live] = await Promise.all([
    loadSlots(
      db,
      ctx.site.id,
      units.map((u) => u.id),
      from,
      to,
    ),
    liveBookingsOf(db, ctx.child.id, ctx.activity.id, addDaysTo(from, -6), addDaysTo(to, 6)),
  ]);
  const liveKeys = new Set(live.map((b) => `${b.unit_id}|${b.date}`));
  const holiday = {
    alsaceMoselle: ctx.calendar.alsaceMoselle,
    periodStart: periodStartFor(req.selection),
    timeZone: req.timeZone,
  };

  for (const { unit, days } of perUnit) {
    const refuse = (date: LocalDate, code: RefusalCode, reason: string) =>
      refused.push({ date, unitCode: unit.code, unitLabel: unit.label, code, reason });
    for (const s of days.skipped) refuse(s.date, 'CLOSED', s.reason);

    if (settings.wholeWeekOneSite && req.selection.kind === 'week') {
      const weekEnd = addDaysTo(req.selection.weekStart, 6);
      const elsewhere = live.find(
        (b) =>
          b.site_id !== ctx.site.id &&
          b.date >= (req.selection as { weekStart: string }).weekStart &&
          b.date <= weekEnd,
      );
      if (elsewhere) {
        for (const date of days.open)
          refuse(
            date,
            'OTHER_SITE',
            'déjà réservé cette semaine sur un autre site : une semaine se passe sur un seul site',
          );
        continue;
      }
    }

    const today = townDate(req.now, req.timeZone);
    for (const date of days.open) {
      if (date < today) {
        // A day gone by is not booked: what happened is recorded on the attendance sheet.
        refuse(date, 'PAST_DAY', 'jour passé : notez la présence sur la feuille de pointage');
        continue;
      }
      const notEnrolled = enrolmentRefusal(ctx, date);
      if (notEnrolled) {
        refuse(date, notEnrolled.code, notEnrolled.reason);
        continue;
      }
      const key = `${unit.id}|${date}`;
      if (liveKeys.has(key)) {
        refuse(date, 'ALREADY_BOOKED', 'déjà réservé');
        continue;
      }
      const deadline = deadlineFor(settings.bookingDeadline, date, holiday);
      const late = isPast(deadline, req.now);
      if (late && req.origin === 'portal') {
        refuse(date, 'DEADLINE_PASSED', closedMessage(deadline, req.timeZone));
        continue;
      }
      if (late && !req.mayOverride) {
        refuse(
          date,
          'OVERRIDE_FORBIDDEN',
          `${closedMessage(deadline, req.timeZone)} : ${OVERRIDE_FORBIDDEN}`,
        );
        continue;
      }
      if (late && !req.overrideReason) {
        refuse(
          date,
          'REASON_REQUIRED',
          `${closedMessage(deadline, req.timeZone)} : indiquez un motif pour réserver hors délai`,
        );
        continue;
      }
      const places = slots.placesFor(unit.id, date);
      const taken = slots.taken.get(key) ?? 0;
      if (places !== null && taken >= places) {
        refuse(date, 'FULL', `complet (${places} place${places > 1 ? 's' : ''})`);
        continue;
      }
      slots.taken.set(key, taken + 1);
      accepted.push({
        date,
        unitId: unit.id,
        unitCode: unit.code,
        unitLabel: unit.label,
        late,
        deadline: deadline?.toISOString() ?? null,
        price: priceOf(ctx, unit, date, late),
        placesLeft: places === null ? null : places - taken - 1,
      });
    }
  }

  // A holiday week is booked whole or not at all.
  if (settings.granularity === 'week' && refused.some((r) => r.code !== 'CLOSED') && accepted.length) {
    const blocking = refused.find((r) => r.code !== 'CLOSED') as RefusedDay;
    for (const a of accepted.splice(0)) {
      refused.push({
        date: a.date,
        unitCode: a.unitCode,
        unitLabel: a.unitLabel,
        code: 'WEEK_INCOMPLETE',
        reason: `semaine refusée entière : le ${blocking.date}, ${blocking.reason}`,
      });
    }
  }
  accepted.sort((a, b) => a.date.localeCompare(b.date) || a.unitCode.localeCompare(b.unitCode));
  refused.sort((a, b) => a.date.localeCompare(b.date) || a.unitCode.localeCompare(b.unitCode));
  return { accepted, refused };
}
