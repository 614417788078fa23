import type { Kysely, Selectable } from 'kysely';
import type { ActivitySettings } from '../activities/settings.ts';
import type { CommandContext } from '../api/operation.ts';
import { closedMessage, deadlineFor, isPast, type DeadlineOptions } from '../calendar/deadlines.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import { rows } from '../db/fast-sql.ts';
import type { BookingsTable, Database } from '../db/schema.ts';
import { townTimeZone } from '../time.ts';
import { loadBookingContext, type BookingContext } from './context.ts';
import { mayOverride } from './may-override.ts';
import { OVERRIDE_FORBIDDEN, unitsOf, type PlanRequest, type RefusedDay, type RefusalCode } from './plan.ts';
import type { BookingRequest } from './request.ts';
import { candidateDays } from './selection.ts';

export interface PlannedCancellation {
  bookingId: string;
  date: LocalDate;
  unitCode: string;
  unitLabel: string;
  /** Past the cancellation deadline: done by staff with a reason, and billed if the activity says so. */
  late: boolean;
  billed: boolean;
}

export interface CancelPlan {
  accepted: PlannedCancellation[];
  refused: RefusedDay[];
}

/** Decides, day by day, which live bookings a cancellation request may cancel, and which it may not and why. */
export async function planCancellation(
  db: Kysely<Database>,
  ctx: BookingContext,
  req: PlanRequest,
): Promise<CancelPlan> {
  const units = unitsOf(ctx, req.unitCodes);
  const settings = ctx.activity.settings;
  const accepted: PlannedCancellation[] = [];
  const refused: RefusedDay[] = [];
  const holiday = {
    alsaceMoselle: ctx.calendar.alsaceMoselle ?? false,
    periodStart: req.selection.kind === 'week' ? req.selection.weekStart : undefined,
    timeZone: req.timeZone,
  };
  for (const unit of units) {
    const days = candidateDays(req.selection, settings, unit.weekdays, ctx.calendar);
    const refuse = (date: LocalDate, code: RefusalCode, reason: string) =>
      refused.push({ date, unitCode: unit.code, unitLabel: unit.label, code, reason });
    if (days.open.length === 0) continue;
    // Fixed texts (core/db/fast-sql.ts), one per number of days: a push runs hundreds of cancellations.
    const live = await rows<Pick<Selectable<BookingsTable>, 'id' | 'date' | 'attendance'>>(
      db,
      `SELECT id, "date", attendance FROM bookings
       WHERE child_id = ? AND unit_id = ? AND state = 'booked' AND "date" IN (${days.open.map(() => '?').join(', ')})`,
      [ctx.child.id, unit.id, ...days.open],
    );
    const byDate = new Map(live.map((b) => [b.date, b]));
    for (const date of days.open) {
      const booking = byDate.get(date);
      if (!booking) {
        // Asking for a whole period cancels what is booked in it; only an explicit day is worth a refusal line.
        if (req.selection.kind === 'days') refuse(date, 'NOT_BOOKED', 'aucune réservation ce jour-là');
        continue;
      }
      const verdict = judgeCancellation(booking.attendance, date, settings, req, holiday);
      if (!verdict.ok) {
        refuse(date, verdict.code, verdict.reason);
        continue;
      }
      accepted.push({
        bookingId: booking.id,
        date,
        unitCode: unit.code,
        unitLabel: unit.label,
        late: verdict.late,
        billed: verdict.billed,
      });
    }
  }
  accepted.sort((a, b) => a.date.localeCompare(b.date));
  refused.sort((a, b) => a.date.localeCompare(b.date));
  return { accepted, refused };
}

export type CancelVerdict =
  { ok: true; late: boolean; billed: boolean } | { ok: false; code: RefusalCode; reason: string };

/**
 * Whether one live booking may be cancelled: not once its attendance is noted; past the cancellation deadline only
 * by staff who may go past it, with a reason, and then billed if the activity bills late cancellations. The rule of
 * a cancellation request, and of an enrolment ended with days still booked after it (./enrolment-changes.ts).
 */
export function judgeCancellation(
  attendance: string | null,
  date: LocalDate,
  settings: ActivitySettings,
  req: Pick<PlanRequest, 'origin' | 'mayOverride' | 'overrideReason' | 'now' | 'timeZone'>,
  holiday: DeadlineOptions,
): CancelVerdict {
  if (attendance !== null) return { ok: false, code: 'ATTENDANCE_TAKEN', reason: 'présence déjà pointée' };
  const deadline = deadlineFor(settings.cancelDeadline, date, holiday);
  const late = isPast(deadline, req.now);
  if (late && req.origin === 'portal')
    return { ok: false, code: 'DEADLINE_PASSED', reason: closedMessage(deadline, req.timeZone, 'cancel') };
  if (late && !req.mayOverride)
    return {
      ok: false,
      code: 'OVERRIDE_FORBIDDEN',
      reason: `${closedMessage(deadline, req.timeZone, 'cancel')} : ${OVERRIDE_FORBIDDEN}`,
    };
  if (late && !req.overrideReason)
    return {
      ok: false,
      code: 'REASON_REQUIRED',
      reason: `${closedMessage(deadline, req.timeZone, 'cancel')} : indiquez un motif pour annuler hors délai`,
    };
  return { ok: true, late, billed: late && settings.lateCancellationBilled };
}

/**
 * Cancels what the rules let cancel, day by day, and says what they refused and why: `booking.cancel`, and a
 * family's cancellation request accepted at the counter (core/requests/answer.ts).
 */
export async function cancelBookings(op: CommandContext, input: BookingRequest): Promise<CancelPlan> {
  const { db, now, actor } = op;
  const ctx = await loadBookingContext(db, input.childId, input.activityId, input.siteId);
  const plan = await planCancellation(db, ctx, {
    ...input,
    now,
    timeZone: await townTimeZone(db),
    mayOverride: mayOverride(op),
  });
  const at = now.toISOString();
  for (const c of plan.accepted) {
    await rows<never>(
      db,
      `UPDATE bookings SET state = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_late = ?, cancel_reason = ?
       WHERE id = ?`,
      [at, actor.agentId, c.late ? 1 : 0, c.late ? input.overrideReason : null, c.bookingId],
    );
  }
  return plan;
}
