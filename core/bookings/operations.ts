import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { loadActivities } from '../activities/config.ts';
import { DomainError } from '../api/envelope.ts';
import { invoiceBookingsAtBooking } from '../billing/at-booking.ts';
import { id, isoDate } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { describeDeadline } from '../calendar/deadlines.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { townTimeZone } from '../time.ts';
import { cancelBookings } from './cancel.ts';
import { loadBookingContext } from './context.ts';
import { mayOverride } from './may-override.ts';
import { insertBookings, planBooking } from './plan.ts';
import { refusedDays } from './refused-days.ts';
import { requestInput } from './request.ts';
import { bookingGrid } from './grid.ts';

export const bookingOperations = {
  'activities.list': query({
    permission: 'family.read',
    label: 'Liste des activités',
    input: z.object({}),
    async run({ db }) {
      const activities = await loadActivities(db);
      return activities.map((a) => ({
        ...a,
        deadlines: {
          booking: describeDeadline(a.settings.bookingDeadline),
          cancel: describeDeadline(a.settings.cancelDeadline),
        },
      }));
    },
  }),

  'booking.preview': query({
    permission: 'family.read',
    label: 'Aperçu d’une réservation',
    input: requestInput,
    async run(op, input) {
      const ctx = await loadBookingContext(op.db, input.childId, input.activityId, input.siteId);
      return planBooking(op.db, ctx, {
        ...input,
        now: op.now,
        timeZone: await townTimeZone(op.db),
        mayOverride: mayOverride(op),
      });
    },
  }),

  'booking.book': command({
    permission: 'booking.write',
    sync: 'request',
    label: 'Réservation',
    input: requestInput,
    partial: refusedDays('booked'),
    async run(op, input) {
      const { db, now, actor, newId, replay } = op;
      const ctx = await loadBookingContext(db, input.childId, input.activityId, input.siteId);
      if (ctx.activity.settings.payment === 'atBooking' && !replay) await requireServerForPaidPlaces(db);
      const timeZone = await townTimeZone(db);
      const plan = await planBooking(db, ctx, { ...input, now, timeZone, mayOverride: mayOverride(op) });
      const at = now.toISOString();
      const bookingIds = plan.accepted.map(() => newId());
      await insertBookings(
        db,
        plan.accepted.map((d, i) => ({
          id: bookingIds[i] as string,
          child_id: ctx.child.id,
          household_id: ctx.child.householdId,
          activity_id: ctx.activity.id,
          unit_id: d.unitId,
          site_id: ctx.site.id,
          date: d.date,
          state: 'booked' as const,
          origin: input.origin,
          late: d.late ? 1 : 0,
          late_reason: d.late ? input.overrideReason : null,
          booked_at: at,
          booked_by: actor.agentId,
        })),
      );
      // Paid at booking (holiday centre, 000/004): invoiced now, in the booking's transaction, or not booked at all.
      const invoice =
        ctx.activity.settings.payment === 'atBooking'
          ? await invoiceBookingsAtBooking(db, bookingIds, { actor, now, newId, timeZone })
          : null;
      return { ...plan, invoice };
    },
  }),

  'booking.cancel': command({
    permission: 'booking.write',
    sync: 'request',
    label: 'Annulation',
    input: requestInput,
    partial: refusedDays('cancelled'),
    run: cancelBookings,
  }),

  'booking.grid': query({
    permission: 'family.read',
    label: 'Grille de réservations',
    input: z
      .object({ childId: id(), activityId: id(), siteId: id(), from: isoDate(), to: isoDate() })
      .refine((r) => r.from <= r.to, { message: 'la fin précède le début', path: ['to'] }),
    run: async ({ db, now }, input) => bookingGrid(db, input, now, await townTimeZone(db)),
  }),
};

/**
 * A place paid at booking is invoiced and paid on the spot: a counter PC connected to the central server takes it
 * only while the server answers, since only the server can tell that the place is still free. Offline, the invoice
 * and receipt handed to the family could name a place the server then gives to another child.
 */
async function requireServerForPaidPlaces(db: Kysely<Database>): Promise<void> {
  if (!(await readSetting(db, 'sync.serverUrl'))) return;
  const state = await sql<{ online: number }>`SELECT online FROM sync_state WHERE id = 1`.execute(db);
  if (state.rows[0]?.online === 1) return;
  throw new DomainError(
    'CONFLICT',
    'Poste hors ligne : une réservation payable à l’inscription (centre de loisirs) attend le serveur central, seul à savoir si la place est libre. Réessayez dès que le poste est en ligne, ou faites-la sur un autre poste.',
  );
}
