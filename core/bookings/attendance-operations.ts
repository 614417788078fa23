import { z } from 'zod';
import { loadActivities, loadActivity, loadOpeningCalendar } from '../activities/config.ts';
import { UNIT_CODES } from '../activities/settings.ts';
import { DomainError } from '../api/envelope.ts';
import { id, isoDate } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { signedInMay } from '../auth/authorize.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { addDaysTo, isCalendarDay, type LocalDate } from '../calendar/local-date.ts';
import { pdfFile } from '../pdf/file.ts';
import { townDate, townTimeZone } from '../time.ts';
import { renderAttendanceSheetPdf, type SheetSection } from './attendance-pdf.ts';
import { attendanceRefusal, type AttendanceRefusal } from './attendance-rules.ts';
import { attendanceSheet, sheetWithHealth } from './attendance-sheet.ts';
import { loadBookingContext } from './context.ts';
import { enrolmentSpansOf } from './enrolment-span.ts';
import { mealCounts } from './meal-counts.ts';
import { renderMealCountsPdf } from './meal-counts-pdf.ts';

const ATTENDANCE = ['present', 'absent_justified', 'absent_unjustified'] as const;

// Without a message of its own, a wrong unit is answered with the units' French names (core/api/labels.ts).
const sheetInput = z.object({
  activityId: id(),
  siteId: id(),
  unitCode: z.enum(UNIT_CODES),
  date: isoDate(),
});

/** The kitchen looks a few days ahead; a month at most keeps a sheet readable. */
const MAX_MEAL_DAYS = 31;
const mealsInput = z
  .object({ from: isoDate(), to: isoDate(), siteId: id().optional() })
  .refine((r) => r.from <= r.to, { message: 'la fin précède le début', path: ['to'] })
  // zod runs an object's refinements even when a field failed: a date already refused is not stepped.
  .refine((r) => !isCalendarDay(r.from) || r.to <= addDaysTo(r.from, MAX_MEAL_DAYS - 1), {
    message: `${MAX_MEAL_DAYS} jours au plus`,
    path: ['to'],
  });

/**
 * Attendance at a site: the day's sheet on screen and on paper, each child marked one by one or all present at
 * once; and the kitchen's meal counts.
 */
export const attendanceOperations = {
  'attendance.sheet': query({
    permission: 'attendance',
    label: 'Feuille de présence',
    input: sheetInput,
    run: ({ db }, input) => attendanceSheet(db, input),
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

  /**
   * « Tous présents »: marks present every child still unmarked on the sheet, leaves those already marked as they
   * are, and skips, saying why, each child the attendance rules refuse (an enrolment ended or pending, another
   * site). The day itself refused (closed, not come yet) refuses the whole. The children are fixed where the
   * sheet was seen, so that the server marks those and not a child booked meanwhile elsewhere.
   */
  'attendance.markAllPresent': command({
    permission: 'attendance',
    sync: 'request',
    label: 'Pointage « tous présents »',
    input: sheetInput.extend({ childIds: z.array(id()).max(2_000).optional() }),
    async prepare(input, { db }) {
      if (input.childIds) return { ...input, childIds: input.childIds };
      const sheet = await attendanceSheet(db, input);
      return {
        ...input,
        // All of the sheet, marked or not: the answer then says how many were already marked.
        childIds: sheet.children.map((c) => c.childId),
      };
    },
    async run({ db, now }, input) {
      const activity = await loadActivity(db, input.activityId);
      const unit = activity.units.find((u) => u.code === input.unitCode);
      if (!unit) throw new DomainError('VALIDATION', `« ${activity.name} » n’a pas cette unité.`, 'unitCode');
      const site = activity.sites.find((s) => s.id === input.siteId);
      if (!site)
        throw new DomainError('VALIDATION', `Le site choisi n’accueille pas « ${activity.name} ».`, 'siteId');
      const today = townDate(now, await townTimeZone(db));
      const [calendar, bookings] = await Promise.all([
        loadOpeningCalendar(db, site.id),
        input.childIds.length === 0
          ? []
          : db
              .selectFrom('bookings')
              .innerJoin('children', 'children.id', 'bookings.child_id')
              .select([
                'bookings.id',
                'bookings.child_id',
                'bookings.attendance',
                'children.household_id',
                'children.first_name',
                'children.last_name',
              ])
              .where('bookings.child_id', 'in', input.childIds)
              .where('bookings.unit_id', '=', unit.id)
              .where('bookings.site_id', '=', site.id)
              .where('bookings.date', '=', input.date)
              .where('bookings.state', '=', 'booked')
              .execute(),
      ]);
      const spans = await enrolmentSpansOf(
        db,
        bookings.map((b) => b.child_id),
        activity.id,
      );
      const marked: string[] = [];
      const skipped: { childId: string; name: string; message: string }[] = [];
      let alreadyMarked = 0;
      for (const b of bookings) {
        if (b.attendance !== null) {
          alreadyMarked += 1;
          continue;
        }
        const refusal: AttendanceRefusal | null = attendanceRefusal(
          {
            activity,
            site,
            calendar,
            child: {
              id: b.child_id,
              householdId: b.household_id,
              firstName: b.first_name,
              lastName: b.last_name,
            },
            enrolments: spans.get(b.child_id) ?? [],
          },
          unit,
          input.date,
          today,
        );
        // The day is refused for every child alike: nothing is marked, and the sheet says why once.
        if (refusal && refusal.field === 'date')
          throw new DomainError(refusal.error, refusal.message, 'date');
        if (refusal) {
          skipped.push({
            childId: b.child_id,
            name: `${b.first_name} ${b.last_name}`,
            message: refusal.message,
          });
          continue;
        }
        marked.push(b.id);
      }
      if (marked.length > 0)
        await db.updateTable('bookings').set({ attendance: 'present' }).where('id', 'in', marked).execute();
      return { marked: marked.length, alreadyMarked, skipped };
    },
  }),

  /**
   * The printed sheet of a site and day: one activity and unit, all the units of one activity, or every activity
   * booked there that day. A role that may read health data gets each child's allergies and protocol on it, and each
   * child whose fiche is printed counts as read (logged); any other gets the marks alone. A command, not a query,
   * for that log: it stays on this PC, as every read of a fiche does.
   */
  'attendance.sheetPdf': command({
    permission: 'attendance',
    sync: 'local',
    label: 'Feuille de présence (PDF)',
    input: z.object({
      siteId: id(),
      date: isoDate(),
      activityId: id().optional(),
      unitCode: z.enum(UNIT_CODES).optional(),
    }),
    async run({ db, now, actor, session, newId }, input) {
      const activities = (await loadActivities(db)).filter(
        (a) =>
          (input.activityId ? a.id === input.activityId : true) && a.sites.some((s) => s.id === input.siteId),
      );
      if (input.activityId && activities.length === 0)
        throw new DomainError('VALIDATION', 'Ce site n’accueille pas cette activité.', 'siteId');
      const site = await db
        .selectFrom('sites')
        .select('name')
        .where('id', '=', input.siteId)
        .executeTakeFirst();
      if (!site) throw new DomainError('NOT_FOUND', 'Site introuvable.', 'siteId');
      const withDetails = signedInMay(session, now, 'health');
      const sections: SheetSection[] = [];
      const details = new Map();
      for (const activity of activities) {
        for (const unit of activity.units) {
          if (input.unitCode && unit.code !== input.unitCode) continue;
          const { sheet, details: fiches } = await sheetWithHealth(db, {
            activityId: activity.id,
            siteId: input.siteId,
            unitCode: unit.code,
            date: input.date as LocalDate,
          });
          // Asked for by name, a unit prints even empty; otherwise only what is booked that day.
          if (sheet.children.length === 0 && !(input.activityId && input.unitCode)) continue;
          sections.push({ activityName: activity.name, sheet });
          for (const [childId, fiche] of fiches) details.set(childId, fiche);
        }
      }
      if (input.unitCode && sections.length === 0)
        throw new DomainError('VALIDATION', 'Cette activité n’a pas cette unité.', 'unitCode');
      if (withDetails && details.size > 0) {
        const at = now.toISOString();
        await db
          .insertInto('health_reads')
          .values(
            [...details.keys()].map((childId) => ({
              id: newId(),
              child_id: childId,
              agent_id: actor.agentId,
              at,
            })),
          )
          .execute();
      }
      const bytes = await renderAttendanceSheetPdf(
        {
          siteName: site.name,
          date: input.date,
          sections,
          details: withDetails ? details : null,
          printedAt: now,
          printedBy: actor.agentName,
        },
        await loadIssuer(db),
      );
      return pdfFile(`presences-${input.date}.pdf`, bytes);
    },
  }),

  /** The kitchen's meals, site by site and day by day, with the special meals and PAI: numbers, no names. */
  'meals.counts': query({
    permission: 'family.read',
    label: 'Effectifs des repas',
    input: mealsInput,
    run: ({ db }, input) => mealCounts(db, input),
  }),

  'meals.countsPdf': query({
    permission: 'family.read',
    label: 'Effectifs des repas (PDF)',
    input: mealsInput,
    async run({ db, now }, input) {
      const [days, issuer, site] = await Promise.all([
        mealCounts(db, input),
        loadIssuer(db),
        input.siteId
          ? db.selectFrom('sites').select('name').where('id', '=', input.siteId).executeTakeFirst()
          : undefined,
      ]);
      if (input.siteId && !site) throw new DomainError('NOT_FOUND', 'Site introuvable.', 'siteId');
      return pdfFile(
        `repas-${input.from}-${input.to}.pdf`,
        await renderMealCountsPdf(days, { ...input, siteName: site?.name ?? null }, issuer, now),
      );
    },
  }),
};
