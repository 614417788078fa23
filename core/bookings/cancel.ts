import type { Kysely } from 'kysely';
import type { CommandContext } from '../api/operation.ts';
import { closedMessage, deadlineFor, isPast } from '../calendar/deadlines.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import type { Database } from '../db/schema.ts';
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
    const live = await db
      .selectFrom('bookings')
      .select(['id', 'date', 'attendance'])
      .where('child_id', '=', ctx.child.id)
      .where('unit_id', '=', unit.id)
      .where('state', '=', 'booked')
      .where('date', 'in', days.open)
      .execute();
    const byDate = new Map(live.map((b) => [b.date, b]));
    for (const date of days.open) {
      const booking = byDate.get(date);
      if (!booking) {
        // Asking for a whole period cancels what is booked in it; only an explicit day is worth a refusal line.
        if (req.selection.kind === 'days') refuse(date, 'NOT_BOOKED', 'aucune réservation ce jour-là');
        continue;
      }
      if (booking.attendance !== null) {
        refuse(date, 'ATTENDANCE_TAKEN', 'présence déjà pointée');
        continue;
      }
      const deadline = deadlineFor(settings.cancelDeadline, date, holiday);
      const late = isPast(deadline, req.now);
      if (late && req.origin === 'portal') {
        refuse(date, 'DEADLINE_PASSED', closedMessage(deadline, req.timeZone, 'cancel'));
        continue;
      }
      if (late && !req.mayOverride) {
        refuse(
          date,
          'OVERRIDE_FORBIDDEN',
          `${closedMessage(deadline, req.timeZone, 'cancel')} : ${OVERRIDE_FORBIDDEN}`,
        );
        continue;
      }
      if (late && !req.overrideReason) {
        refuse(
          date,
          'REASON_REQUIRED',
          `${closedMessage(deadline, req.timeZone, 'cancel')} : indiquez un motif pour annuler hors délai`,
        );
        continue;
      }
      accepted.push({
        bookingId: booking.id,
        date,
        unitCode: unit.code,
        unitLabel: unit.label,
        late,
        billed: late && settings.lateCancellationBilled,
      });
    }
  }
  accepted.sort((a, b) => a.date.localeCompare(b.date));
  refused.sort((a, b) => a.date.localeCompare(b.date));
  return { accepted, refused };
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
    await db
      .updateTable('bookings')
      .set({
        state: 'cancelled',
        cancelled_at: at,
        cancelled_by: actor.agentId,
        cancel_late: c.late ? 1 : 0,
        cancel_reason: c.late ? input.overrideReason : null,
      })
      .where('id', '=', c.bookingId)
      .execute();
  }
  return plan;
}
