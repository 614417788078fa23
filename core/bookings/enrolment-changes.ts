import type { Kysely } from 'kysely';
import { loadActivity, loadOpeningCalendar, type Activity } from '../activities/config.ts';
import { DomainError } from '../api/envelope.ts';
import { formatLongDate, formatShortDate } from '../billing/format.ts';
import { addDaysTo, weekStartOf, type LocalDate } from '../calendar/local-date.ts';
import type { TownTimeZone } from '../calendar/time-zones.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { judgeCancellation } from './cancel.ts';
import { loadEnrolmentSpans, siteOn, type EnrolmentSpan } from './enrolment-span.ts';
import { loadSlots, type RefusalCode } from './plan.ts';
import { candidateDays } from './selection.ts';

/**
 * Ending an enrolment at the child's last day, and moving it to another site from a day on. Either applies whole or
 * not at all: every day still booked after the change is cancelled (or moved), or the change is refused with each
 * day that stands in its way and why, so that no booking is left behind at a site or after an end its enrolment no
 * longer allows. What was billed stays billed: an invoice is corrected by a credit note, never by a booking change.
 */

export interface ChangeContext {
  now: Date;
  timeZone: TownTimeZone;
  /** Whether the agent may go past the families' cancellation deadline (`booking.override`). */
  mayOverride: boolean;
}

interface Enrolment {
  id: string;
  childId: string;
  childFirstName: string;
  schoolYear: string;
  siteId: string | null;
  endsOn: LocalDate | null;
  activity: Activity;
  span: EnrolmentSpan;
}

/** A booked day the change cancels or moves. */
export interface ChangedDay {
  bookingId: string;
  date: LocalDate;
  unitLabel: string;
  siteName: string;
  /** Cancelled past the deadline: the activity may bill it as a late cancellation. */
  late: boolean;
  billedAsLate: boolean;
  /** The invoice the day is already on (paid at booking): it stays due; a credit note corrects it if need be. */
  invoiceNumber: string | null;
}

/** A booked day that stands in the way of the change, and why. */
export interface BlockingDay {
  date: LocalDate;
  unitLabel: string;
  code: RefusalCode | 'WEEK_TWO_SITES';
  reason: string;
}

export interface ChangePlan {
  childFirstName: string;
  activityName: string;
  days: ChangedDay[];
  blocking: BlockingDay[];
}

const lastDayOfYear = (schoolYear: string): LocalDate => `${schoolYear.slice(5)}-08-31`;
const firstDayOfYear = (schoolYear: string): LocalDate => `${schoolYear.slice(0, 4)}-09-01`;

async function loadEnrolment(db: Kysely<Database>, enrolmentId: string): Promise<Enrolment> {
  const row = await db
    .selectFrom('enrolments')
    .innerJoin('children', 'children.id', 'enrolments.child_id')
    .select([
      'enrolments.id',
      'enrolments.child_id',
      'enrolments.activity_id',
      'enrolments.school_year',
      'enrolments.site_id',
      'enrolments.ends_on',
      'children.first_name',
    ])
    .where('enrolments.id', '=', enrolmentId)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'Inscription introuvable.', 'enrolmentId');
  const [activity, spans] = await Promise.all([
    loadActivity(db, row.activity_id),
    loadEnrolmentSpans(db, row.child_id, row.activity_id),
  ]);
  return {
    id: row.id,
    childId: row.child_id,
    childFirstName: row.first_name,
    schoolYear: row.school_year,
    siteId: row.site_id,
    endsOn: row.ends_on,
    activity,
    span: spans.find((s) => s.id === row.id) as EnrolmentSpan,
  };
}

/** The child's live bookings of the enrolment's year in the activity, from `from` on. */
async function bookingsFrom(db: Kysely<Database>, e: Enrolment, from: LocalDate) {
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('sites', 'sites.id', 'bookings.site_id')
    .leftJoin('billed_services', 'billed_services.booking_id', 'bookings.id')
    .leftJoin('invoice_lines', 'invoice_lines.id', 'billed_services.invoice_line_id')
    .leftJoin('invoices', 'invoices.id', 'invoice_lines.invoice_id')
    .select([
      'bookings.id',
      'bookings.date',
      'bookings.unit_id',
      'bookings.site_id',
      'bookings.attendance',
      'sites.name as site_name',
      'invoices.number as invoice_number',
    ])
    .where('bookings.child_id', '=', e.childId)
    .where('bookings.activity_id', '=', e.activity.id)
    .where('bookings.state', '=', 'booked')
    .where('bookings.date', '>=', from)
    .where('bookings.date', '<=', lastDayOfYear(e.schoolYear))
    .orderBy('bookings.date')
    .orderBy('bookings.unit_id')
    .execute();
  const unitLabel = (unitId: string) => e.activity.units.find((u) => u.id === unitId)?.label ?? '';
  return rows.map((r) => ({ ...r, unitLabel: unitLabel(r.unit_id) }));
}

/** What ending the enrolment with `lastDay` as the child's last day would cancel, and what stands in its way. */
export async function planEnrolmentEnd(
  db: Kysely<Database>,
  ctx: ChangeContext,
  input: { enrolmentId: string; lastDay: LocalDate; reason: string },
): Promise<ChangePlan> {
  const e = await loadEnrolment(db, input.enrolmentId);
  if (input.lastDay > lastDayOfYear(e.schoolYear))
    throw new DomainError(
      'VALIDATION',
      `Le dernier jour doit tomber dans l’année scolaire ${e.schoolYear} (au plus tard le ${formatLongDate(lastDayOfYear(e.schoolYear))}).`,
      'lastDay',
    );
  const alsaceMoselle = (await readSetting<boolean>(db, 'town.alsaceMoselle')) ?? false;
  const request = {
    origin: 'counter' as const,
    mayOverride: ctx.mayOverride,
    overrideReason: input.reason || null,
    now: ctx.now,
    timeZone: ctx.timeZone,
  };
  const days: ChangedDay[] = [];
  const blocking: BlockingDay[] = [];
  for (const b of await bookingsFrom(db, e, addDaysTo(input.lastDay, 1))) {
    const verdict = judgeCancellation(b.attendance, b.date, e.activity.settings, request, {
      alsaceMoselle,
      timeZone: ctx.timeZone,
    });
    if (!verdict.ok) {
      blocking.push({ date: b.date, unitLabel: b.unitLabel, code: verdict.code, reason: verdict.reason });
      continue;
    }
    days.push({
      bookingId: b.id,
      date: b.date,
      unitLabel: b.unitLabel,
      siteName: b.site_name,
      late: verdict.late,
      billedAsLate: verdict.billed,
      invoiceNumber: b.invoice_number,
    });
  }
  return { childFirstName: e.childFirstName, activityName: e.activity.name, days, blocking };
}

/** Ends the enrolment, cancelling every day booked after the last day; refused whole if one of them may not be. */
export async function endEnrolment(
  db: Kysely<Database>,
  ctx: ChangeContext & { agentId: string },
  input: { enrolmentId: string; lastDay: LocalDate; reason: string },
) {
  const plan = await planEnrolmentEnd(db, ctx, input);
  if (plan.blocking.length > 0)
    throw new DomainError(
      'CONFLICT',
      `Fin d’inscription de ${plan.childFirstName} à « ${plan.activityName} » après le ${formatLongDate(input.lastDay)} refusée : ${blockingWords(plan.blocking)}. Choisissez un dernier jour plus tardif, ou faites-la faire par un agent habilité.`,
      'lastDay',
    );
  const at = ctx.now.toISOString();
  for (const d of plan.days) {
    await db
      .updateTable('bookings')
      .set({
        state: 'cancelled',
        cancelled_at: at,
        cancelled_by: ctx.agentId,
        cancel_late: d.late ? 1 : 0,
        cancel_reason: d.late ? `fin d’inscription : ${input.reason}` : null,
      })
      .where('id', '=', d.bookingId)
      .execute();
  }
  await db
    .updateTable('enrolments')
    .set({ ends_on: input.lastDay, end_reason: input.reason, updated_at: at })
    .where('id', '=', input.enrolmentId)
    .execute();
  return {
    childFirstName: plan.childFirstName,
    activityName: plan.activityName,
    lastDay: input.lastDay,
    days: plan.days,
  };
}

/** What moving the enrolment to `siteId` from `fromDate` on would move, and what stands in its way. */
export async function planSiteChange(
  db: Kysely<Database>,
  input: { enrolmentId: string; siteId: string; fromDate: LocalDate },
): Promise<ChangePlan & { siteName: string; fromDate: LocalDate; previousSiteId: string | null }> {
  const e = await loadEnrolment(db, input.enrolmentId);
  const site = e.activity.sites.find((s) => s.id === input.siteId);
  if (!site) throw new DomainError('VALIDATION', `Ce site n’accueille pas « ${e.activity.name} ».`, 'siteId');
  const from = input.fromDate < firstDayOfYear(e.schoolYear) ? firstDayOfYear(e.schoolYear) : input.fromDate;
  if (input.fromDate > lastDayOfYear(e.schoolYear))
    throw new DomainError(
      'VALIDATION',
      `La date doit tomber dans l’année scolaire ${e.schoolYear} (au plus tard le ${formatLongDate(lastDayOfYear(e.schoolYear))}).`,
      'fromDate',
    );
  if (e.endsOn !== null && from > e.endsOn)
    throw new DomainError(
      'CONFLICT',
      `L’inscription de ${e.childFirstName} est terminée le ${formatLongDate(e.endsOn)} : aucun site à changer après.`,
      'fromDate',
    );
  const later = e.span.siteChanges.find((c) => c.fromDate > from);
  if (later)
    throw new DomainError(
      'CONFLICT',
      `Un changement de site est déjà enregistré à partir du ${formatLongDate(later.fromDate)} : changez de site à cette date ou après.`,
      'fromDate',
    );
  const previousSiteId = siteOn(e.span, addDaysTo(from, -1));
  if (previousSiteId === site.id && e.siteId === site.id)
    throw new DomainError('CONFLICT', `${e.childFirstName} est déjà inscrit(e) à ${site.name}.`, 'siteId');

  const live = await bookingsFrom(db, e, weekStartOf(from));
  const booked = live.filter((b) => b.date >= from && b.site_id !== site.id);
  // A holiday week stays at one site (000): a change in the middle of a booked week would split it.
  const splitWeek =
    e.activity.settings.wholeWeekOneSite &&
    live.some((b) => b.date < from && b.site_id !== site.id && weekStartOf(b.date) === weekStartOf(from));
  const days: ChangedDay[] = [];
  const blocking: BlockingDay[] = [];
  if (booked.length > 0) {
    const calendar = await loadOpeningCalendar(db, site.id);
    const unitIds = [...new Set(booked.map((b) => b.unit_id))];
    const slots = await loadSlots(db, site.id, unitIds, booked[0]!.date, booked.at(-1)!.date);
    for (const b of booked) {
      const unit = e.activity.units.find((u) => u.id === b.unit_id);
      const block = (code: BlockingDay['code'], reason: string) =>
        blocking.push({ date: b.date, unitLabel: b.unitLabel, code, reason });
      if (b.attendance !== null) {
        block('ATTENDANCE_TAKEN', 'présence déjà pointée');
        continue;
      }
      const closed = unit
        ? candidateDays({ kind: 'days', dates: [b.date] }, e.activity.settings, unit.weekdays, calendar)
            .skipped[0]
        : undefined;
      if (closed) {
        block('CLOSED', `${site.name} : ${closed.reason}`);
        continue;
      }
      if (splitWeek && weekStartOf(b.date) === weekStartOf(from)) {
        block(
          'WEEK_TWO_SITES',
          `la semaine du ${formatShortDate(weekStartOf(from))} serait sur deux sites : changez de site à partir du lundi`,
        );
        continue;
      }
      const key = `${b.unit_id}|${b.date}`;
      const places = slots.placesFor(b.unit_id, b.date);
      const taken = slots.taken.get(key) ?? 0;
      if (places !== null && taken >= places) {
        block('FULL', `${site.name} complet (${places} place${places > 1 ? 's' : ''})`);
        continue;
      }
      slots.taken.set(key, taken + 1);
      days.push({
        bookingId: b.id,
        date: b.date,
        unitLabel: b.unitLabel,
        siteName: b.site_name,
        late: false,
        billedAsLate: false,
        invoiceNumber: b.invoice_number,
      });
    }
  }
  return {
    childFirstName: e.childFirstName,
    activityName: e.activity.name,
    siteName: site.name,
    fromDate: from,
    previousSiteId,
    days,
    blocking,
  };
}

/** Moves the enrolment to another site from a day on, with every day booked from then; refused whole otherwise. */
export async function changeEnrolmentSite(
  db: Kysely<Database>,
  ctx: { now: Date; agentId: string; newId: () => string },
  input: { enrolmentId: string; siteId: string; fromDate: LocalDate; reason: string },
) {
  const plan = await planSiteChange(db, input);
  if (plan.blocking.length > 0)
    throw new DomainError(
      'CONFLICT',
      `Changement de site de ${plan.childFirstName} pour ${plan.siteName} à partir du ${formatLongDate(plan.fromDate)} refusé : ${blockingWords(plan.blocking)}. Annulez ces jours d’abord, ou choisissez une autre date.`,
      'fromDate',
    );
  const at = ctx.now.toISOString();
  if (plan.days.length > 0)
    await db
      .updateTable('bookings')
      .set({ site_id: input.siteId })
      .where(
        'id',
        'in',
        plan.days.map((d) => d.bookingId),
      )
      .execute();
  await db
    .insertInto('enrolment_site_changes')
    .values({
      id: ctx.newId(),
      enrolment_id: input.enrolmentId,
      from_date: plan.fromDate,
      site_id: input.siteId,
      previous_site_id: plan.previousSiteId,
      reason: input.reason,
      changed_at: at,
      agent_id: ctx.agentId,
    })
    .execute();
  await db
    .updateTable('enrolments')
    .set({ site_id: input.siteId, updated_at: at })
    .where('id', '=', input.enrolmentId)
    .execute();
  return {
    childFirstName: plan.childFirstName,
    activityName: plan.activityName,
    siteName: plan.siteName,
    fromDate: plan.fromDate,
    days: plan.days,
  };
}

function blockingWords(days: readonly BlockingDay[]): string {
  return days.map((d) => `${formatShortDate(d.date)} ${d.unitLabel.toLowerCase()} (${d.reason})`).join(', ');
}
