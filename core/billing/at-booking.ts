import type { Kysely } from 'kysely';
import { DomainError } from '../api/envelope.ts';
import type { Actor } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import { qfInForce } from '../family/qf.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import { townDate } from '../time.ts';
import { loadCatalogue, loadQfHistories } from './catalogue.ts';
import { issueInvoices, type DraftLine } from './issue.ts';
import { priceGroups, type Anomaly, type ServiceGroup } from './lines.ts';
import { loadChildren } from './monthly.ts';
import { charge, tariffOn } from './rules.ts';
import { deviceSeries, SERIES } from './series.ts';

export interface CounterInvoice {
  invoiceId: string;
  number: string;
  totalCents: number;
}

export interface AtBookingContext {
  actor: Actor;
  now: Date;
  newId: () => string;
  /** The town's zone: the invoice is dated the town's today. */
  timeZone: TownTimeZone;
}

/**
 * The invoice of a pay-at-booking activity (holiday centre, 000/004), issued in the booking's own transaction from
 * the counter series and due the same day: paid at the counter, or the child is not accepted. One invoice per
 * booking request; nothing when the activity is billed monthly or nothing was booked.
 */
export async function invoiceBookingsAtBooking(
  db: Kysely<Database>,
  bookingIds: readonly string[],
  ctx: AtBookingContext,
): Promise<CounterInvoice | null> {
  if (bookingIds.length === 0) return null;
  const rows = await db
    .selectFrom('bookings')
    .select([
      'id',
      'household_id',
      'child_id',
      'unit_id',
      'date',
      'state',
      'late',
      'unbooked',
      'cancel_late',
      'attendance',
    ])
    .where('id', 'in', [...bookingIds])
    .orderBy('date')
    .execute();
  const householdId = rows[0]?.household_id;
  if (!householdId) return null;
  const groups = new Map<string, ServiceGroup>();
  for (const r of rows) {
    const key = [r.child_id, r.unit_id, r.state, r.late, r.unbooked, r.cancel_late, r.attendance].join('|');
    let g = groups.get(key);
    if (!g) {
      g = {
        householdId: r.household_id,
        childId: r.child_id,
        unitId: r.unit_id,
        state: r.state,
        late: r.late,
        unbooked: r.unbooked,
        cancelLate: r.cancel_late,
        attendance: r.attendance,
        services: [],
      };
      groups.set(key, g);
    }
    g.services.push({ bookingId: r.id, date: r.date });
  }
  const [catalogue, qfHistories, children] = await Promise.all([
    loadCatalogue(db),
    loadQfHistories(db, [householdId]),
    loadChildren(db, [...new Set(rows.map((r) => r.child_id))]),
  ]);
  const anomalies: Anomaly[] = [];
  const [priced] = priceGroups(
    [...groups.values()],
    { catalogue, qfHistories, children, payment: 'atBooking' },
    anomalies,
  );
  const missing = anomalies[0];
  if (missing) {
    // Paid at booking means priced at booking: without a tariff the booking cannot be taken.
    throw new DomainError('CONFLICT', `${missing.activityName} : ${missing.reason}, réservation impossible.`);
  }
  if (!priced) return null;
  return issueAtCounter(db, householdId, priced.lines, ctx);
}

/**
 * The invoice of an activity paid at enrolment (sports school, 004): one line for the school year at the activity's
 * flat tariff, priced with the QF in force when the season starts (or today, if enrolling during it).
 */
export async function invoiceEnrolment(
  db: Kysely<Database>,
  enrolmentId: string,
  ctx: AtBookingContext,
): Promise<CounterInvoice | null> {
  const e = await db
    .selectFrom('enrolments as e')
    .innerJoin('children as c', 'c.id', 'e.child_id')
    .leftJoin('groups as g', 'g.id', 'e.group_id')
    .select([
      'e.id',
      'e.activity_id',
      'e.school_year',
      'e.child_id',
      'c.household_id',
      'c.first_name',
      'c.last_name',
      'g.name as group_name',
    ])
    .where('e.id', '=', enrolmentId)
    .executeTakeFirst();
  if (!e) return null;
  const catalogue = await loadCatalogue(db);
  const activity = catalogue.activities.get(e.activity_id);
  if (!activity || activity.settings.payment !== 'atBooking' || activity.settings.granularity !== 'enrolment')
    return null;
  const unit = activity.units[0];
  if (!unit) return null;
  const today = townDate(ctx.now, ctx.timeZone);
  const seasonStart = `${e.school_year.slice(0, 4)}-09-01`;
  const serviceDate = today > seasonStart ? today : seasonStart;
  const tariff = tariffOn(catalogue.tariffsOf(activity.id, unit.code), serviceDate);
  if (!tariff) {
    throw new DomainError(
      'CONFLICT',
      `Aucun tarif de « ${activity.name} » en vigueur le ${serviceDate} : inscription impossible.`,
    );
  }
  const qfs = await loadQfHistories(db, [e.household_id]);
  const line: DraftLine = {
    ...charge(
      { billed: true, kind: 'enrolment', surcharge: null, surchargeReason: '' },
      tariff,
      qfInForce(qfs.get(e.household_id) ?? [], serviceDate.slice(0, 7))?.value ?? null,
      unit.code,
    ),
    kind: 'enrolment',
    enrolmentId: e.id,
    childId: e.child_id,
    childName: `${e.first_name} ${e.last_name}`,
    activityId: activity.id,
    activityName: activity.name,
    unitCode: unit.code,
    unitLabel: e.group_name ? `Inscription — ${e.group_name}` : 'Inscription',
    dates: [],
    period: e.school_year,
    services: [],
  };
  return issueAtCounter(db, e.household_id, [line], ctx);
}

async function issueAtCounter(
  db: Kysely<Database>,
  householdId: string,
  lines: DraftLine[],
  ctx: AtBookingContext,
): Promise<CounterInvoice> {
  const today = townDate(ctx.now, ctx.timeZone);
  const [issued] = await issueInvoices(db, [{ householdId, lines }], {
    series: await deviceSeries(db, SERIES.counter, ctx.actor.deviceId),
    kind: 'booking',
    issueDate: today,
    dueDate: today,
    periodMonth: null,
    ...ctx,
  });
  if (!issued) throw new Error('invoice not written');
  return { invoiceId: issued.invoiceId, number: issued.number, totalCents: issued.totalCents };
}
