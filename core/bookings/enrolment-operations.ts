import { z } from 'zod';
import { loadActivities } from '../activities/config.ts';
import {
  checkDocument,
  missingDocumentsFor,
  requiredDocuments,
  validatePendingEnrolments,
  yearFile,
} from '../activities/enrolment.ts';
import { DomainError } from '../api/envelope.ts';
import { bool, id, isoDate, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { invoiceEnrolment } from '../billing/at-booking.ts';
import { schoolYearOf } from '../calendar/school-calendar.ts';
import { townDate, townTimeZone } from '../time.ts';
import { changeEnrolmentSite, endEnrolment, planEnrolmentEnd, planSiteChange } from './enrolment-changes.ts';
import { mayOverride } from './may-override.ts';

const schoolYear = () =>
  z.string().regex(/^\d{4}-\d{4}$/, { message: 'année scolaire invalide (aaaa-aaaa)' });

const endInput = z.object({ enrolmentId: id(), lastDay: isoDate(), reason: requiredText(200) });
const siteChangeInput = z.object({
  enrolmentId: id(),
  siteId: id(),
  fromDate: isoDate(),
  reason: requiredText(200),
});

/**
 * The enrolments of a family (the child registered for an activity, a site and a school year, before any booking)
 * and its file's documents. Enrolment changes are requests: the central server judges them again by its own state
 * (a place taken meanwhile at the new site, a presence noted there) and may refuse them whole.
 */
export const enrolmentOperations = {
  'enrolment.checkDocument': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Pièce du dossier',
    input: z.object({
      householdId: id(),
      schoolYear: schoolYear(),
      item: requiredText(40),
      // A child's own document (the fiche sanitaire) for this child; none: for each child of the year.
      childId: id().optional(),
      checked: bool(),
    }),
    async run({ db, now, actor }, input) {
      const at = now.toISOString();
      const document = (await requiredDocuments(db)).find((d) => d.code === input.item);
      if (!document) throw new DomainError('VALIDATION', 'Pièce inconnue.', 'item');
      const household = await db
        .selectFrom('households')
        .select('id')
        .where('id', '=', input.householdId)
        .executeTakeFirst();
      if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
      if (input.childId !== undefined) {
        if (document.per === 'household')
          throw new DomainError(
            'VALIDATION',
            `« ${document.label} » est une pièce du foyer : elle se coche une fois pour toute la famille.`,
            'childId',
          );
        const child = await db
          .selectFrom('children')
          .select('household_id')
          .where('id', '=', input.childId)
          .executeTakeFirst();
        if (child?.household_id !== input.householdId)
          throw new DomainError('NOT_FOUND', 'Enfant introuvable dans ce foyer.', 'childId');
      }
      await checkDocument(db, {
        householdId: input.householdId,
        schoolYear: input.schoolYear,
        document,
        childIds: input.childId === undefined ? null : [input.childId],
        checked: input.checked,
        at,
        agentId: actor.agentId,
      });
      const validated = await validatePendingEnrolments(db, input.householdId, input.schoolYear, at);
      const file = await yearFile(db, input.householdId, input.schoolYear);
      return { missing: file.missing, validatedEnrolments: validated };
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
      const missing = await missingDocumentsFor(
        db,
        { id: input.childId, householdId: child.household_id, firstName: child.first_name },
        input.schoolYear,
      );
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
      const [rows, changes] = await Promise.all([
        db
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
            'enrolments.ends_on as endsOn',
            'enrolments.end_reason as endReason',
          ])
          .where('children.household_id', '=', input.householdId)
          .orderBy('enrolments.school_year', 'desc')
          .orderBy('children.birth_date')
          .orderBy('activities.sort')
          .execute(),
        db
          .selectFrom('enrolment_site_changes')
          .innerJoin('enrolments', 'enrolments.id', 'enrolment_site_changes.enrolment_id')
          .innerJoin('children', 'children.id', 'enrolments.child_id')
          .leftJoin('sites as previous', 'previous.id', 'enrolment_site_changes.previous_site_id')
          .select([
            'enrolment_site_changes.enrolment_id as enrolmentId',
            'enrolment_site_changes.from_date as fromDate',
            'previous.name as previousSiteName',
          ])
          .where('children.household_id', '=', input.householdId)
          .orderBy('enrolment_site_changes.from_date')
          .execute(),
      ]);
      const years = [...new Set([year, ...rows.map((r) => r.schoolYear)])].sort().reverse();
      const files = await Promise.all(years.map((y) => yearFile(db, input.householdId, y)));
      const enrolments = rows.map((r) => ({
        ...r,
        // The site it had before each change, so the screen says « depuis le … (avant : …) ».
        siteChanges: changes
          .filter((c) => c.enrolmentId === r.id)
          .map(({ fromDate, previousSiteName }) => ({ fromDate, previousSiteName })),
      }));
      return { currentSchoolYear: year, enrolments, files };
    },
  }),

  /** What ending an enrolment would cancel, for the agent to confirm. */
  'enrolment.endPreview': query({
    permission: 'family.write',
    label: 'Aperçu d’une fin d’inscription',
    input: endInput,
    run: async (op, input) =>
      planEnrolmentEnd(
        op.db,
        { now: op.now, timeZone: await townTimeZone(op.db), mayOverride: mayOverride(op) },
        input,
      ),
  }),

  'enrolment.end': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Fin d’inscription',
    input: endInput,
    run: async (op, input) =>
      endEnrolment(
        op.db,
        {
          now: op.now,
          timeZone: await townTimeZone(op.db),
          mayOverride: mayOverride(op),
          agentId: op.actor.agentId,
        },
        input,
      ),
  }),

  /** What moving an enrolment to another site would move, for the agent to confirm. */
  'enrolment.siteChangePreview': query({
    permission: 'family.write',
    label: 'Aperçu d’un changement de site',
    input: siteChangeInput,
    run: ({ db }, input) => planSiteChange(db, input),
  }),

  'enrolment.changeSite': command({
    permission: 'family.write',
    sync: 'request',
    label: 'Changement de site',
    input: siteChangeInput,
    run: ({ db, now, actor, newId }, input) =>
      changeEnrolmentSite(db, { now, agentId: actor.agentId, newId }, input),
  }),
};
