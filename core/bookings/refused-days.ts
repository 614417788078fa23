import { z } from 'zod';
import type { PartialRefusal } from '../api/operation.ts';
import { formatShortDate } from '../billing/format.ts';
import type { RefusedDay } from './plan.ts';

/** A day the central server refused in a booking or a cancellation, as it travels back to the counter. */
const refusedDay = z.object({ date: z.string(), unitCode: z.string(), code: z.string(), reason: z.string() });
type RefusedDayBack = z.output<typeof refusedDay>;

/**
 * How the server's refusal of some days of a booking or cancellation comes back: the plan's refused days; on the
 * counter, only those it had itself booked (or cancelled) are to settle — it told the family so — and the list says
 * them by date, with the server's reason.
 */
export const refusedDays = (
  wanted: 'booked' | 'cancelled',
): PartialRefusal<{ childId: string; activityId: string }, { refused: RefusedDay[] }, RefusedDayBack> => ({
  part: refusedDay,
  refused: (plan) =>
    plan.refused.map(({ date, unitCode, code, reason }) => ({ date, unitCode, code, reason })),
  async hadLocally(db, input, day) {
    const row = await db
      .selectFrom('bookings')
      .innerJoin('units', 'units.id', 'bookings.unit_id')
      .select('bookings.id')
      .where('bookings.child_id', '=', input.childId)
      .where('bookings.activity_id', '=', input.activityId)
      .where('units.code', '=', day.unitCode)
      .where('bookings.date', '=', day.date)
      .where('bookings.state', '=', wanted)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },
  message: (days) =>
    `Refusé par le serveur : ${days.map((d) => `${formatShortDate(d.date)} (${d.reason})`).join(', ')}.`,
});
