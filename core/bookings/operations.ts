import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { loadActivities } from '../activities/config.ts';
import { missingDocuments, requiredDocuments, validatePendingEnrolments } from '../activities/enrolment.ts';
import { UNIT_CODES } from '../activities/settings.ts';
import { DomainError } from '../api/envelope.ts';
import { invoiceBookingsAtBooking, invoiceEnrolment } from '../billing/at-booking.ts';
import { bool, id, isoDate, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { describeDeadline } from '../calendar/deadlines.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { cancelBookings } from './cancel.ts';
import { loadBookingContext } from './context.ts';
import { mayOverride } from './may-override.ts';
import { planBooking } from './plan.ts';
import { refusedDays } from './refused-days.ts';
import { requestInput } from './request.ts';
import { bookingGrid } from './grid.ts';
import { attendanceSheet } from './attendance-sheet.ts';
import { attendanceRefusal } from './attendance-rules.ts';

const schoolYear = () =>
  z.string().regex(/^\d{4}-\d{4}$/, { message: 'année scolaire invalide (aaaa-aaaa)' });

const ATTENDANCE = ['present', 'absent_justified', 'absent_unjustified'] as const;

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

  'enrolment.checkDocument': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Pièce du dossier',
    input: z.object({ householdId: id(), schoolYear: schoolYear(), item: requiredText(40), checked: bool() }),
    async run({ db, now, actor }, input) {
      const at = now.toISOString();
      const known = await requiredDocuments(db);
      if (!known.some((d) => d.code === input.item))
        throw new DomainError('VALIDATION', 'Pièce inconnue.', 'item');
      const household = await db
        .selectFrom('households')
        .select('id')
        .where('id', '=', input.householdId)
        .executeTakeFirst();
      if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
      if (input.checked) {
        await db
          .insertInto('file_checks')
          .values({
            household_id: input.householdId,
            school_year: input.schoolYear,
            item: input.item,
            checked_at: at,
            agent_id: actor.agentId,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      } else {
        await db
          .deleteFrom('file_checks')
          .where('household_id', '=', input.householdId)
          .where('school_year', '=', input.schoolYear)
          .where('item', '=', input.item)
          .execute();
      }
      const validated = await validatePendingEnrolments(db, input.householdId, input.schoolYear, at);
      return {
        missing: await missingDocuments(db, input.householdId, input.schoolYear),
        validatedEnrolments: validated,
      };
    },
  }),

  'enrolment.enrol': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Inscription',
    input: z.object({
      enrolmentId: id().optional(),
      childId: id(),
      activityId: id(),
      schoolYear: schoolYear(),
      siteId: id().nullable().default(null),
      groupId: id().nullable().default(null),
    }),
    prepare: (input, ctx) => ({ ...input, enrolmentId: input.enrolmentId ?? ctx.newId() }),
    async run({ db, now, actor, newId }, input) {
      const at = now.toISOString();
      const child = await db
        .selectFrom('children')
        .select(['household_id', 'first_name'])
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
      const activity = (await loadActivities(db)).find((a) => a.id === input.activityId);
      if (!activity) throw new DomainError('NOT_FOUND', 'Activité introuvable.', 'activityId');
      if (input.siteId !== null && !activity.sites.some((s) => s.id === input.siteId)) {
        throw new DomainError('VALIDATION', `Ce site n’accueille pas « ${activity.name} ».`, 'siteId');
      }
      if (
        activity.groups.length > 0 &&
        activity.settings.granularity === 'enrolment' &&
        input.groupId === null
      ) {
        throw new DomainError('VALIDATION', `« ${activity.name} » demande un groupe.`, 'groupId');
      }
      if (input.groupId !== null && !activity.groups.some((g) => g.id === input.groupId)) {
        throw new DomainError('VALIDATION', 'Groupe inconnu pour cette activité.', 'groupId');
      }
      const existing = await db
        .selectFrom('enrolments')
        .select('id')
        .where('child_id', '=', input.childId)
        .where('activity_id', '=', input.activityId)
        .where('school_year', '=', input.schoolYear)
        .executeTakeFirst();
      if (existing)
        throw new DomainError(
          'CONFLICT',
          `${child.first_name} est déjà inscrit(e) à « ${activity.name} » pour ${input.schoolYear}.`,
          'activityId',
        );
      const missing = await missingDocuments(db, child.household_id, input.schoolYear);
      const status = missing.length === 0 ? 'validated' : 'pending';
      await db
        .insertInto('enrolments')
        .values({
          id: input.enrolmentId,
          child_id: input.childId,
          activity_id: input.activityId,
          school_year: input.schoolYear,
          site_id: input.siteId,
          group_id: input.groupId,
          status,
          created_at: at,
          updated_at: at,
        })
        .execute();
      // Paid at enrolment (sports school, 004): the invoice is issued with the enrolment, in its transaction.
      const invoice = await invoiceEnrolment(db, input.enrolmentId, {
        actor,
        now,
        newId,
        timeZone: await townTimeZone(db),
      });
      return { enrolmentId: input.enrolmentId, status, missing, invoice };
    },
  }),

  'enrolment.list': query({
    permission: 'family.read',
    label: 'Inscriptions d’un foyer',
    input: z.object({ householdId: id() }),
    async run({ db, now }, input) {
      const year = schoolYearOf(townDate(now, await townTimeZone(db)));
      const rows = await db
        .selectFrom('enrolments')
        .innerJoin('children', 'children.id', 'enrolments.child_id')
        .innerJoin('activities', 'activities.id', 'enrolments.activity_id')
        .leftJoin('sites', 'sites.id', 'enrolments.site_id')
        .leftJoin('groups', 'groups.id', 'enrolments.group_id')
        .select([
          'enrolments.id',
          'enrolments.child_id as childId',
          'children.first_name as childFirstName',
          'enrolments.activity_id as activityId',
          'activities.name as activityName',
          'enrolments.school_year as schoolYear',
          'enrolments.site_id as siteId',
          'sites.name as siteName',
          'groups.name as groupName',
          'enrolments.status',
        ])
        .where('children.household_id', '=', input.householdId)
        .orderBy('enrolments.school_year', 'desc')
        .orderBy('children.birth_date')
        .orderBy('activities.sort')
        .execute();
      const years = [...new Set([year, ...rows.map((r) => r.schoolYear)])].sort().reverse();
      const files = await Promise.all(
        years.map(async (y) => ({
          schoolYear: y,
          required: await requiredDocuments(db),
          missing: await missingDocuments(db, input.householdId, y),
        })),
      );
      return { currentSchoolYear: year, enrolments: rows, files };
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
      if (plan.accepted.length) {
        await db
          .insertInto('bookings')
          .values(
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
          )
          .execute();
      }
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

  'attendance.mark': command({
    permission: 'attendance',
    sync: 'request',
    label: 'Pointage',
    input: z.object({
      childId: id(),
      activityId: id(),
      siteId: id(),
      unitCode: z.enum(UNIT_CODES, { message: 'unité inconnue' }),
      date: isoDate(),
      status: z.enum(ATTENDANCE, { message: 'présent, absent justifié ou absent non justifié' }).nullable(),
    }),
    async run({ db, now, actor, newId }, input) {
      const ctx = await loadBookingContext(db, input.childId, input.activityId, input.siteId);
      const unit = ctx.activity.units.find((u) => u.code === input.unitCode);
      if (!unit)
        throw new DomainError('VALIDATION', `« ${ctx.activity.name} » n’a pas cette unité.`, 'unitCode');
      // Clearing a mark stays possible whatever the day: it is how a mark noted by mistake is taken back.
      if (input.status !== null) {
        const refusal = attendanceRefusal(ctx, unit, input.date, townDate(now, await townTimeZone(db)));
        if (refusal) throw new DomainError(refusal.error, refusal.message, refusal.field);
      }
      const booking = await db
        .selectFrom('bookings')
        .select(['id', 'unbooked'])
        .where('child_id', '=', input.childId)
        .where('unit_id', '=', unit.id)
        .where('date', '=', input.date)
        .where('state', '=', 'booked')
        .executeTakeFirst();
      if (booking) {
        if (booking.unbooked === 1 && input.status !== 'present') {
          // A presence without booking that did not happen is withdrawn, not turned into an absence.
          await db.deleteFrom('bookings').where('id', '=', booking.id).execute();
          return { bookingId: null, unbooked: false };
        }
        await db
          .updateTable('bookings')
          .set({ attendance: input.status })
          .where('id', '=', booking.id)
          .execute();
        return { bookingId: booking.id, unbooked: booking.unbooked === 1 };
      }
      if (input.status !== 'present') {
        throw new DomainError(
          'CONFLICT',
          `${ctx.child.firstName} n’a pas de réservation ce jour-là : seule une présence peut être notée.`,
          'status',
        );
      }
      // Present without a booking: the billable record, with the penalty the activity sets (000).
      const bookingId = newId();
      await db
        .insertInto('bookings')
        .values({
          id: bookingId,
          child_id: ctx.child.id,
          household_id: ctx.child.householdId,
          activity_id: ctx.activity.id,
          unit_id: unit.id,
          site_id: ctx.site.id,
          date: input.date,
          state: 'booked',
          origin: 'counter',
          unbooked: 1,
          booked_at: now.toISOString(),
          booked_by: actor.agentId,
          attendance: 'present',
        })
        .execute();
      return { bookingId, unbooked: true };
    },
  }),

  'booking.grid': query({
    permission: 'family.read',
    label: 'Grille de réservations',
    input: z
      .object({ childId: id(), activityId: id(), siteId: id(), from: isoDate(), to: isoDate() })
      .refine((r) => r.from <= r.to, { message: 'la fin précède le début', path: ['to'] }),
    run: async ({ db, now }, input) => bookingGrid(db, input, now, await townTimeZone(db)),
  }),

  'attendance.sheet': query({
    permission: 'attendance',
    label: 'Feuille de présence',
    input: z.object({ activityId: id(), siteId: id(), unitCode: z.enum(UNIT_CODES), date: isoDate() }),
    run: ({ db }, input) => attendanceSheet(db, input),
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
